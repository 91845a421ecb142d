package io.slotcheck.model.version;

/**
 * What keeps a standby's copies of its primary's logical slots: the server itself (failover slots, PostgreSQL 17 on), or
 * the pg_failover_slots extension (EnterpriseDB), which gives 16 and earlier copies of its own kind (spec/field-failures.md,
 * spec/ivorysql.md). The two differ in what is copied, when a copy is usable, and who the barrier holds, so the model
 * judges a history by the mechanism it ran with.
 */
public enum SlotSyncMechanism {
    /** {@code failover = true} slots, {@code pg_sync_replication_slots()}, the slot sync worker, {@code synchronized_standby_slots}. */
    BUILT_IN("built-in", "the server's own failover slots"),
    /**
     * The extension's worker on the standby copies the primary's logical slots named by
     * {@code pg_failover_slots.synchronize_slot_names}; its walsender hook on the primary holds logical walsenders until the
     * slots of {@code pg_failover_slots.standby_slot_names} have flushed what they would send.
     */
    PG_FAILOVER_SLOTS("pg_failover_slots", "the pg_failover_slots extension");

    /** How histories and the command line name it. */
    public final String historyName;
    public final String description;

    SlotSyncMechanism(String historyName, String description) {
        this.historyName = historyName;
        this.description = description;
    }

    /** The mechanism a history names; a history that names none ran with the server's own (histories before the extension). */
    public static SlotSyncMechanism named(String historyName) {
        if (historyName == null) {
            return BUILT_IN;
        }
        for (SlotSyncMechanism mechanism : values()) {
            if (mechanism.historyName.equals(historyName)) {
                return mechanism;
            }
        }
        throw new IllegalArgumentException("unknown slot sync '" + historyName + "' (known: built-in, pg_failover_slots)");
    }
}
