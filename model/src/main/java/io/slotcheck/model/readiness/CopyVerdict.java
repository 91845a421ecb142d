package io.slotcheck.model.readiness;

import io.slotcheck.model.Lsn;

import java.util.List;

/**
 * Whether a failover slot of the primary would survive a promotion of {@code standby} now: it has a synced,
 * persistent, valid copy there, and the standby has flushed what the slot's consumer received.
 *
 * @param copyPosition the copy's confirmed_flush_lsn ({@code null}: no copy)
 * @param bytesBehind  how far the copy's confirmed_flush_lsn is behind the slot's ({@code null}: not known)
 * @param standbyLagMillis how long the standby takes to replay what the primary flushed ({@code pg_stat_replication.replay_lag}
 *                     of its walsender): how old, in time, what a copy can reach is; {@code null} when caught up, or not known
 * @param reasons      why it would not survive (empty when it would)
 */
public record CopyVerdict(String slot, String standby, Lsn slotPosition, Lsn copyPosition, Long bytesBehind, Long standbyLagMillis,
                          List<String> reasons) {

    public CopyVerdict {
        reasons = List.copyOf(reasons);
    }

    public boolean survives() {
        return reasons.isEmpty();
    }
}
