package io.slotcheck.harness.external;

import io.slotcheck.harness.cli.Main;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.PgInstallation;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external mode against a pair this test starts and hands over only as URLs and shell commands (pg_ctl, run as the
 * servers' account): slotcheck runs its campaign there, draws only what the configuration lets it do, and leaves the
 * pair as it found it.
 */
class ExternalClusterTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    @TempDir
    Path temp;

    private static final String SETTINGS = "SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings"
            + " WHERE name IN ('hot_standby_feedback', 'sync_replication_slots', 'synchronized_standby_slots')";

    @Test
    void aCampaignRunsOnAPairHandedOverAsUrlsAndCommandsAndLeavesItAsItWas() throws IOException {
        Cluster pair = clusters.startPair("17");
        Node primary = pair.primary();
        Node standby = pair.standby();
        // the primary's log goes where its logging collector puts it, which slotcheck reads over SQL
        primary.setAndRestart(Map.of("logging_collector", "on"));
        String slotsBefore = primary.queryValue("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots");
        String primarySettings = primary.queryValue(SETTINGS);
        String standbySettings = standby.queryValue(SETTINGS);
        Path config = write("cluster.json", pair, true);

        Map<String, Object> summary = campaign(config, "promotion-heavy", 2);
        List<String> history = Files.readAllLines(temp.resolve("run-cluster.json").resolve("histories").resolve("sequence-001.jsonl"));
        assertTrue(history.stream().skip(1).map(step -> (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(step)).get("observations")).get("primary"))
                        .anyMatch(seen -> seen != null && !((List<?>) seen.get("log_lines")).isEmpty()),
                "the primary's log lines are in the history");

        assertEquals("conformant", summary.get("status"), summary.toString());
        assertEquals("--external " + config, summary.get("target"));
        Map<?, ?> notDrawn = (Map<?, ?>) summary.get("operations_not_drawn");
        assertTrue(notDrawn.containsKey("promote") && notDrawn.containsKey("pause_node") && notDrawn.containsKey("delay_link"),
                "what needs more than the configuration gives is named: " + notDrawn);
        assertFalse(notDrawn.containsKey("stop_node") || notDrawn.containsKey("crash_node") || notDrawn.containsKey("start_node")
                || notDrawn.containsKey("partition_link"), notDrawn.toString());
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertTrue(operations.containsKey("stop_node") || operations.containsKey("crash_node"), "the commands were used: " + operations);
        List<String> partitions = Files.readAllLines(temp.resolve("partitions.log"));
        assertTrue(operations.containsKey("partition_link"), operations.toString());
        assertEquals(operations.get("partition_link"), (long) partitions.stream().filter(line -> line.matches("partition (blackhole|refuse)")).count(),
                "each partition ran the command, told how: " + partitions);
        assertEquals(operations.get("heal_link"), (long) partitions.stream().filter(line -> line.equals("heal")).count(), partitions.toString());
        assertFalse(operations.containsKey("promote") || operations.containsKey("pause_node"), operations.toString());

        assertEquals(slotsBefore, primary.queryValue("SELECT string_agg(slot_name, ',' ORDER BY slot_name) FROM pg_replication_slots"),
                "the slots slotcheck made are gone, the standby's is kept");
        assertEquals("0", primary.queryValue("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'slotcheck%'"));
        assertEquals(primarySettings, primary.queryValue(SETTINGS));
        assertEquals(standbySettings, standby.queryValue(SETTINGS));
        assertEquals("streaming", primary.queryValue("SELECT state FROM pg_stat_replication"), "the pair runs on, streaming");
    }

    @Test
    void withoutAllowDestructiveItsCommandsAreNotRun() throws IOException {
        Cluster pair = clusters.startPair("17");
        Path config = write("careful.json", pair, false);

        Map<String, Object> summary = campaign(config, "promotion-heavy", 1);

        Map<?, ?> notDrawn = (Map<?, ?>) summary.get("operations_not_drawn");
        assertEquals("'stop' is destructive and careful.json does not allow_destructive", notDrawn.get("stop_node"));
        assertEquals("'kill' is destructive and careful.json does not allow_destructive", notDrawn.get("crash_node"));
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertFalse(operations.containsKey("stop_node") || operations.containsKey("crash_node"), operations.toString());
        assertEquals("streaming", pair.primary().queryValue("SELECT state FROM pg_stat_replication"));
    }

    private Map<String, Object> campaign(Path config, String profile, int sequences) throws IOException {
        Path out = temp.resolve("run-" + config.getFileName());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = Main.run(List.of("run", "--external", config.toString(), "--profile", profile, "--sequences", Integer.toString(sequences),
                "--steps", "15", "--seed", "30", "--out", out.toString()), new PrintStream(output), new PrintStream(errors));
        assertEquals(0, exit, output + "\n" + errors);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        return summary;
    }

    /**
     * The configuration another tool would write for {@code pair}: its URLs, and pg_ctl commands run as the servers'
     * account, one per node.
     */
    private Path write(String name, Cluster pair, boolean allowDestructive) throws IOException {
        streamDirectly(pair);
        PgInstallation installation = Clusters.embedded("17").installation().orElseThrow();
        ServerAccount account = ServerAccount.forCurrentProcess();
        StringBuilder stop = new StringBuilder();
        StringBuilder start = new StringBuilder();
        StringBuilder kill = new StringBuilder();
        for (Node node : List.of(pair.primary(), pair.standby())) {
            String pgCtl = installation.bin("pg_ctl").toString();
            String data = node.dataDirectory().toString();
            String separator = stop.isEmpty() ? "" : ", ";
            stop.append(separator).append(entry(node, account, List.of(pgCtl, "-D", data, "-m", "fast", "-w", "stop")));
            kill.append(separator).append(entry(node, account, List.of(pgCtl, "-D", data, "-m", "immediate", "-w", "stop")));
            start.append(separator).append(entry(node, account, List.of(pgCtl, "-D", data, "-l", node.dataDirectory().resolveSibling("external.log")
                    .toString(), "-w", "start")));
        }
        Path config = temp.resolve(name);
        // the partition commands only say what they were asked: what they do to the network is the user's command's
        Path partitions = temp.resolve("partitions.log");
        Files.writeString(config, """
                {
                  "primary": "jdbc:postgresql://127.0.0.1:%d/postgres",
                  "standby": "jdbc:postgresql://127.0.0.1:%d",
                  "user": "postgres",
                  "commands": {"stop": {%s}, "start": {%s}, "kill": {%s},
                               "partition": "echo partition {how} >> %s", "heal": "echo heal >> %s"},
                  "allow_destructive": %s
                }
                """.formatted(pair.primary().port(), pair.standby().port(), stop, start, kill, partitions, partitions, allowDestructive));
        return config;
    }

    /** The standby streaming from the primary's own port, as in a cluster slotcheck did not make (not through its relay). */
    private static void streamDirectly(Cluster pair) {
        Node standby = pair.standby();
        String conninfo = standby.queryValue("SELECT current_setting('primary_conninfo')")
                .replaceFirst("port=\\d+", "port=" + pair.primary().port());
        standby.execute("ALTER SYSTEM SET primary_conninfo = '" + conninfo + "'", "SELECT pg_reload_conf()");
        standby.pollQueryUntil("SELECT sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'", Integer.toString(pair.primary().port()),
                java.time.Duration.ofSeconds(30));
    }

    private static String entry(Node node, ServerAccount account, List<String> command) {
        return Json.write(node.name()) + ": " + Json.write(String.join(" ", account.command(command)));
    }
}
