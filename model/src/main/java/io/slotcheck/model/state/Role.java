package io.slotcheck.model.state;

/** What a node was made as, and becomes through promotion or a rejoin: decided by operations, not by observation. */
public enum Role {
    PRIMARY,
    STANDBY,
    /** A server of its own (another system identifier) that subscribes to a primary's publication. */
    SUBSCRIBER
}
