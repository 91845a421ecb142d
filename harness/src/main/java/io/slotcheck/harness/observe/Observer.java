package io.slotcheck.harness.observe;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeSqlException;
import io.slotcheck.harness.cluster.ServerLog;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.ReplicationRow;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.observation.WalReceiverRow;
import io.slotcheck.model.operation.PgFailoverSlots;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Takes {@link NodeSnapshot}s: one per node per step. Version-aware by construction: views are read with
 * {@code SELECT *} and columns a version lacks come back as {@code null}. Remembers, per node, where in the server log
 * the previous snapshot ended, and keeps one connection per node for as long as its server runs (a new backend per
 * snapshot cost more than the snapshot's queries).
 */
public final class Observer implements AutoCloseable {

    /** Settings that decide whether and how slots are synchronized. */
    public static final List<String> SLOT_SYNC_SETTINGS = Stream.concat(Stream.of(
            "wal_level", "hot_standby", "hot_standby_feedback", "primary_conninfo", "primary_slot_name",
            "sync_replication_slots", "synchronized_standby_slots", "standby_slot_names", "max_slot_wal_keep_size",
            "max_replication_slots", "max_wal_senders", "wal_receiver_status_interval", "effective_wal_level", "wal_sender_timeout",
            "wal_receiver_timeout", "idle_replication_slot_timeout", "cluster_name", "server_version", "port", "log_min_messages"),
            PgFailoverSlots.SETTINGS.stream()).toList();

    /** The table of the workload's transaction ids (see {@code OperationExecutor}). */
    public static final String TRANSACTIONS_TABLE = "slotcheck_txn";

    private final Map<Node, Long> logOffsets = new HashMap<>();
    private final Map<Node, Session> sessions = new HashMap<>();

    /** A connection to a node's server, made in its {@code connectionEpoch} (see {@link Node#connectionEpoch()}). */
    private record Session(Connection connection, int connectionEpoch) {
    }

    /** What the node's server shows now, with the lines its log gained since the previous snapshot. */
    public NodeSnapshot snapshot(Node node) {
        ServerLog.Read log = node.log().readSince(logOffsets.getOrDefault(node, 0L));
        NodeSnapshot snapshot = query(node, log.lines());
        logOffsets.put(node, log.end());
        return snapshot;
    }

    /** What the node's server shows now, its log left unread: for a wait that polls. */
    public NodeSnapshot peek(Node node) {
        return query(node, List.of());
    }

    private NodeSnapshot query(Node node, List<String> logLines) {
        try (Statement statement = connectionTo(node).createStatement()) {
            // slots before the WAL positions that bound them: a sync cycle between the two readings moves a copy up to
            // WAL the standby had flushed by then, which a position read before could not show (found by the PG18
            // continuity campaign, seed 5818 sequence 78: a copy 56 bytes past the flush position read just before it)
            List<SlotRow> slots = slots(statement);
            Map<String, String> positions = firstRow(statement, positionsQuery("(SELECT timeline_id FROM pg_control_checkpoint())"));
            List<ReplicationRow> replication = replication(statement);
            Optional<WalReceiverRow> walReceiver = walReceiver(statement);
            Map<String, String> settings = settings(statement);
            List<Long> transactions = transactions(statement);
            List<SubscriptionRow> subscriptions = subscriptions(statement);
            return new NodeSnapshot(node.name(), node.identityHost().orElse(null), Instant.now(), positions.get("version"),
                    Integer.parseInt(positions.get("version_num")), "t".equals(positions.get("in_recovery")),
                    Integer.parseInt(positions.get("timeline")), Lsn.parseNullable(positions.get("current_lsn")),
                    Lsn.parseNullable(positions.get("flush_lsn")), Lsn.parseNullable(positions.get("receive_lsn")),
                    Lsn.parseNullable(positions.get("replay_lsn")), slots, replication, walReceiver, settings, logLines,
                    transactions, subscriptions, Optional.ofNullable(positions.get("sync_worker_pid")).map(Integer::valueOf).orElse(null),
                    preparedTransactions(statement));
        } catch (SQLException e) {
            forget(node);
            if (timedOut(e)) {
                throw new SlotcheckException(ExitCode.SERVER, node.name() + " did not answer for " + Node.SOCKET_TIMEOUT.toSeconds()
                        + " s while observed (" + e.getMessage() + "): the server hangs, as one does whose backends wait on a lock"
                        + " nobody releases (pg_failover_slots 1.2.1 deadlocks so before PostgreSQL 17.8)");
            }
            throw new NodeSqlException(node.name(), e);
        }
    }

    /**
     * The server's version, role and WAL positions, and its slot sync worker; {@code timelineInRecovery} is what gives the
     * timeline of a standby whose walreceiver does not run.
     */
    static String positionsQuery(String timelineInRecovery) {
        return """
                SELECT version() AS version, current_setting('server_version_num') AS version_num,
                       pg_is_in_recovery() AS in_recovery,
                       CASE WHEN pg_is_in_recovery()
                            THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver), %s)
                            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,
                       CASE WHEN NOT pg_is_in_recovery() THEN pg_current_wal_lsn() END AS current_lsn,
                       CASE WHEN pg_is_in_recovery() THEN greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())
                            ELSE pg_current_wal_flush_lsn() END AS flush_lsn,
                       pg_last_wal_receive_lsn() AS receive_lsn, pg_last_wal_replay_lsn() AS replay_lsn,
                       (SELECT min(pid) FROM pg_stat_activity WHERE backend_type = 'slotsync worker') AS sync_worker_pid
                """.formatted(timelineInRecovery);
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The node's session, made anew after the server restarted or came back on the network (the old one ended then). */
    private Connection connectionTo(Node node) {
        Session session = sessions.get(node);
        if (session != null && session.connectionEpoch() != node.connectionEpoch()) {
            forget(node);
            session = null;
        }
        if (session == null) {
            session = new Session(node.connect(), node.connectionEpoch());
            sessions.put(node, session);
        }
        return session.connection();
    }

    private void forget(Node node) {
        Session session = sessions.remove(node);
        if (session != null) {
            try {
                session.connection().close();
            } catch (SQLException e) {
                // the server side is gone already; nothing is left to release
            }
        }
    }

    /** Closes every session. */
    @Override
    public void close() {
        List.copyOf(sessions.keySet()).forEach(this::forget);
    }

    static List<SlotRow> slots(Statement statement) throws SQLException {
        List<SlotRow> rows = new ArrayList<>();
        // 19's sync skip statistics, read through JSON since earlier versions lack them
        try (ResultSet rs = statement.executeQuery("SELECT s.*, (to_jsonb(st) ->> 'slotsync_skip_count')::bigint AS slotsync_skip_count,"
                + " (to_jsonb(st) ->> 'slotsync_last_skip')::timestamptz AS slotsync_last_skip FROM pg_replication_slots s"
                + " LEFT JOIN pg_stat_replication_slots st ON st.slot_name = s.slot_name ORDER BY s.slot_name")) {
            Set<String> columns = columnNames(rs);
            while (rs.next()) {
                Columns c = new Columns(rs, columns);
                rows.add(new SlotRow(c.text("slot_name"), c.text("plugin"), c.text("slot_type"), c.number("datoid"), c.text("database"),
                        c.flag("temporary"), c.flag("active"), c.integer("active_pid"), c.number("xmin"), c.number("catalog_xmin"),
                        c.lsn("restart_lsn"), c.lsn("confirmed_flush_lsn"), c.text("wal_status"), c.number("safe_wal_size"),
                        c.flag("two_phase"), c.lsn("two_phase_at"), c.instant("inactive_since"), c.optionalFlag("conflicting"),
                        c.text("invalidation_reason"), c.optionalFlag("failover"), c.optionalFlag("synced"), c.text("slotsync_skip_reason"),
                        c.number("slotsync_skip_count"), c.instant("slotsync_last_skip")));
            }
        }
        return rows;
    }

    static List<ReplicationRow> replication(Statement statement) throws SQLException {
        List<ReplicationRow> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT *, (extract(epoch FROM replay_lag) * 1000)::bigint AS replay_lag_ms"
                + " FROM pg_stat_replication ORDER BY application_name, pid")) {
            Set<String> columns = columnNames(rs);
            while (rs.next()) {
                Columns c = new Columns(rs, columns);
                rows.add(new ReplicationRow(c.integer("pid"), c.text("application_name"), c.text("state"), c.lsn("sent_lsn"),
                        c.lsn("write_lsn"), c.lsn("flush_lsn"), c.lsn("replay_lsn"), c.text("sync_state"), c.number("replay_lag_ms")));
            }
        }
        return rows;
    }

    /** The walreceiver's row; a role without pg_read_all_stats sees it with its state and positions blank (timeline 0). */
    static Optional<WalReceiverRow> walReceiver(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT * FROM pg_stat_wal_receiver")) {
            Set<String> columns = columnNames(rs);
            if (!rs.next()) {
                return Optional.empty();
            }
            Columns c = new Columns(rs, columns);
            return Optional.of(new WalReceiverRow(c.integer("pid"), c.text("status"), c.lsn("receive_start_lsn"), c.lsn("written_lsn"),
                    c.lsn("flushed_lsn"), Objects.requireNonNullElse(c.integer("received_tli"), 0), c.text("slot_name"), c.text("sender_host"), c.integer("sender_port")));
        }
    }

    /** The workload's transaction ids on this node (none before its table exists). */
    private static List<Long> transactions(Statement statement) throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (firstRow(statement, "SELECT to_regclass('public." + TRANSACTIONS_TABLE + "') IS NOT NULL AS present").get("present").equals("t")) {
            try (ResultSet rs = statement.executeQuery("SELECT txn FROM public." + TRANSACTIONS_TABLE + " ORDER BY txn")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<String> preparedTransactions(Statement statement) throws SQLException {
        List<String> gids = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT gid FROM pg_prepared_xacts ORDER BY gid")) {
            while (rs.next()) {
                gids.add(rs.getString(1));
            }
        }
        return gids;
    }

    /** Subscriptions with their apply worker's positions; {@code subfailover} read through JSON, since 16 lacks it. */
    static List<SubscriptionRow> subscriptions(Statement statement) throws SQLException {
        return subscriptions(statement, "s.subconninfo", "(to_jsonb(s) ->> 'subfailover')::boolean");
    }

    /**
     * The same, the connection string read as {@code connectionColumn} and the failover flag as {@code failoverColumn}: where the
     * account may not read {@code subconninfo} (only superusers may: it may hold a password), neither reads the whole row.
     */
    static List<SubscriptionRow> subscriptions(Statement statement, String connectionColumn, String failoverColumn) throws SQLException {
        List<SubscriptionRow> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("""
                SELECT s.subname, s.subenabled, %s AS subconninfo, s.subslotname, %s AS subfailover,
                       w.pid, w.received_lsn, w.latest_end_lsn,
                       coalesce((SELECT bool_and(r.srsubstate = 'r') FROM pg_subscription_rel r WHERE r.srsubid = s.oid), true) AS tables_ready
                FROM pg_subscription s
                LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL AND w.leader_pid IS NULL
                ORDER BY s.subname""".formatted(connectionColumn, failoverColumn))) {
            Set<String> columns = columnNames(rs);
            while (rs.next()) {
                Columns c = new Columns(rs, columns);
                String connection = c.text("subconninfo");
                rows.add(new SubscriptionRow(c.text("subname"), c.flag("subenabled"), NodeSnapshot.conninfoHost(connection).orElse(null),
                        NodeSnapshot.conninfoPort(connection).orElse(null),
                        c.text("subslotname"), c.optionalFlag("subfailover"), c.integer("pid"), c.lsn("received_lsn"), c.lsn("latest_end_lsn"),
                        c.flag("tables_ready")));
            }
        }
        return rows;
    }

    static Map<String, String> settings(Statement statement) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery("SELECT name, setting FROM pg_settings WHERE name IN ('"
                + String.join("','", SLOT_SYNC_SETTINGS) + "') ORDER BY name")) {
            while (rs.next()) {
                settings.put(rs.getString(1), rs.getString(2));
            }
        }
        return settings;
    }

    static Map<String, String> firstRow(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            Map<String, String> row = new HashMap<>();
            for (String column : columnNames(rs)) {
                row.put(column, rs.getString(column));
            }
            return row;
        }
    }

    private static Set<String> columnNames(ResultSet rs) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            names.add(rs.getMetaData().getColumnName(i));
        }
        return names;
    }

    /** Reads a row by column name; a column the server version lacks reads as {@code null}. */
    private record Columns(ResultSet rs, Set<String> present) {
        String text(String column) throws SQLException {
            return present.contains(column) ? rs.getString(column) : null;
        }

        Long number(String column) throws SQLException {
            String text = text(column);
            return text == null ? null : Long.parseLong(text);
        }

        Integer integer(String column) throws SQLException {
            String text = text(column);
            return text == null ? null : Integer.parseInt(text);
        }

        Lsn lsn(String column) throws SQLException {
            return Lsn.parseNullable(text(column));
        }

        boolean flag(String column) throws SQLException {
            return "t".equals(text(column));
        }

        Boolean optionalFlag(String column) throws SQLException {
            String text = text(column);
            return text == null ? null : "t".equals(text);
        }

        Instant instant(String column) throws SQLException {
            if (!present.contains(column)) {
                return null;
            }
            Timestamp timestamp = rs.getTimestamp(column);
            return timestamp == null ? null : timestamp.toInstant();
        }
    }
}
