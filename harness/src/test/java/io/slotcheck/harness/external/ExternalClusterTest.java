package io.slotcheck.harness.external;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Map<String, Object> summary = ExternalCampaigns.campaign(temp, config, "promotion-heavy", 2, "crash,partition,roles", 350);
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

        Map<String, Object> summary = ExternalCampaigns.campaign(temp, config, "promotion-heavy", 1);

        Map<?, ?> notDrawn = (Map<?, ?>) summary.get("operations_not_drawn");
        assertEquals("'stop' is destructive and careful.json does not allow_destructive", notDrawn.get("stop_node"));
        assertEquals("'kill' is destructive and careful.json does not allow_destructive", notDrawn.get("crash_node"));
        assertEquals("'promote' is destructive and careful.json does not allow_destructive", notDrawn.get("promote"));
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertFalse(operations.containsKey("stop_node") || operations.containsKey("crash_node") || operations.containsKey("promote"),
                operations.toString());
        assertEquals("streaming", pair.primary().queryValue("SELECT state FROM pg_stat_replication"));
    }

}
