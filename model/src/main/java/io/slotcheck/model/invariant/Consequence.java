package io.slotcheck.model.invariant;

/** What a user of failover slots suffers when an invariant breaks, worst first. */
public enum Consequence {
    /** A consumer that switches to the promoted standby misses changes: silent data loss. */
    LOST_CHANGES("a subscriber can silently miss changes after failover"),
    /** A consumer receives changes again that it already confirmed: duplicates downstream. */
    DUPLICATED_CHANGES("a subscriber can receive changes twice"),
    /** The slot cannot be used, or is gone, after failover: replication stops and needs a new snapshot. */
    FAILOVER_UNUSABLE("logical replication cannot continue after failover"),
    /** The server's views describe slots wrongly: tools that decide from them (HA managers, checks before failover) err. */
    MISREPORTED_STATE("the server's views misreport a slot, so tools that rely on them decide wrongly"),
    /** An operation ends otherwise than documented (another error, or none): scripts and tools misread it. */
    UNDOCUMENTED_OUTCOME("an operation ends otherwise than documented");

    private final String effect;

    Consequence(String effect) {
        this.effect = effect;
    }

    /** The effect in a few words, for reports. */
    public String effect() {
        return effect;
    }
}
