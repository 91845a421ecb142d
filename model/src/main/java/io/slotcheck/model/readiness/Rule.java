package io.slotcheck.model.readiness;

/**
 * What a failover-ready cluster looks like, one rule at a time: each names the behaviour of the server it follows
 * ({@code spec/postgresql-slotsync.md}) and, where users met it, the field failure.
 */
public enum Rule {
    SERVER_ANSWERS("server-answers", "§1 items 5, 7",
            "every server named answers: a standby that does not cannot be judged, nor promoted with what it had synced known"),
    COPY_FAILOVER_READY("copy-failover-ready", "§1 items 6, 7; the docs' failover_ready query",
            "each failover slot of the primary has, on each standby, a synced, persistent, valid copy: only those are usable after a promotion"),
    STANDBY_HAS_WHAT_CONSUMERS_RECEIVED("standby-has-what-consumers-received", "§1 items 3, 14",
            "no failover slot's consumer has been sent WAL the standby has not flushed: what it got would be missing on the promoted standby"),
    COPY_KEEPS_UP("copy-keeps-up", "§1 item 5",
            "a copy is at its slot's confirmed_flush_lsn, or getting there: a copy behind makes a promotion send again what was confirmed since"),
    SYNC_PARAMETERS("sync-parameters", "§3; slotsync.c ValidateSlotSyncParams(), CheckAndGetDbnameFromConninfo()",
            "a standby that syncs has wal_level logical (19: the primary's effective_wal_level), primary_slot_name, hot_standby_feedback on,"
                    + " and primary_conninfo with a dbname (field failure 2)"),
    PRIMARY_SLOT_ON_THE_PRIMARY("primary-slot-on-the-primary", "§3 primary_slot_name; slotsync.c validate_remote_info()",
            "the standby's primary_slot_name is a physical slot of the primary: the sync refuses to run otherwise"),
    SYNC_RUNS("sync-runs", "§1 items 11, 20, 21; §3 sync_replication_slots",
            "something keeps the copies: the slot sync worker (sync_replication_slots on, and running), or a tool calling pg_sync_replication_slots()"),
    ONE_SYNCHRONIZER("one-synchronizer", "§1 item 19; field failure 10",
            "one thing keeps a standby's copies: the server's slot sync worker and the pg_failover_slots extension at once fight over them"),
    STANDBY_STREAMS("standby-streams", "§1 item 5; §3",
            "the standby streams from the primary: a copy can move only to WAL the standby has"),
    NO_LEFTOVER_FAILOVER_SLOT("no-leftover-failover-slot", "§1 item 11; field failure 1",
            "a standby has no slot of its own named like a failover slot of the primary (a demoted primary's): the sync stops at it"),
    BARRIER_LISTS_STREAMING_STANDBYS("barrier-lists-streaming-standbys", "§1 items 14, 15; §3 synchronized_standby_slots; field failure 3",
            "synchronized_standby_slots names the physical slot of each standby that may be promoted, each existing and streaming:"
                    + " a name missing, stale or idle holds every failover slot's consumer back, a standby left out is not waited for"),
    CONSUMERS_NOT_HELD("consumers-not-held", "§1 item 14; field failure 9",
            "no consumer of a failover slot waits on synchronized_standby_slots for long"),
    CONFIGURATION_FILES_LOAD("configuration-files-load", "§0 name history; ivorysql.md §4",
            "the configuration files hold nothing the server refuses, such as the pre-release name standby_slot_names:"
                    + " a server restarted with it does not start, and a switchover restarts the old primary"),
    SUBSCRIPTION_FAILOVER("subscription-failover", "§2 O12; §1 item 1; field failure 4",
            "each subscription's slot is a failover slot of the primary: only those are synced"),
    NO_IDLE_SLOT_HOLDING_WAL("no-idle-slot-holding-wal", "§3 max_slot_wal_keep_size; field failure 1",
            "a slot nobody consumes is not lost, and is not about to be: it holds WAL and catalog rows back for nothing");

    private final String id;
    private final String basis;
    private final String guarantee;

    Rule(String id, String basis, String guarantee) {
        this.id = id;
        this.basis = basis;
        this.guarantee = guarantee;
    }

    public String id() {
        return id;
    }

    /** The spec item and server source the rule follows. */
    public String basis() {
        return basis;
    }

    /** What the rule holds a ready cluster to. */
    public String guarantee() {
        return guarantee;
    }
}
