package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

import java.time.Instant;

/**
 * One row of {@code pg_replication_slots}, with 19's sync skip statistics from {@code pg_stat_replication_slots}
 * ({@code slotsyncSkipCount}, {@code slotsyncLastSkip}: how many cycles skipped the copy, and when the last did). Columns
 * a server version does not have are {@code null}: {@code failover}, {@code synced}, {@code inactiveSince} and
 * {@code invalidationReason} appear in 17, {@code twoPhaseAt} in 18, {@code slotsyncSkipReason} and the statistics in 19.
 */
public record SlotRow(
        String slotName,
        String plugin,
        String slotType,
        Long datoid,
        String database,
        boolean temporary,
        boolean active,
        Integer activePid,
        Long xmin,
        Long catalogXmin,
        Lsn restartLsn,
        Lsn confirmedFlushLsn,
        String walStatus,
        Long safeWalSize,
        boolean twoPhase,
        Lsn twoPhaseAt,
        Instant inactiveSince,
        Boolean conflicting,
        String invalidationReason,
        Boolean failover,
        Boolean synced,
        String slotsyncSkipReason,
        Long slotsyncSkipCount,
        Instant slotsyncLastSkip) {

    public boolean isLogical() {
        return "logical".equals(slotType);
    }

    public boolean isPhysical() {
        return "physical".equals(slotType);
    }

    public boolean isSynced() {
        return Boolean.TRUE.equals(synced);
    }

    public boolean isFailover() {
        return Boolean.TRUE.equals(failover);
    }

    /**
     * A slot a subscription's table synchronization made for one table's initial copy, named
     * {@code pg_<subscription oid>_sync_<table oid>_<system identifier>} ({@code tablesync.c
     * ReplicationSlotNameForTablesync()}); the tablesync worker drops it once the table is ready.
     */
    public boolean isTableSyncSlot() {
        return slotName.matches("pg_\\d+_sync_\\d+_\\d+");
    }

    /** The same row with another confirmed_flush_lsn (for mutation tests of the checker). */
    public SlotRow withConfirmedFlushLsn(Lsn lsn) {
        return new SlotRow(slotName, plugin, slotType, datoid, database, temporary, active, activePid, xmin, catalogXmin, restartLsn, lsn,
                walStatus, safeWalSize, twoPhase, twoPhaseAt, inactiveSince, conflicting, invalidationReason, failover, synced,
                slotsyncSkipReason, slotsyncSkipCount, slotsyncLastSkip);
    }

    /** The docs' readiness test for failover: {@code synced AND NOT temporary AND invalidation_reason IS NULL}. */
    public boolean isFailoverReady() {
        return isSynced() && !temporary && invalidationReason == null;
    }
}
