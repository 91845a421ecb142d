package io.slotcheck.model.version;

/**
 * The server messages the model predicts or looks for, each with the SQLSTATE PostgreSQL raises it with. Texts that
 * changed between releases are looked up through {@link VersionProfile#text(Message)}; the spec section is given for
 * each.
 */
public enum Message {
    // §1 item 8: synced slots are read-only to users while in recovery
    SYNCED_SLOT_DECODING("cannot use replication slot \"%s\" for logical decoding", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    SYNCED_SLOT_DROP("cannot drop replication slot \"%s\"", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    SYNCED_SLOT_ALTER("cannot alter replication slot \"%s\"", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    SLOT_ACTIVE("replication slot \"%s\" is active for PID %d", SqlState.OBJECT_IN_USE),
    /**
     * A temporary synced slot is dropped whenever its synchronizer lets go of it: at the end of a manual sync, when the
     * worker exits on a parameter change, when it is disabled or terminated (§2 O14, O17, O18, O22).
     */
    SLOT_DOES_NOT_EXIST("replication slot \"%s\" does not exist", SqlState.UNDEFINED_OBJECT),
    /**
     * A command cancelled by the client: how a wait the server does not bound itself ends when slotcheck's bound runs out
     * (ALTER_REPLICATION_SLOT waiting for a slot the synchronizer holds: statement_timeout does not end that wait).
     */
    CANCELED_BY_CLIENT("canceling statement due to user request", SqlState.QUERY_CANCELED),
    STATEMENT_TIMEOUT("canceling statement due to statement timeout", SqlState.QUERY_CANCELED),
    /** 18+: get/peek/advance/alter of an invalidated slot fail with this first (§1 item 8). */
    SLOT_INVALIDATED_ACCESS("can no longer access replication slot \"%s\"", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    // §1 items 9, 10
    FAILOVER_SLOT_ON_STANDBY("cannot enable failover for a replication slot created on the standby", SqlState.FEATURE_NOT_SUPPORTED),
    FAILOVER_TEMPORARY_SLOT("cannot enable failover for a temporary replication slot", SqlState.FEATURE_NOT_SUPPORTED),
    FAILOVER_ALTERED_ON_STANDBY("cannot enable failover for a replication slot on the standby", SqlState.FEATURE_NOT_SUPPORTED),
    ALTER_PHYSICAL_SLOT("cannot use %s with a physical replication slot", SqlState.FEATURE_NOT_SUPPORTED),
    /** CREATE_REPLICATION_SLOT ... PHYSICAL (FAILOVER): an option of logical slots only. */
    CONFLICTING_OPTIONS("conflicting or redundant options", SqlState.SYNTAX_ERROR),
    /** §2 O12, O13: failover (and from 18 two_phase) changes only while the subscription is disabled (17's text differs). */
    SUBSCRIPTION_OPTION_WHILE_ENABLED("cannot set option \"%s\" for enabled subscription", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    /** §5.1: 17's ALTER SUBSCRIPTION knows no two_phase (subscriptioncmds.c parse_subscription_options()). */
    SUBSCRIPTION_PARAMETER_UNRECOGNIZED("unrecognized subscription parameter: \"%s\"", SqlState.SYNTAX_ERROR),
    /** §1 item 2: a sync that meets a slot of a database its standby has not replayed yet (dbcommands.c get_database_oid()). */
    DATABASE_DOES_NOT_EXIST("database \"%s\" does not exist", SqlState.UNDEFINED_DATABASE),
    // §1 item 28: a database with slots
    DATABASE_USED_BY_ACTIVE_SLOT("database \"%s\" is used by an active logical replication slot", SqlState.OBJECT_IN_USE),
    // §1 item 24: copies of slots
    /** A slot without a restart_lsn: one invalidated wal_removed has lost it (checked before the invalidation). */
    COPY_WITHOUT_RESERVED_WAL("cannot copy a replication slot that doesn't reserve WAL", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    COPY_INVALIDATED_SLOT("cannot copy invalidated replication slot \"%s\"", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    COPY_PHYSICAL_AS_LOGICAL("cannot copy physical replication slot \"%s\" as a logical replication slot", SqlState.FEATURE_NOT_SUPPORTED),
    SLOT_ALREADY_EXISTS("replication slot \"%s\" already exists", SqlState.DUPLICATE_OBJECT),
    // §1 items 19, 20 and §3: who may synchronize, and the configuration it needs
    SYNC_ON_PRIMARY("replication slots can only be synchronized to a standby server", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    SYNC_FROM_STANDBY("cannot synchronize replication slots from a standby server", SqlState.FEATURE_NOT_SUPPORTED),
    SYNC_CONCURRENTLY("cannot synchronize replication slots concurrently", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    /** A manual sync's connection to the primary failed (slotfuncs.c pg_sync_replication_slots(); 17 has a shorter text, §2 O14). */
    SYNC_CANNOT_CONNECT("synchronization worker \"%s\" could not connect to the primary server: %s", SqlState.CONNECTION_FAILURE),
    SYNC_NEEDS_WAL_LEVEL("replication slot synchronization requires \"wal_level\" >= \"logical\"", SqlState.INVALID_PARAMETER_VALUE),
    /** From 19, instead of the standby's own wal_level (§3, §5.3). */
    SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY("replication slot synchronization requires \"effective_wal_level\" >= \"logical\" on the primary",
            SqlState.INVALID_PARAMETER_VALUE),
    SYNC_NEEDS_PRIMARY_SLOT_NAME("replication slot synchronization requires \"primary_slot_name\" to be set", SqlState.INVALID_PARAMETER_VALUE),
    SYNC_NEEDS_HOT_STANDBY_FEEDBACK("replication slot synchronization requires \"hot_standby_feedback\" to be enabled", SqlState.INVALID_PARAMETER_VALUE),
    SYNC_NEEDS_PRIMARY_CONNINFO("replication slot synchronization requires \"primary_conninfo\" to be set", SqlState.INVALID_PARAMETER_VALUE),
    SYNC_NEEDS_DBNAME("replication slot synchronization requires \"dbname\" to be specified in \"primary_conninfo\"", SqlState.INVALID_PARAMETER_VALUE),
    SYNC_PRIMARY_SLOT_MISSING("replication slot \"%s\" specified by \"primary_slot_name\" does not exist on primary server", SqlState.INVALID_PARAMETER_VALUE),
    /** Before 17.7 / 18.1 the check hook also rejected names of slots that do not exist or are not physical (§3). */
    INVALID_STANDBY_SLOTS_VALUE("invalid value for parameter \"synchronized_standby_slots\": \"%s\"", SqlState.INVALID_PARAMETER_VALUE),
    /*
     * §1 items 15 and 16: what a consumer held by synchronized_standby_slots reports of the first listed slot it waits for
     * (a WARNING while it waits, an ERROR from a walsender asked to shut down)
     */
    STANDBY_SLOT_MISSING("replication slot \"%s\" specified in parameter \"synchronized_standby_slots\" does not exist",
            SqlState.INVALID_PARAMETER_VALUE),
    STANDBY_SLOT_LOGICAL("cannot specify logical replication slot \"%s\" in parameter \"synchronized_standby_slots\"",
            SqlState.INVALID_PARAMETER_VALUE),
    STANDBY_SLOT_INVALIDATED("physical replication slot \"%s\" specified in parameter \"synchronized_standby_slots\" has been invalidated",
            SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    STANDBY_SLOT_INACTIVE("replication slot \"%s\" specified in parameter \"synchronized_standby_slots\" does not have active_pid",
            SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    /** §1 item 26: a standby with logical slots refuses to start without what they need (slot.c RestoreSlotFromDisk()); 19: below replica. */
    LOGICAL_SLOT_NEEDS_WAL_LEVEL("logical replication slot \"%s\" exists, but \"wal_level\" < \"logical\"", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    LOGICAL_SLOT_NEEDS_HOT_STANDBY("logical replication slot \"%s\" exists on the standby, but \"hot_standby\" = \"off\"",
            SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    // §1 items 3, 6, 11, 12: what the synchronizer logs
    SYNC_LSN_AHEAD("skipping slot synchronization because the received slot sync LSN %X/%X for slot \"%s\" is ahead of the standby position %X/%X", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    SYNC_SAME_NAME_EXISTS("exiting from slot synchronization because same name slot \"%s\" already exists on the standby", SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE),
    /** An internal error (not translated): a persistent copy ahead of its remote slot stops the cycle (§1 item 4). */
    SYNC_LOCAL_SLOT_AHEAD("cannot synchronize local slot \"%s\"", SqlState.INTERNAL_ERROR),
    SYNC_SLOT_READY("newly created replication slot \"%s\" is sync-ready now", SqlState.LOGGED),
    SYNC_DROPPED_SLOT("dropped replication slot \"%s\" of database with OID %u", SqlState.LOGGED),
    /** The latest text; 17.0–17.5 printed another (§5.2), which nothing here looks for. */
    SYNC_COULD_LOSE_DATA("could not synchronize replication slot \"%s\"", SqlState.LOGGED),
    // §1 items 18, 21 and §5.2: the worker
    SYNC_WORKER_STARTED("slot sync worker started", SqlState.LOGGED),
    /** Text changed in 17.8 / 18.2 and again in 17.10 / 18.4 (§2 O19). */
    SYNC_WORKER_STOPS_AT_PROMOTION("replication slot synchronization worker will stop because promotion is triggered", SqlState.LOGGED),
    /** On a reload that changed primary_conninfo, primary_slot_name or hot_standby_feedback (§2 O18). */
    SYNC_WORKER_RESTARTS_ON_PARAMETER_CHANGE("replication slot synchronization worker will restart because of a parameter change", SqlState.LOGGED),
    /** Text changed in 17.10 / 18.4 (§2 O17). */
    SYNC_WORKER_STOPS_WHEN_DISABLED("replication slot synchronization worker will stop because \"sync_replication_slots\" is disabled", SqlState.LOGGED);

    final String latest;
    private final String sqlState;

    Message(String latest, String sqlState) {
        this.latest = latest;
        this.sqlState = sqlState;
    }

    /** The SQLSTATE a statement fails with when the server raises this message; null for a line only logged. */
    public String sqlState() {
        return sqlState;
    }
}
