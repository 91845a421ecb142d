package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.observe.HistoryRecorder;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.FakeCentral;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.harness.server.ServerAccount;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one line saying what to do, and its own exit code. */
class MainTest {

    @TempDir
    Path temp;

    /** JUnit makes temporary directories private; when root, the servers' account must reach work directories in it. */
    @BeforeEach
    void letTheServerAccountIn() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Outcome(int code, String out, String err) {
        void isOneLineError(ExitCode expected, String mentioning) {
            assertEquals(expected.code(), code, err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("slotcheck: "), err);
            assertTrue(err.contains(mentioning), err);
            assertTrue(!err.contains("Exception") && !err.contains("\tat "), "no stack trace: " + err);
        }
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new ArrayList<>(List.of(args)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandOrOptionIsAUsageError() {
        run("frobnicate").isOneLineError(ExitCode.USAGE, "unknown command 'frobnicate'");
        run("bench", "--fast").isOneLineError(ExitCode.USAGE, "unknown option '--fast'");
        run("bench", "--runs", "0").isOneLineError(ExitCode.USAGE, "--runs takes a positive whole number");
        run("bench", "--target").isOneLineError(ExitCode.USAGE, "--target needs a value");
        run("bench", "--target", "17", "--pg-home", "/usr").isOneLineError(ExitCode.USAGE, "exclude each other");
    }

    /** The harness alone has no scenarios (the scenarios module's SuiteCommandTest runs the command with them). */
    @Test
    void theSuiteTakesItsOptionsAndSaysHowToGetItsScenarios() {
        run("suite", "--sequences", "3").isOneLineError(ExitCode.USAGE, "unknown option '--sequences'");
        run("suite", "--only").isOneLineError(ExitCode.USAGE, "--only needs a value");
        run("suite", "--only", "manual-sync").isOneLineError(ExitCode.SUITE_NOT_BUILT, "run it through ./slotcheck, which builds it");
    }

    @Test
    void helpListsTheCommands() {
        Outcome help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("bench"), help.out());
        assertTrue(help.out().contains("\n  suite "), help.out());
    }

    @Test
    void versionThatIsNoVersionIsRejectedBeforeAnythingRuns() {
        run("bench", "--target", "seventeen", "--work-dir", temp.resolve("w").toString())
                .isOneLineError(ExitCode.BINARIES, "'seventeen' is not a PostgreSQL version");
    }

    @Test
    void versionMissingFromMavenCentralSaysWhichExist() {
        run("bench", "--target", "17.99.0", "--work-dir", temp.resolve("w").toString())
                .isOneLineError(ExitCode.BINARIES, "PostgreSQL 17.99.0 does not resolve from Maven Central");
    }

    @Test
    void latestOfAMajorMavenCentralLacksIsRefusedBeforeAnythingRuns() throws IOException {
        String central = FakeCentral.listing(temp.resolve("central"), "16.16.0", "17.12.0", "18.7.0");
        for (String target : List.of("99-latest", "pg99-latest")) {
            FakeCentral.asCentral(central, () -> run("bench", "--target", target, "--work-dir", temp.resolve("w").toString()))
                    .isOneLineError(ExitCode.BINARIES, "Maven Central has no PostgreSQL 99.x: give a major it has (its newest version is 18.7.0)");
        }
        assertFalse(Files.exists(temp.resolve("w")), "nothing was made");
    }

    @Test
    void ivorySqlModeNeedsAnIvorySqlInstallationAndAKnownMode() {
        run("bench", "--ivorysql-mode", "oracle").isOneLineError(ExitCode.USAGE, "--ivorysql-mode needs --pg-home");
        run("bench", "--pg-home", "/usr", "--ivorysql-mode", "mysql").isOneLineError(ExitCode.USAGE, "takes pg or oracle, not 'mysql'");
        Path postgres = Clusters.embedded("17").installation().orElseThrow().home();
        run("bench", "--pg-home", postgres.toString(), "--ivorysql-mode", "pg")
                .isOneLineError(ExitCode.USAGE, "--ivorysql-mode applies to an IvorySQL installation");
    }

    @Test
    void pgFailoverSlotsNeedsAnInstallationThatHasIt() {
        run("bench", "--slot-sync", "pg_failover_slots").isOneLineError(ExitCode.USAGE, "--slot-sync needs --pg-home");
        run("bench", "--pg-home", "/usr", "--slot-sync", "repmgr").isOneLineError(ExitCode.USAGE, "takes built-in or pg_failover_slots, not 'repmgr'");
        Path postgres = Clusters.embedded("17").installation().orElseThrow().home();
        run("bench", "--pg-home", postgres.toString(), "--slot-sync", "pg_failover_slots")
                .isOneLineError(ExitCode.BINARIES, "has no pg_failover_slots extension");
    }

    @Test
    void containerOptionsAreCheckedBeforeAnythingRuns() {
        run("bench", "--backend", "podman").isOneLineError(ExitCode.USAGE, "--backend takes local or docker, not 'podman'");
        run("bench", "--image", "postgres:17").isOneLineError(ExitCode.USAGE, "--image needs --backend docker");
        run("bench", "--backend", "docker", "--image", "postgres:17", "--target", "17")
                .isOneLineError(ExitCode.USAGE, "--image names the servers already: leave out --target");
        run("bench", "--backend", "docker", "--image-profile", "postgres").isOneLineError(ExitCode.USAGE, "--image-profile needs --image");
        run("bench", "--backend", "docker", "--image", "postgres:17", "--image-profile", "oracle")
                .isOneLineError(ExitCode.USAGE, "--image-profile takes one of local, postgres, ivorysql, not 'oracle'");
        run("bench", "--backend", "docker", "--image", "postgres:17", "--ivorysql-mode", "pg")
                .isOneLineError(ExitCode.USAGE, "--ivorysql-mode applies to IvorySQL's images: add --image-profile ivorysql");
    }

    @Test
    void externalClusterOptionsAreCheckedBeforeAnythingRuns() {
        run("run", "--external", temp.resolve("missing.json").toString()).isOneLineError(ExitCode.EXTERNAL_CONFIG, "missing.json cannot be read");
        run("run", "--external", "cluster.json", "--target", "17").isOneLineError(ExitCode.USAGE, "--external names the servers already");
        run("bench", "--external", "cluster.json").isOneLineError(ExitCode.USAGE, "bench times pairs slotcheck makes: leave out --external");
    }

    @Test
    void pgHomeWithoutBinariesNamesWhatIsMissing() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("not-postgres/bin"));
        run("bench", "--pg-home", empty.getParent().toString(), "--work-dir", temp.resolve("w").toString())
                .isOneLineError(ExitCode.BINARIES, "no initdb in " + empty);
    }

    @Test
    void workDirectoryInUseOrUnwritableIsRefused() throws IOException {
        Path foreign = Files.createDirectories(temp.resolve("somebody-elses"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        run("bench", "--work-dir", foreign.toString()).isOneLineError(ExitCode.WORK_DIRECTORY, "in use by something else");

        Path file = Files.writeString(temp.resolve("a-file"), "x");
        run("bench", "--work-dir", file.resolve("below").toString()).isOneLineError(ExitCode.WORK_DIRECTORY, "cannot use work directory");
        assertTrue(Files.readString(foreign.resolve("notes.txt")).equals("mine"), "nothing of the foreign directory was touched");
    }

    /** On 16 every slot operation fails and no invariant applies: the run is refused, not "conformant". */
    @Test
    void aCampaignOnServersWithoutFailoverSlotsIsRefusedBeforeItsFirstOperation() throws IOException {
        Path out = temp.resolve("run16");
        Outcome refused = run("run", "--target", "16", "--sequences", "2", "--steps", "5", "--seed", "1", "--out", out.toString());

        refused.isOneLineError(ExitCode.NO_FAILOVER_SLOTS, "has no failover slots (PostgreSQL 16.16; they came with PostgreSQL 17)");
        assertFalse(refused.out().contains("conformant"), refused.out());
        try (Stream<Path> histories = Files.list(out.resolve("histories"))) {
            assertEquals(0, histories.count(), "no sequence ran");
        }
    }

    @Test
    void pgHomeRunsAnInstalledPostgresql() {
        Path installation = Clusters.embedded("18").installation().orElseThrow().home();
        Outcome bench = run("bench", "--pg-home", installation.toString(), "--runs", "1");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().startsWith("PostgreSQL 18.7 (" + installation + ")"), bench.out());
    }

    @Test
    void workDirectoryTheServerAccountCannotReachIsRefused() throws IOException {
        Assumptions.assumeTrue(ServerAccount.forCurrentProcess().dropsPrivileges(), "only root hands servers to another account");
        Path privateDirectory = Files.createDirectories(temp.resolve("private"));
        Files.setPosixFilePermissions(privateDirectory, PosixFilePermissions.fromString("rwx------"));
        run("bench", "--work-dir", privateDirectory.resolve("work").toString())
                .isOneLineError(ExitCode.WORK_DIRECTORY, "cannot be reached by nobody");
    }

    @Test
    void cleanRemovesTheWorkDirectoryButNotAForeignOne() throws IOException {
        Path work = temp.resolve("work");
        assertEquals(0, run("bench", "--runs", "1", "--work-dir", work.toString()).code());
        assertTrue(Files.isDirectory(work.resolve("templates")));

        Outcome clean = run("clean", "--work-dir", work.toString());
        assertEquals(0, clean.code(), clean.err());
        assertTrue(!Files.exists(work), "removed");

        Path foreign = Files.createDirectories(temp.resolve("photos"));
        Files.writeString(foreign.resolve("cat.jpg"), "meow");
        run("clean", "--work-dir", foreign.toString()).isOneLineError(ExitCode.WORK_DIRECTORY, "in use by something else");
        assertTrue(Files.exists(foreign.resolve("cat.jpg")));
    }

    @Test
    void checkGivesTheVerdictsOfARecordedHistoryAndCatchesATamperedOne() throws IOException {
        Path file = temp.resolve("history.jsonl");
        try (Cluster cluster = Clusters.embedded("17").startPair(); HistoryRecorder recorder = new HistoryRecorder(cluster, "embedded 17")) {
            recorder.step(new Operation.Checkpoint("primary"), () -> cluster.primary().execute("CHECKPOINT"));
            recorder.step(new Operation.SyncSlots("primary"), () -> cluster.primary().execute("SELECT pg_sync_replication_slots()"));
            Files.writeString(file, HistoryFormat.write(recorder.history()));
        }

        Outcome holds = run("check", file.toString());
        assertEquals(0, holds.code(), holds.out() + holds.err());
        assertTrue(holds.out().matches("(?s).*documented-outcome\\s+1\\s+holds.*"), holds.out());
        assertTrue(holds.out().contains("holds: no invariant violated"), holds.out());
        assertTrue(holds.out().matches("(?s).*\\bsync-on-primary\\s+1\\s+reached.*"), "the refusal's situation was reached: " + holds.out());
        assertTrue(holds.out().matches("(?s).*\\bsync-while-standby-behind-a-failover-slot\\s+0\\s+never reached.*"), holds.out());

        String text = Files.readString(file);
        String tampered = text.replaceFirst("\\{\"type\":\"failed\",\"sql_state\":\"\\w+\",\"message\":"
                + "\"replication slots can only be synchronized to a standby server\"}", "{\"type\":\"ok\"}");
        assertTrue(!tampered.equals(text), "the refusal was turned into a success");
        Files.writeString(file, tampered);
        Outcome violated = run("check", file.toString());
        assertEquals(ExitCode.VIOLATION.code(), violated.code(), violated.out() + violated.err());
        assertTrue(violated.out().contains("step 2: documented-outcome violated: SyncSlots[node=primary] succeeded although"
                + " PostgreSQL 17.12 must refuse it"), violated.out());
    }

    @Test
    void aDefectOfAnOlderMinorIsReportedAsFixedUpstreamWithItsOwnExitCode() throws Exception {
        // recorded by ./slotcheck suite --only stale-acknowledgement on the binaries 17.5.0 and 17.6.0 of Maven Central
        Outcome before = run("check", recorded("stale-acknowledgement-on-17.5.jsonl"));
        assertEquals(ExitCode.FIXED_UPSTREAM.code(), before.code(), before.out() + before.err());
        assertTrue(before.out().matches("(?s).*primary-confirmed-flush-never-retreats\\s+\\d+\\s+VIOLATED, fixed upstream in 17\\.6"
                + " \\(commit 7318f241d2, \"Don't retreat slot's confirmed_flush LSN\"\\).*"), before.out());
        assertTrue(before.out().contains("2 violation(s), 2 of them of defects fixed upstream after PostgreSQL 17.5"), before.out());

        Outcome fixed = run("check", recorded("stale-acknowledgement-on-17.6.jsonl"));
        assertEquals(ExitCode.OK.code(), fixed.code(), fixed.out() + fixed.err());
        assertTrue(fixed.out().matches("(?s).*primary-confirmed-flush-never-retreats\\s+[1-9]\\d*\\s+holds.*"), fixed.out());
    }

    /** The replay file of a campaign on 17.5 (seed 7) that caught a stale acknowledgement moving a slot back: 2 operations. */
    private static final String RETREAT_REPLAY = "stale-acknowledgement-replay-17.5.json";

    @Test
    void bisectFindsTheMinorThatFixedAKnownDefectAndNamesItsReleaseNotes() throws Exception {
        String central = FakeCentral.listing(temp.resolve("central"), "17.4.0", "17.5.0", "17.6.0", "17.7.0", "18.7.0");
        Outcome bisect = FakeCentral.asCentral(central, () -> run("bisect", recordedUnchecked(RETREAT_REPLAY), "--from", "17.5",
                "--to", "17.6.0", "--runs", "2"));

        assertEquals(ExitCode.OK.code(), bisect.code(), bisect.out() + bisect.err());
        assertTrue(bisect.out().contains("over 2 servers, 2 runs each"), "17.4.0 and 17.7.0 are outside --from and --to: " + bisect.out());
        assertTrue(bisect.out().contains("17.5.0: violates primary-confirmed-flush-never-retreats in 2 of 2 runs (fixed upstream in 17.6 (commit"
                + " 7318f241d2"), bisect.out());
        assertTrue(bisect.out().contains("17.6.0: holds in 2 of 2 runs"), bisect.out());
        assertTrue(bisect.out().contains("behaviour changes: last bad 17.5.0, first good 17.6.0 (release notes"
                + " https://www.postgresql.org/docs/release/17.6/)"), bisect.out());
    }

    /**
     * A vendor's builds, in the order given: here the binaries of 17.6 and 17.5, so the behaviour changes the other way; a
     * directory without a PostgreSQL is said so, and the others are still tried.
     */
    @Test
    void bisectRunsOnEachInstallationOfAList() throws Exception {
        ServerAccount account = ServerAccount.forCurrentProcess();
        Path work = WorkArea.open(temp.resolve("w"), account).root();
        String fixed = EmbeddedBinaries.resolve("17.6.0", work, account).home().toString();
        String before = EmbeddedBinaries.resolve("17.5.0", work, account).home().toString();
        String none = Files.createDirectories(temp.resolve("no-build")).toString();

        Outcome bisect = run("bisect", recorded(RETREAT_REPLAY), "--pg-home", fixed + "," + none + "," + before, "--runs", "1",
                "--work-dir", work.toString());

        assertEquals(ExitCode.OK.code(), bisect.code(), bisect.out() + bisect.err());
        assertTrue(bisect.out().contains(fixed + ": holds in 1 of 1 runs"), bisect.out());
        assertTrue(bisect.out().contains(none + ": could not run: "), bisect.out());
        assertTrue(bisect.out().contains(before + ": violates primary-confirmed-flush-never-retreats in 1 of 1 runs"), bisect.out());
        assertTrue(bisect.out().contains("behaviour changes: last good " + fixed + ", first bad " + before), bisect.out());
    }

    @Test
    void aBisectThatCannotRunIsAOneLineError() throws Exception {
        String replay = recorded(RETREAT_REPLAY);
        run("bisect").isOneLineError(ExitCode.USAGE, "bisect takes a replay file");
        run("bisect", replay, "--sequences", "3").isOneLineError(ExitCode.USAGE, "unknown option '--sequences' for bisect");
        run("bisect", replay, "--pg-home", "/a,/b", "--major", "17").isOneLineError(ExitCode.USAGE, "--pg-home lists the installations");
        run("bisect", replay, "--major", "17", "--from", "18.1").isOneLineError(ExitCode.USAGE, "18.1.0 is not a version of PostgreSQL 17");
        run("bisect", temp.resolve("missing.json").toString()).isOneLineError(ExitCode.HISTORY, "cannot read replay file");
        String central = FakeCentral.listing(temp.resolve("central"), "17.5.0", "18.7.0");
        FakeCentral.asCentral(central, () -> run("bisect", replay, "--major", "19"))
                .isOneLineError(ExitCode.BINARIES, "no PostgreSQL 19.x on Maven Central");
    }

    private static String recordedUnchecked(String name) {
        try {
            return recorded(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String recorded(String name) throws Exception {
        return Path.of(MainTest.class.getResource("/recorded/" + name).toURI()).toString();
    }

    @Test
    void unreadableHistoryFileIsAOneLineError() throws IOException {
        run("check").isOneLineError(ExitCode.USAGE, "check takes one history file");
        run("check", temp.resolve("missing.jsonl").toString()).isOneLineError(ExitCode.HISTORY, "cannot read history file");
        Path garbage = Files.writeString(temp.resolve("garbage.jsonl"), "hello\n");
        run("check", garbage.toString()).isOneLineError(ExitCode.HISTORY, "line 1: not JSON");
        Path old = Files.writeString(temp.resolve("pg16.jsonl"), "{\"format\":\"slotcheck-history\",\"format_version\":1,"
                + "\"target\":\"embedded 16\",\"server_version\":\"PostgreSQL 16.15 on x86_64\",\"seed\":null}\n");
        run("check", old.toString()).isOneLineError(ExitCode.HISTORY, "has no failover slots");
    }

    @Test
    void runWritesASummaryAndHistoriesAndTheSameSeedRepeatsTheOperations() throws IOException {
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");
        // no faults: nothing to heal, so each sequence is its 8 drawn steps and the 4 of the final convergence check of its standby
        Outcome run = run("run", "--sequences", "2", "--steps", "8", "--seed", "5", "--faults", "none", "--out", first.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("sequence 2/2: 12 steps"), run.out());
        String summary = Files.readString(first.resolve("summary.json"));
        assertTrue(summary.startsWith("{\"status\":\"conformant\",\"target\":\"--target 17.12.0\""), summary);
        assertTrue(summary.contains("\"faults\":[],\"operations_not_drawn\":{\"disconnect_node\":\"servers of this machine have no network"),
                "what local processes cannot undergo is named: " + summary);
        assertTrue(summary.contains("\"sequences\":2,\"steps\":24,"), summary);
        assertTrue(summary.contains("\"invariants_never_exercised\":["), summary);
        assertTrue(summary.contains("\"situations_reached\":{\"sync-while-standby-behind-a-failover-slot\":"), summary);
        assertTrue(summary.contains("\"situations_never_reached\":["), summary);
        assertTrue(summary.contains("\"situations_not_built\":{") && summary.contains("\"sync-with-primary-slot-missing\":\"campaigns keep the physical slot"),
                summary);
        assertTrue(run.out().matches("(?s).*situations reached: \\d+ of \\d+ \\(steps\\).*"), run.out());
        try (var results = Files.list(first.resolve("allure-results"))) {
            assertEquals(2, results.filter(f -> f.toString().endsWith("-result.json")).count(), "each sequence is an Allure test");
        }
        assertTrue(run.out().contains("report: ./slotcheck report " + first), run.out());

        assertEquals(0, run("run", "--target", "pg17", "--sequences", "2", "--steps", "8", "--seed", "5", "--faults", "none", "--out",
                second.toString()).code());
        for (String history : List.of("sequence-001.jsonl", "sequence-002.jsonl")) {
            assertEquals(operations(first.resolve("histories").resolve(history)), operations(second.resolve("histories").resolve(history)),
                    history + ": the same seed, the same operations (on the default target, named pg17 the second time)");
        }
    }

    @Test
    void runRefusesAnUnknownProfileOrBadBudget() {
        run("run", "--profile", "chaos").isOneLineError(ExitCode.USAGE, "no campaign profile 'chaos'");
        run("run", "--time-budget", "soon").isOneLineError(ExitCode.USAGE, "--time-budget takes a duration such as 90s");
        run("replay", temp.resolve("nothing.json").toString()).isOneLineError(ExitCode.HISTORY, "cannot read replay file");
    }

    @Test
    void selfTestRefusesAMutantItDoesNotHaveOrABadBudget() {
        run("selftest", "--only", "sync-ignores-the-standby-flush,lying-everywhere").isOneLineError(ExitCode.USAGE,
                "no mutant 'lying-everywhere': choose from sync-ignores-the-standby-flush, copy-of-a-dropped-slot-kept");
        run("selftest", "--shrink-budget", "later").isOneLineError(ExitCode.USAGE, "--shrink-budget takes a duration");
        run("selftest", "--profile", "default").isOneLineError(ExitCode.USAGE, "unknown option '--profile'");
    }

    @Test
    void reportNamesWhatIsMissingInOneLine() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        run("report", empty.toString()).isOneLineError(ExitCode.REPORT, "no Allure results in " + empty);
        run("report", temp.resolve("missing").toString()).isOneLineError(ExitCode.REPORT, "no Allure results in");
        Path results = Files.createDirectories(temp.resolve("run/allure-results"));
        Files.writeString(results.resolve("0-result.json"), "{}");
        run("report", temp.resolve("run").toString(), "--history-from", empty.toString())
                .isOneLineError(ExitCode.REPORT, "is not a report with a history/ directory");
        run("report", "--colour").isOneLineError(ExitCode.USAGE, "unknown option '--colour'");
    }

    private static List<String> operations(Path history) throws IOException {
        return HistoryFormat.read(Files.readString(history)).steps().stream().map(step -> step.operation().toString()).toList();
    }

    @Test
    void benchPrintsItsFiguresAsJson() {
        Outcome bench = run("bench", "--runs", "2", "--json");
        assertEquals(0, bench.code(), bench.err());
        for (String key : List.of("\"pair_ready_ms_median\": ", "\"pair_ready_ms_max\": ", "\"close_ms_median\": ", "\"server_rss_peak_mb\": ")) {
            assertTrue(bench.out().contains(key), key + " in " + bench.out());
        }
    }

    @Test
    void benchShrinksAViolationAtStep25ToTheTwoStepsThatMakeIt() {
        Outcome bench = run("bench", "--shrink", "--json");
        assertEquals(0, bench.code(), bench.err());
        assertTrue(bench.out().contains("\"original_steps\": 25, \"shrunk_steps\": 2, \"trials\": "), bench.out());
        assertTrue(bench.out().contains("\"shrink_s\": "), bench.out());
    }
}
