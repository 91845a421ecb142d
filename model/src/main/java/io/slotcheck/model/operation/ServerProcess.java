package io.slotcheck.model.operation;

import io.slotcheck.model.state.Role;

/** A server process a fault can hit alone, found by its {@code backend_type} in {@code pg_stat_activity}. */
public enum ServerProcess {
    /** A standby's receiver of WAL from its upstream. */
    WALRECEIVER("walreceiver", Role.STANDBY),
    /** A sender of WAL to a standby, or of changes to a logical consumer (the first one found). */
    WALSENDER("walsender", null),
    /** A standby's slot sync worker (while {@code sync_replication_slots} is on). */
    SLOTSYNC_WORKER("slotsync worker", Role.STANDBY);

    private final String backendType;
    private final Role onlyOn;

    ServerProcess(String backendType, Role onlyOn) {
        this.backendType = backendType;
        this.onlyOn = onlyOn;
    }

    public String backendType() {
        return backendType;
    }

    /** Whether a node of {@code role} has such a process at all. */
    public boolean runsOn(Role role) {
        return onlyOn == null || onlyOn == role;
    }
}
