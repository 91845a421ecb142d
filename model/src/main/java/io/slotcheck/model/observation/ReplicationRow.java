package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

/** One row of {@code pg_stat_replication}: a walsender and what its receiver reported. */
public record ReplicationRow(
        int pid,
        String applicationName,
        String state,
        Lsn sentLsn,
        Lsn writeLsn,
        Lsn flushLsn,
        Lsn replayLsn,
        String syncState) {
}
