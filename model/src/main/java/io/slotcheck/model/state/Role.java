package io.slotcheck.model.state;

/** What a node was made as, and becomes through promotion: decided by operations, not by observation. */
public enum Role {
    PRIMARY,
    STANDBY
}
