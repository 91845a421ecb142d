package io.slotcheck.harness.external;

import io.slotcheck.harness.cli.Main;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external mode against a pair this test starts and hands over only as URLs and shell commands (pg_ctl, run as the
 * servers' account, and {@link CloneAsStandby} to rejoin): slotcheck runs its campaign there, draws only what the
 * configuration lets it do, and leaves the pair as it found it, but for which of the two is the primary.
 */
class ExternalClusterTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    @TempDir
    Path temp;

    private static final String SETTINGS = "SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings"
            + " WHERE name IN ('hot_standby_feedback', 'sync_replication_slots', 'synchronized_standby_slots')";

    @Test
    void aCampaignRunsOnAClusterHandedOverAsUrlsAndCommandsAndLeavesItAsItWas() throws IOException {
        Cluster pair = clusters.startPair("17");
        Node db1 = pair.primary();
        Node db2 = pair.standby();
        Node db3 = pair.addStandby("db3");
        // the primary's log goes where its logging collector puts it, which slotcheck reads over SQL
        db1.setAndRestart(Map.of("logging_collector", "on"));
        db2.setAndRestart(Map.of("logging_collector", "on"));
        String db1Settings = db1.queryValue(SETTINGS);
        String db2Settings = db2.queryValue(SETTINGS);
        Path config = ExternalClusterFile.write(temp, "cluster.json", pair, true, Optional.empty(), false);
        // two primaries, as a run cut short after a promotion leaves them: db2 (the newer timeline) stays, db1 is rejoined
        db2.promote();

        // the faults the file's commands serve: crashes and stops, partitions, role changes (seed 350 draws each of them in two sequences)
        Map<String, Object> summary = campaign(config, "promotion-heavy", 2, "crash,partition,roles", 350);
        List<String> history = Files.readAllLines(temp.resolve("run-cluster.json").resolve("histories").resolve("sequence-001.jsonl"));
        assertTrue(history.stream().skip(1).map(step -> (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(step)).get("observations")).get("primary"))
                        .anyMatch(seen -> seen != null && !((List<?>) seen.get("log_lines")).isEmpty()),
                "the primary's log lines are in the history");
        Map<?, ?> firstStep = (Map<?, ?>) Json.parse(history.get(1));
        assertEquals(Integer.toString(db2.port()), ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) firstStep.get("observations")).get("primary")).get("settings"))
                .get("port"), "the newer of two primaries is the first sequence's primary");

        assertEquals("conformant", summary.get("status"), summary.toString());
        assertEquals("--external " + config, summary.get("target"));
        Map<?, ?> notDrawn = (Map<?, ?>) summary.get("operations_not_drawn");
        assertTrue(notDrawn.containsKey("pause_node") && notDrawn.containsKey("delay_link"), "what needs more than the configuration gives is named: "
                + notDrawn);
        assertFalse(notDrawn.containsKey("stop_node") || notDrawn.containsKey("crash_node") || notDrawn.containsKey("start_node")
                || notDrawn.containsKey("partition_link") || notDrawn.containsKey("promote") || notDrawn.containsKey("rejoin"), notDrawn.toString());
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertTrue(operations.containsKey("stop_node") || operations.containsKey("crash_node"), "the commands were used: " + operations);
        assertTrue(operations.containsKey("promote") && operations.containsKey("rejoin"), "roles changed by the commands: " + operations);
        List<String> partitions = Files.readAllLines(temp.resolve("partitions.log"));
        assertTrue(operations.containsKey("partition_link"), operations.toString());
        assertEquals(operations.get("partition_link"), (long) partitions.stream().filter(line -> line.matches("partition (blackhole|refuse)")).count(),
                "each partition ran the command, told how: " + partitions);
        assertEquals(operations.get("heal_link"), (long) partitions.stream().filter(line -> line.equals("heal")).count(), partitions.toString());
        assertFalse(operations.containsKey("pause_node"), operations.toString());

        // one primary and standbys streaming from it, whichever is which, with no slot, table or setting of slotcheck's left
        List<Node> primaries = List.of(db1, db2, db3).stream().filter(node -> !node.inRecovery()).toList();
        assertEquals(1, primaries.size(), "one primary");
        Node primary = primaries.get(0);
        List<String> standbySlots = List.of(db1, db2, db3).stream().filter(node -> node != primary)
                .map(standby -> standby.queryValue("SELECT current_setting('primary_slot_name')")).sorted().toList();
        assertEquals(String.join(",", standbySlots), primary.queryValue("SELECT string_agg(s.slot_name, ',' ORDER BY s.slot_name)"
                + " FROM pg_replication_slots s JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE r.state = 'streaming'"),
                "each standby streams through its slot");
        assertEquals(standbySlots.size(), Integer.parseInt(primary.queryValue("SELECT count(*) FROM pg_replication_slots")),
                "only the slots the standbys stream through");
        for (Node standby : List.of(db1, db2, db3).stream().filter(node -> node != primary).toList()) {
            assertEquals("0", standby.queryValue("SELECT count(*) FROM pg_replication_slots"), standby.name());
        }
        assertEquals("0", primary.queryValue("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'slotcheck%'"));
        assertEquals(db1Settings, db1.queryValue(SETTINGS));
        assertEquals(db2Settings, db2.queryValue(SETTINGS));
    }

    @Test
    void withoutAllowDestructiveItsCommandsAreNotRun() throws IOException {
        Cluster pair = clusters.startPair("17");
        Path config = ExternalClusterFile.write(temp, "careful.json", pair, false, Optional.empty(), false);

        Map<String, Object> summary = campaign(config, "promotion-heavy", 1);

        Map<?, ?> notDrawn = (Map<?, ?>) summary.get("operations_not_drawn");
        assertEquals("'stop' is destructive and careful.json does not allow_destructive", notDrawn.get("stop_node"));
        assertEquals("'kill' is destructive and careful.json does not allow_destructive", notDrawn.get("crash_node"));
        assertEquals("'promote' is destructive and careful.json does not allow_destructive", notDrawn.get("promote"));
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertFalse(operations.containsKey("stop_node") || operations.containsKey("crash_node") || operations.containsKey("promote"),
                operations.toString());
        assertEquals("streaming", pair.primary().queryValue("SELECT state FROM pg_stat_replication"));
    }

    @Test
    void aSubscriberTheFileNamesReceivesEveryTransactionOnceAcrossFailoversOnServersSharingAPort() throws IOException, SQLException {
        Cluster pair = clusters.startPair("17");
        Node subscriber = pair.addSubscriber("sub");
        Path config = ExternalClusterFile.write(temp, "continuity.json", pair, true, Optional.of(subscriber), true);
        // a standby that cannot stream (its slot is not there) is rejoined before the first sequence
        pair.standby().execute("ALTER SYSTEM SET primary_slot_name = 'gone'");
        // db2 moves to a host of its own (127.0.0.2) on db1's port, as servers of a real cluster listen
        run(ServerAccount.forCurrentProcess().command(List.of(ExternalClusterFile.pgCtl(), "-D", pair.standby().dataDirectory().toString(), "-m", "fast", "-w", "stop")));
        run(ExternalClusterFile.startCommand(pair.standby(), Optional.of(ExternalClusterFile.SHARED_PORT_OPTIONS.formatted(pair.primary().port()))));

        Map<String, Object> summary = campaign(config, "continuity", 2);

        assertEquals("conformant", summary.get("status"), summary.toString());
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertTrue(operations.containsKey("create_subscription") && operations.containsKey("await_subscriber_catch_up"), operations.toString());
        Map<?, ?> exercised = (Map<?, ?>) summary.get("invariants_exercised");
        assertTrue((Long) exercised.get("each-transaction-applied-once") > 0 && (Long) exercised.get("caught-up-subscriber-matches-its-publisher") > 0,
                exercised.toString());
        assertTrue((Long) exercised.get("worker-converges-when-quiet") > 0, "the standby on the shared port is found as the primary's: " + exercised);
        assertTrue(((Map<?, ?>) summary.get("operations_not_drawn")).containsKey("move_endpoint"));
        // the subscriber is left with no subscription or table of slotcheck's, and the publisher with no slot of theirs
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_subscription"));
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'slotcheck%'"));
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_replication_slots"), "nor a slot a sequence made there");
        String db1 = "127.0.0.1:" + pair.primary().port();
        String db2 = "127.0.0.2:" + pair.primary().port();
        for (String server : List.of(db1, db2)) {
            assertEquals("0", query(server, "SELECT count(*) FROM pg_replication_slots WHERE slot_type = 'logical'"), server);
        }
        String primary = "f".equals(query(db1, "SELECT pg_is_in_recovery()")) ? db1 : db2;
        assertEquals("streaming", query(primary, "SELECT r.state FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid"),
                "the standby streams through a slot again");
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder("sh", "-c", String.join(" ", command))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String query(String server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", "postgres", "");
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private Map<String, Object> campaign(Path config, String profile, int sequences) throws IOException {
        return campaign(config, profile, sequences, "all", 33);
    }

    private Map<String, Object> campaign(Path config, String profile, int sequences, String faults, long seed) throws IOException {
        Path out = temp.resolve("run-" + config.getFileName());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = Main.run(List.of("run", "--external", config.toString(), "--profile", profile, "--faults", faults, "--sequences",
                Integer.toString(sequences), "--steps", "15", "--seed", Long.toString(seed), "--out", out.toString()),
                new PrintStream(output), new PrintStream(errors));
        assertEquals(0, exit, output + "\n" + errors);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        return summary;
    }

}
