package io.slotcheck.scenarios;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.cli.Main;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.external.ExternalClusterFile;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./slotcheck suite} with the scenarios on the class path, as the launcher runs it. */
class SuiteCommandTest {

    @TempDir
    Path temp;

    @RegisterExtension
    final Clusters clusters = new Clusters();

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownScenarioIsAUsageErrorListingTheIds() {
        Outcome outcome = run("suite", "--only", "manual-sync,nosuch");
        assertEquals(ExitCode.USAGE.code(), outcome.code(), outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().startsWith("slotcheck: no scenario 'nosuch': choose from manual-sync, sync-worker, "), outcome.err());
        assertTrue(outcome.out().isEmpty(), "nothing ran: " + outcome.out());
    }

    /** The scenarios chosen, on the default target: a line each, summary.json, the history and the Allure result. */
    @Test
    void theChosenScenariosRunAndTheirResultsAreWritten() throws IOException {
        Path out = temp.resolve("suite");
        Outcome outcome = run("suite", "--only", "manual-sync,standby-off-the-network", "--out", out.toString());

        assertEquals(ExitCode.OK.code(), outcome.code(), outcome.out() + outcome.err());
        assertTrue(outcome.out().contains("scenario manual-sync: passed (10 steps, "), outcome.out());
        assertTrue(outcome.out().contains("scenario standby-off-the-network: not run: needs disconnect_node, which this target cannot run"),
                outcome.out());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertEquals("passed", summary.get("status"));
        assertEquals(List.of("manual-sync"), summary.get("passed"));
        assertEquals(List.of(), summary.get("failed"));
        assertEquals("standby-off-the-network", ((Map<?, ?>) ((List<?>) summary.get("not_run")).get(0)).get("id"));
        assertTrue(((Map<?, ?>) summary.get("duration_ms")).containsKey("manual-sync"), summary.toString());
        assertTrue(Files.isRegularFile(out.resolve("histories").resolve("manual-sync.jsonl")));
        try (Stream<Path> results = Files.list(out.resolve("allure-results"))) {
            List<Path> tests = results.filter(file -> file.toString().endsWith("-result.json")).toList();
            assertEquals(1, tests.size(), tests.toString());
            List<?> labels = (List<?>) ((Map<?, ?>) Json.parse(Files.readString(tests.get(0)))).get("labels");
            assertTrue(labels.containsAll(List.of(Map.of("name", "epic", "value", "Named scenarios"), Map.of("name", "feature", "value",
                    "manual sync"))), labels.toString());
        }
    }

    /** A suite that ran nothing passed nothing: on 16 (no failover slots) it says so in one line, with its exit code. */
    @Test
    void aTargetNoScenarioAppliesToIsRefusedAfterSayingWhy() throws IOException {
        Path out = temp.resolve("suite16");
        Outcome outcome = run("suite", "--target", "16", "--only", "manual-sync", "--out", out.toString());

        assertEquals(ExitCode.NO_FAILOVER_SLOTS.code(), outcome.code(), outcome.out() + outcome.err());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().startsWith("slotcheck: no scenario could run on PostgreSQL 16."), outcome.err());
        assertTrue(outcome.err().contains("applies to PostgreSQL 17 and later"), outcome.err());
        assertEquals("nothing_run", ((Map<?, ?>) Json.parse(Files.readString(out.resolve("summary.json")))).get("status"));
    }

    /**
     * 17.5 lacks 17.6's fix of a primary's slot moving back on a stale acknowledgement: the scenario shows it there, as the
     * defect fixed upstream that it is, with its own exit code and status.
     */
    @Test
    void aDefectAnOlderMinorHasIsReportedAsFixedUpstream() throws IOException {
        Path out = temp.resolve("suite17.5");
        Outcome outcome = run("suite", "--target", "17.5.0", "--only", "stale-acknowledgement", "--out", out.toString());

        assertEquals(ExitCode.FIXED_UPSTREAM.code(), outcome.code(), outcome.out() + outcome.err());
        assertTrue(outcome.out().contains("scenario stale-acknowledgement: KNOWN DEFECT (6 steps, "), outcome.out());
        assertTrue(outcome.out().contains("primary-confirmed-flush-never-retreats violated (fixed upstream in 17.6 (commit 7318f241d2,"),
                outcome.out());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertEquals("fixed-upstream", summary.get("status"));
        assertEquals("stale-acknowledgement", ((Map<?, ?>) ((List<?>) summary.get("fixed_upstream")).get(0)).get("id"));
        assertEquals(List.of(), summary.get("failed"));
    }

    /**
     * On a cluster slotcheck did not make, each scenario adopts it and takes away what it made; what the file does not
     * allow (stopping a server), what no external cluster can undergo (a paused server), and assertions about log lines where
     * the servers' logs cannot be read over SQL (no logging collector), are not run, saying why.
     */
    @Test
    void onAnExternalClusterEachScenarioAdoptsItAndWhatTheFileDoesNotAllowIsNotRun() throws IOException {
        Cluster pair = clusters.startPair("17");
        Path config = ExternalClusterFile.write(temp, "careful.json", pair, false, Optional.empty(), false);
        Path out = temp.resolve("suite-external");

        Outcome outcome = run("suite", "--external", config.toString(), "--only", "manual-sync,sync-worker,promotion,standby-paused",
                "--out", out.toString());

        assertEquals(ExitCode.OK.code(), outcome.code(), outcome.out() + outcome.err());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(out.resolve("summary.json")));
        assertEquals(List.of("manual-sync"), summary.get("passed"), summary.toString());
        Map<String, String> notRun = ((List<?>) summary.get("not_run")).stream().map(Map.class::cast)
                .collect(Collectors.toMap(entry -> (String) entry.get("id"), entry -> (String) entry.get("reason")));
        assertEquals("needs stop_node, which this target cannot run: 'stop' is destructive and careful.json does not allow_destructive",
                notRun.get("promotion"), notRun.toString());
        assertTrue(notRun.get("standby-paused").startsWith("needs pause_node, which this target cannot run: "), notRun.toString());
        assertEquals("needs the servers' logs, which slotcheck cannot read: db1 has no logging collector writing a file to read"
                + " (logging_collector = off)", notRun.get("sync-worker"), notRun.toString());
        // found as it was: the standby streams through its slot, and no slot or table of the scenarios is left
        assertEquals("streaming", pair.primary().queryValue("SELECT state FROM pg_stat_replication"));
        assertEquals("1", pair.primary().queryValue("SELECT count(*) FROM pg_replication_slots"));
        assertEquals("0", pair.standby().queryValue("SELECT count(*) FROM pg_replication_slots"));
        assertEquals("0", pair.primary().queryValue("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'slotcheck%'"));

        // allowed to stop and rejoin, the file's rejoin is still the cluster's own: it may take the slots of field failure 1 away
        Path destructive = ExternalClusterFile.write(temp, "destructive.json", pair, true, Optional.empty(), false);
        Outcome leftover = run("suite", "--external", destructive.toString(), "--only", "manual-sync,leftover-failover-slots",
                "--out", temp.resolve("suite-destructive").toString());
        assertEquals(ExitCode.OK.code(), leftover.code(), leftover.out() + leftover.err());
        assertTrue(leftover.out().contains("scenario leftover-failover-slots: not run: needs a rejoin that keeps the server's own slots: the rejoin"
                + " command of destructive.json is the cluster's own"), leftover.out());
    }
}
