package io.slotcheck.harness.cluster;

/** What the harness did to a node last; the server itself is observed, not assumed. */
public enum NodeState {
    /** Never started, or stopped cleanly or immediately. */
    STOPPED,
    RUNNING,
    /** Every server process stopped with SIGSTOP. */
    PAUSED,
    /** Running, taken off the network: nothing reaches it, the harness included. */
    ISOLATED,
    /** The postmaster was killed with SIGKILL; its data directory awaits crash recovery. */
    KILLED
}
