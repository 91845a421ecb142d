package io.slotcheck.model.operation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of failure failover slots exist for. A campaign selects which it injects ({@code --faults}); every
 * operation that injects or heals one says which ({@link Operation#fault()}).
 */
public enum Fault {
    /** A server, or one of its processes, killed: what was not checkpointed may be lost. */
    CRASH,
    /** A server, or one of its processes, stopped with SIGSTOP for a while. */
    PAUSE,
    /** A standby's replication link to its upstream cut (refused, or nothing passing) or slowed, neither server stopped. */
    PARTITION,
    /** WAL written past a slot that falls behind while max_slot_wal_keep_size is low: the slot is invalidated wal_removed. */
    WAL,
    /** Settings that slot sync depends on, changed (dbname, feedback, the barrier list, the worker). */
    CONFIG,
    /** Catalog rows removed by VACUUM: what a slot's catalog_xmin must hold back. */
    CATALOG,
    /** Failover and switchover: a standby promoted, a primary stopped and rejoined as a standby. */
    ROLES;

    /** The name a user selects it by, e.g. {@code crash}. */
    public String selector() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Fault> bySelector(String selector) {
        return Arrays.stream(values()).filter(f -> f.selector().equals(selector)).findFirst();
    }
}
