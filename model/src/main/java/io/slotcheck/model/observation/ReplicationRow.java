package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

/**
 * One row of {@code pg_stat_replication}: a walsender and what its receiver reported.
 *
 * @param replayLagMillis {@code replay_lag}: how long the standby took, lately, to replay WAL once the primary had
 *                        flushed it; {@code null} when it is caught up and idle (or in histories written before it was read)
 */
public record ReplicationRow(
        int pid,
        String applicationName,
        String state,
        Lsn sentLsn,
        Lsn writeLsn,
        Lsn flushLsn,
        Lsn replayLsn,
        String syncState,
        Long replayLagMillis) {
}
