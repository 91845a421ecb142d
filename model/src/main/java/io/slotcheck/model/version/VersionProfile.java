package io.slotcheck.model.version;

import java.util.Optional;

/**
 * What a server version does about failover slots: the capabilities the model consults and the message texts
 * it expects, by PostgreSQL base version (spec §5) and by what keeps the standby's copies ({@code slotSync}: the server's
 * own slot sync, or the pg_failover_slots extension). IvorySQL maps to its base: 3.x = 16, 4.x = 17, 5.x = 18.
 */
public record VersionProfile(ServerVersion version, SlotSyncMechanism slotSync) {

    /** A server syncing with its own failover slots (where it has them). */
    public static VersionProfile of(String versionFunctionOutput) {
        return of(versionFunctionOutput, SlotSyncMechanism.BUILT_IN);
    }

    public static VersionProfile of(String versionFunctionOutput, SlotSyncMechanism slotSync) {
        return new VersionProfile(ServerVersion.parse(versionFunctionOutput), slotSync);
    }

    /** The server's own failover slots, slot sync and their catalog columns: from 17 on (16 has none), unless the extension syncs instead. */
    public boolean hasFailoverSlots() {
        return slotSync == SlotSyncMechanism.BUILT_IN && version.major() >= 17;
    }

    /** Whether the pg_failover_slots extension keeps the standby's copies (then the server's own failover slots are not used). */
    public boolean syncsWithPgFailoverSlots() {
        return slotSync == SlotSyncMechanism.PG_FAILOVER_SLOTS;
    }

    /**
     * Why this target cannot be checked for slot sync, if it cannot: 16 and older (IvorySQL 3.x) have no failover slots of
     * their own, so every slot sync invariant would pass by observing nothing. The runner refuses such a target with this text.
     */
    public Optional<String> withoutFailoverSlots() {
        return hasFailoverSlots() || syncsWithPgFailoverSlots() ? Optional.empty()
                : Optional.of(version + " has no failover slots (they came with PostgreSQL 17), so there is no slot sync to check:"
                + " choose a PostgreSQL 17 or later target, or an installation with the pg_failover_slots extension (--pg-home)");
    }

    /**
     * Since 17.7 / 18.1 the {@code synchronized_standby_slots} check hook validates only the names' syntax; missing or
     * logical slots are reported when a walsender waits (§3, §5.2, commit 0024f5a102). Before, ALTER SYSTEM refused them.
     */
    public boolean acceptsUnknownStandbySlots() {
        return since(7, 1);
    }

    /** {@code two_phase_at} is a column and is synchronized from 18 on (§5.1, commit 4868c96bc8). */
    public boolean syncsTwoPhaseAt() {
        return version.major() >= 18;
    }

    /**
     * {@code ALTER SUBSCRIPTION ... SET (two_phase)} of a disabled subscription, which alters its slot's two_phase on the
     * publisher (§5.1, 18 on; 17 fixes two_phase when the subscription is made).
     */
    public boolean altersSubscriptionTwoPhase() {
        return version.major() >= 18;
    }

    /** Whether this version has {@code fix} (a version of a major without failover slots has none of their fixes). */
    public boolean has(UpstreamFix fix) {
        return hasFailoverSlots() && fix.missingFrom(version).isEmpty();
    }

    /** A logical slot's confirmed_flush_lsn never retreats on the primary since 17.6 / 18 (§1 item 4). */
    public boolean primaryConfirmedFlushNeverRetreats() {
        return has(UpstreamFix.CONFIRMED_FLUSH_NO_LONGER_RETREATS);
    }

    /** From 19 pg_replication_slots shows why a copy's last sync was skipped ({@code slotsync_skip_reason}, §5.3). */
    public boolean showsSyncSkipReason() {
        return version.major() >= 19;
    }

    /**
     * 17 and 18 refuse a sync on a standby whose own wal_level is below logical; 19 checks instead that logical decoding
     * is on at the primary ("effective_wal_level" >= "logical" on the primary, §3, §5.3).
     */
    public boolean syncNeedsLogicalDecodingOnThePrimary() {
        return version.major() >= 19;
    }

    /**
     * In 17 and 18 {@code pg_sync_replication_slots()} runs one cycle and drops the temporary slots it made at its end;
     * from 19 it retries until the slots it fetched are sync-ready (§5.3).
     */
    public boolean manualSyncRetriesUntilReady() {
        return version.major() >= 19;
    }

    /**
     * 17 copies a slot's configuration to its copy in every cycle; from 18 a cycle that finds the slot's restart_lsn or
     * catalog_xmin behind the copy's copies nothing at all (§1 item 2, commit 3ff2a1f0c9).
     */
    public boolean copiesConfigurationFromASlotBehindItsCopy() {
        return version.major() == 17;
    }

    /**
     * In 17 and 18 {@code pg_sync_replication_slots()} fails when a failover slot's confirmed_flush_lsn is ahead of what
     * the standby has flushed; from 19 it logs that and retries (§1 item 3, {@code synchronize_one_slot()}).
     */
    public boolean refusesManualSyncAheadOfStandby() {
        return version.major() == 17 || version.major() == 18;
    }

    /**
     * From 18 an invalidated slot's inactive_since is set no more, by a release, an acquisition or a promotion, and a
     * restart leaves it NULL (§1 item 17, {@code ReplicationSlotSetInactiveSince()}, commit 0ec3c295e7).
     */
    public boolean keepsInactiveSinceOfInvalidatedSlots() {
        return version.major() >= 18;
    }

    /**
     * From 18 {@code ReplicationSlotAcquire()} sets active_pid and clears inactive_since under one spinlock; 17 clears it
     * a little later, under another, so a read between the two shows a slot in use with its old inactive_since.
     */
    public boolean clearsInactiveSinceAsItAcquires() {
        return version.major() >= 18;
    }

    /**
     * 18+: {@code idle_replication_slot_timeout} invalidates a slot idle for longer at a checkpoint or restartpoint, never a
     * synced slot while in recovery (§1 item 23, slot.c CanInvalidateIdleSlot()).
     */
    public boolean timesOutIdleSlots() {
        return version.major() >= 18;
    }

    /** 18+: using an invalidated slot fails with "can no longer access" before any other check (§1 item 8). */
    public boolean rejectsInvalidatedSlotAccessFirst() {
        return version.major() >= 18;
    }

    /** The text this version prints for {@code message}. */
    public MessageTemplate text(Message message) {
        return new MessageTemplate(switch (message) {
            case SYNC_WORKER_STOPS_AT_PROMOTION -> since(10, 4) ? message.latest
                    : since(8, 2) ? "replication slot synchronization worker is shutting down because promotion is triggered"
                    : "replication slot synchronization worker is shutting down on receiving SIGINT";
            case SYNC_CANNOT_CONNECT -> version.major() >= 18 ? message.latest : "could not connect to the primary server: %s";
            case SUBSCRIPTION_OPTION_WHILE_ENABLED -> version.major() >= 18 ? message.latest : "cannot set %s for enabled subscription";
            case LOGICAL_SLOT_NEEDS_WAL_LEVEL -> syncNeedsLogicalDecodingOnThePrimary()
                    ? "logical replication slot \"%s\" exists, but \"wal_level\" < \"replica\"" : message.latest;
            case SYNC_WORKER_STOPS_WHEN_DISABLED -> since(10, 4) ? message.latest
                    : "replication slot synchronization worker will shut down because \"sync_replication_slots\" is disabled";
            default -> message.latest;
        });
    }

    /** Whether a fix back-patched to 17.{@code minor17} and 18.{@code minor18} is in this version (19 has all of them). */
    private boolean since(int minor17, int minor18) {
        return switch (version.major()) {
            case 17 -> version.minor() >= minor17;
            case 18 -> version.minor() >= minor18;
            default -> version.major() > 18;
        };
    }

    @Override
    public String toString() {
        return syncsWithPgFailoverSlots() ? version + " with pg_failover_slots" : version.toString();
    }
}
