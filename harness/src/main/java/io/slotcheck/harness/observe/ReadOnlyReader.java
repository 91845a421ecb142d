package io.slotcheck.harness.observe;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.ReplicationRow;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.observation.WalReceiverRow;
import io.slotcheck.model.readiness.ConfigFileEntry;
import io.slotcheck.model.readiness.HeldConsumer;
import io.slotcheck.model.readiness.Unread;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a live server for {@code ./slotcheck doctor}, changing nothing: the same views as the {@link Observer}, through
 * a session the caller made read-only, with no more than a monitoring role's privileges ({@code pg_monitor}, which
 * holds {@code pg_read_all_settings} and {@code pg_read_all_stats}). What the account may not read is not a failure: it
 * is recorded as {@link Unread}, and the rules that need it are not applied.
 */
public final class ReadOnlyReader {

    /** A server's snapshot, with what only the doctor reads. */
    public record Reading(NodeSnapshot snapshot, List<ConfigFileEntry> configFiles, List<HeldConsumer> heldConsumers, List<Unread> unread) {
    }

    /** What a part of the reading runs; a refusal of the server leaves that part out. */
    private interface Part<T> {
        T read(Statement statement) throws SQLException;
    }

    private ReadOnlyReader() {
    }

    /** What {@code node}'s server shows now, through {@code connection}. */
    public static Reading read(String node, String host, Connection connection) throws SQLException {
        List<Unread> unread = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            // a monitoring role may not run pg_control_checkpoint(): a standby not streaming shows timeline 0
            Map<String, String> positions = Observer.firstRow(statement, Observer.positionsQuery("0"));
            boolean inRecovery = "t".equals(positions.get("in_recovery"));
            int versionNum = Integer.parseInt(positions.get("version_num"));
            List<SlotRow> slots = Observer.slots(statement);
            List<ReplicationRow> replication = part(statement, node, "pg_stat_replication", Observer::replication, List.of(), unread);
            Optional<WalReceiverRow> walReceiver = part(statement, node, "pg_stat_wal_receiver", Observer::walReceiver, Optional.empty(), unread);
            Map<String, String> settings = new LinkedHashMap<>(Observer.settings(statement));
            if (inRecovery && !settings.containsKey("primary_conninfo")) {
                unread.add(new Unread(node, "primary_conninfo", "a superuser-only setting: grant the account pg_read_all_settings"));
            }
            settings.computeIfPresent("primary_conninfo", (name, value) -> Cluster.maskPasswords(value));
            List<SubscriptionRow> subscriptions = subscriptions(statement, node, versionNum, unread);
            List<String> logTail = part(statement, node, "the server log (a superuser, or EXECUTE on pg_read_binary_file(text, bigint,"
                    + " bigint) and pg_stat_file(text))", ReadOnlyReader::logTail, List.of(), unread);
            if ("f".equals(Observer.firstRow(statement, "SELECT pg_has_role('pg_read_all_stats', 'USAGE') AS stats").get("stats"))) {
                unread.add(new Unread(node, "the walreceiver's and other sessions' state (pg_stat_wal_receiver, pg_stat_activity)",
                        "grant the account pg_monitor, or pg_read_all_stats"));
            }
            NodeSnapshot snapshot = new NodeSnapshot(node, host, Instant.now(), positions.get("version"), versionNum, inRecovery,
                    Integer.parseInt(positions.get("timeline")), Lsn.parseNullable(positions.get("current_lsn")),
                    Lsn.parseNullable(positions.get("flush_lsn")), Lsn.parseNullable(positions.get("receive_lsn")),
                    Lsn.parseNullable(positions.get("replay_lsn")), slots, replication, walReceiver, settings, logTail, List.of(),
                    subscriptions, Optional.ofNullable(positions.get("sync_worker_pid")).map(Integer::valueOf).orElse(null), List.of());
            List<ConfigFileEntry> files = part(statement, node, "pg_file_settings (the configuration files)", s -> configFiles(s, node),
                    List.of(), unread);
            List<HeldConsumer> held = part(statement, node, "pg_stat_activity", ReadOnlyReader::heldConsumers, List.of(), unread);
            return new Reading(snapshot, files, held, unread);
        }
    }

    private static <T> T part(Statement statement, String node, String what, Part<T> part, T unreadValue, List<Unread> unread) {
        try {
            return part.read(statement);
        } catch (SQLException e) {
            unread.add(new Unread(node, what, firstLine(e.getMessage())));
            return unreadValue;
        }
    }

    /** Subscriptions, without their connection where the account may not read it. */
    private static List<SubscriptionRow> subscriptions(Statement statement, String node, int versionNum, List<Unread> unread)
            throws SQLException {
        try {
            return Observer.subscriptions(statement);
        } catch (SQLException e) {
            unread.add(new Unread(node, "pg_subscription.subconninfo (where each subscription connects)", firstLine(e.getMessage())));
            return Observer.subscriptions(statement, "NULL::text", versionNum >= 170000 ? "s.subfailover" : "NULL::boolean");
        }
    }

    /** The lines of the configuration files the server refuses, and any that names the pre-release standby_slot_names. */
    private static List<ConfigFileEntry> configFiles(Statement statement, String node) throws SQLException {
        List<ConfigFileEntry> entries = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT sourcefile, sourceline, name, setting, error FROM pg_file_settings"
                + " WHERE error IS NOT NULL OR name = 'standby_slot_names' ORDER BY sourcefile, sourceline")) {
            while (rs.next()) {
                int line = rs.getInt(2);
                entries.add(new ConfigFileEntry(node, rs.getString(1), rs.wasNull() ? null : line, rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return entries;
    }

    /** How much of the end of the server log is read: the slot sync worker's last errors are there. */
    private static final int LOG_TAIL_BYTES = 256 * 1024;

    /** The last lines of the file the logging collector writes now; without a collector the log cannot be read over SQL. */
    private static List<String> logTail(Statement statement) throws SQLException {
        // bytes, not text: a read from the middle of the file may begin inside a character, which pg_read_file refuses
        try (ResultSet rs = statement.executeQuery("SELECT f, o, pg_read_binary_file(f, o, " + LOG_TAIL_BYTES + ") FROM pg_current_logfile() AS f,"
                + " LATERAL (SELECT greatest(0, (pg_stat_file(f)).size - " + LOG_TAIL_BYTES + ") AS o) AS offsets")) {
            if (!rs.next() || rs.getString(1) == null) {
                throw new SQLException("the server has no logging collector (logging_collector = off), so its log cannot be read over SQL");
            }
            List<String> lines = new String(rs.getBytes(3), StandardCharsets.UTF_8).lines().toList();
            // read from inside the file, the first line may start mid-line
            return rs.getLong(2) > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
        }
    }

    private static List<HeldConsumer> heldConsumers(Statement statement) throws SQLException {
        List<HeldConsumer> held = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT pid, backend_type, coalesce(application_name, '') FROM pg_stat_activity"
                + " WHERE wait_event = 'WaitForStandbyConfirmation' ORDER BY pid")) {
            while (rs.next()) {
                held.add(new HeldConsumer(rs.getInt(1), rs.getString(2), rs.getString(3)));
            }
        }
        return held;
    }

    private static String firstLine(String message) {
        return message == null ? "refused" : message.lines().findFirst().orElse(message);
    }
}
