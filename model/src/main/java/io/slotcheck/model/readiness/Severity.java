package io.slotcheck.model.readiness;

/** How much a finding of {@code ./slotcheck doctor} matters, worst first. */
public enum Severity {
    /** A promotion now would leave a logical slot, and so its consumer, behind. */
    BLOCKS_FAILOVER("blocks failover"),
    /** A promotion now would give a subscriber changes the new primary never had, or lose some. */
    LOSES_OR_DUPLICATES_DATA("loses or duplicates data"),
    /** Failover works now, but a guarantee is weaker than it should be, or logical replication is held up. */
    DEGRADES("degrades"),
    /** Worth knowing; nothing is at risk. */
    NOTE("note");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether a finding of this severity makes the cluster not ready for a failover. */
    public boolean notReady() {
        return this == BLOCKS_FAILOVER || this == LOSES_OR_DUPLICATES_DATA;
    }
}
