package io.slotcheck.model.state;

/** What the operations so far have done to a node's server. */
public enum NodeStatus {
    RUNNING,
    /** Stopped cleanly (fast stop). */
    STOPPED,
    /** Killed, or stopped immediately: what it had not checkpointed may be lost, recovery runs at the next start. */
    CRASHED,
    /** Every process stopped with SIGSTOP. */
    PAUSED,
    /**
     * Taken off its network (a container's): the server runs on, but nothing reaches it and it reaches nothing, the
     * harness included, so it is not observed until it is back.
     */
    ISOLATED
}
