package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.CampaignProfile;
import io.slotcheck.harness.run.OperationExecutor;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.operation.Operation;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./slotcheck doctor} on pairs slotcheck makes: each misconfiguration set up, named with its rule, and gone once
 * mended; a healthy pair is ready, and reading it changes nothing.
 */
class DoctorTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    /** How long a copy may take to become failover-ready, the worker woken and the slot moved once a second. */
    private static final Duration COPY_BOUND = Duration.ofSeconds(60);

    private record Run(int exitCode, String output) {
    }

    private static Run doctor(Cluster cluster, String... more) {
        List<String> arguments = new ArrayList<>(List.of("--primary", cluster.primary().clientAddress(), "--standby",
                cluster.standby().clientAddress()));
        arguments.addAll(List.of(more));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = Doctor.run(arguments, name -> null, new PrintStream(output, true, StandardCharsets.UTF_8));
        return new Run(exit, output.toString(StandardCharsets.UTF_8));
    }

    /** A pair whose primary has the failover slot s, listed standby, syncing worker, and s's copy failover-ready. */
    private Cluster healthyPair() {
        return healthyPair("17");
    }

    private Cluster healthyPair(String target) {
        Cluster cluster = clusters.startPair(target);
        cluster.primary().setAndReload(Map.of("synchronized_standby_slots", "standby1"));
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "on"));
        createFailoverSlot(cluster.primary(), "s");
        awaitCopyReady(cluster, "s");
        return cluster;
    }

    private static void createFailoverSlot(Node primary, String slot) {
        primary.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding', false, false, true)");
    }

    /**
     * A copy turns persistent once its slot has moved past what the standby reserved for it (§1 item 6): the slot is
     * consumed after a running-transactions record until the copy is failover-ready.
     */
    private static void awaitCopyReady(Cluster cluster, String slot) {
        Awaitility.await("the copy of " + slot + " failover-ready").atMost(COPY_BOUND).pollInterval(Duration.ofSeconds(1)).until(() -> {
            cluster.primary().execute("SELECT pg_log_standby_snapshot()");
            // a subscription's slot moves with its walsender
            if ("f".equals(cluster.primary().queryValue("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))) {
                cluster.primary().execute("SELECT count(*) FROM pg_logical_slot_get_changes('" + slot + "', NULL, NULL)");
            }
            return "t".equals(cluster.standby().queryValue("SELECT coalesce(bool_and(synced AND NOT temporary AND invalidation_reason IS NULL),"
                    + " false) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
        });
    }

    private static void assertFound(Run run, String rule, String... texts) {
        assertEquals(ExitCode.VIOLATION.code(), run.exitCode(), run.output());
        assertTrue(run.output().contains("NOT READY"), run.output());
        assertTrue(run.output().contains(rule), run.output());
        for (String text : texts) {
            assertTrue(run.output().contains(text), "'" + text + "' in\n" + run.output());
        }
    }

    private static void assertReady(Run run) {
        assertEquals(ExitCode.OK.code(), run.exitCode(), run.output());
        assertTrue(run.output().contains("READY: a promotion of a standby now keeps every failover slot"), run.output());
    }

    @Test
    void aHealthyPairIsReadyAndReadingItChangesNothing() {
        Cluster cluster = healthyPair();
        Node primary = cluster.primary();
        // every data-modifying or DDL statement is logged from here on
        primary.setAndReload(Map.of("log_statement", "mod"));
        cluster.standby().setAndReload(Map.of("log_statement", "mod"));
        String slotsBefore = primary.queryRows("SELECT slot_name, restart_lsn, confirmed_flush_lsn, catalog_xmin FROM pg_replication_slots"
                + " ORDER BY 1").toString();
        String settings = "SELECT name, setting FROM pg_settings ORDER BY 1";
        List<List<String>> primarySettings = primary.queryRows(settings);
        List<List<String>> standbySettings = cluster.standby().queryRows(settings);
        long primaryLog = primary.log().readSince(0).end();
        long standbyLog = cluster.standby().log().readSince(0).end();

        Run run = doctor(cluster);

        assertReady(run);
        assertTrue(run.output().matches("(?s).*\\ns +standby1 .* yes\\n.*"), run.output());
        assertEquals(slotsBefore, primary.queryRows("SELECT slot_name, restart_lsn, confirmed_flush_lsn, catalog_xmin FROM pg_replication_slots"
                + " ORDER BY 1").toString(), "the doctor moved no slot");
        assertEquals(primarySettings, primary.queryRows(settings), "the doctor changed no setting of the primary");
        assertEquals(standbySettings, cluster.standby().queryRows(settings), "the doctor changed no setting of the standby");
        for (String line : concat(primary.log().readSince(primaryLog).lines(), cluster.standby().log().readSince(standbyLog).lines())) {
            assertFalse(line.contains("statement:"), "the doctor ran a statement that changes something: " + line);
        }
        // the primary's WAL does not move across a run of the doctor; the server's own background records (a
        // running-transactions record every 15 s of activity) may, so some attempt of up to ten shows it still
        String walPosition = "SELECT pg_current_wal_insert_lsn()";
        Awaitility.await("a run of the doctor with no WAL written around it").atMost(Duration.ofSeconds(60)).until(() -> {
            String before = primary.queryValue(walPosition);
            doctor(cluster);
            return before.equals(primary.queryValue(walPosition));
        });
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void theContinuityProfilesOpeningIsReady() {
        Cluster cluster = clusters.startPair("17");
        OperationExecutor executor = new OperationExecutor(cluster);
        CampaignProfile.named("continuity").opening().forEach(executor::execute);
        awaitCopyReady(cluster, "sub1");

        Run run = doctor(cluster, "--subscriber", cluster.node("subscriber").clientAddress());

        assertReady(run);
        assertTrue(run.output().matches("(?s).*\\nsub1 +standby1 .* yes\\n.*"), run.output());
    }

    @Test
    void aMonitoringRoleReadsEnoughAndIsToldWhatItCouldNotRead() {
        Cluster cluster = healthyPair();
        cluster.primary().execute("CREATE ROLE watcher LOGIN IN ROLE pg_monitor");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(cluster.standby().queryValue(
                "SELECT count(*) FROM pg_roles WHERE rolname = 'watcher'")));
        List<String> arguments = List.of("--primary", "postgresql://watcher@127.0.0.1:" + cluster.primary().port() + "/postgres",
                "--standby", "postgresql://watcher@127.0.0.1:" + cluster.standby().port() + "/postgres", "--json");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exit = Doctor.run(arguments, name -> null, new PrintStream(output, true, StandardCharsets.UTF_8));

        Map<?, ?> report = (Map<?, ?>) Json.parse(output.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.OK.code(), exit, output.toString(StandardCharsets.UTF_8));
        assertEquals(Boolean.TRUE, report.get("ready"));
        assertEquals(1, ((List<?>) report.get("copies")).size(), report.toString());
        assertFalse(((List<?>) report.get("unread")).isEmpty(), "a pg_monitor role may not read pg_file_settings: " + report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.slotcheck.harness.junit.Clusters#targets")
    void eachSyncPreconditionIsNamedAndGoesOnceMended(String target) {
        Cluster cluster = healthyPair(target);
        Node standby = cluster.standby();

        standby.rewritePrimaryConninfo(false);
        assertFound(doctor(cluster), "sync-parameters", "requires \"dbname\" to be specified in \"primary_conninfo\"", "add dbname=");
        standby.rewritePrimaryConninfo(true);
        assertReady(doctor(cluster));

        standby.setAndReload(Map.of("hot_standby_feedback", "off"));
        assertFound(doctor(cluster), "sync-parameters", "requires \"hot_standby_feedback\" to be enabled");
        standby.setAndReload(Map.of("hot_standby_feedback", "on"));
        assertReady(doctor(cluster));

        standby.setAndReload(Map.of("primary_slot_name", "gone"));
        assertFound(doctor(cluster), "primary-slot-on-the-primary", "replication slot \"gone\" specified by \"primary_slot_name\" does not exist",
                "SELECT pg_create_physical_replication_slot('gone', true)");
        standby.setAndReload(Map.of("primary_slot_name", "standby1"));
        Awaitility.await("the standby streaming through standby1 again").atMost(Duration.ofSeconds(30))
                .until(() -> doctor(cluster).exitCode() == ExitCode.OK.code());
    }

    @Test
    void aBarrierNamingASlotThatIsGoneDegradesWithoutBlocking() {
        Cluster cluster = healthyPair();
        cluster.primary().setAndReload(Map.of("synchronized_standby_slots", "standby1,old_primary"));

        Run stale = doctor(cluster);

        assertReady(stale);
        assertTrue(stale.output().contains("DEGRADES  primary  barrier-lists-streaming-standbys"), stale.output());
        assertTrue(stale.output().contains("\"old_primary\" specified in parameter \"synchronized_standby_slots\" does not exist"), stale.output());
        cluster.primary().setAndReload(Map.of("synchronized_standby_slots", "standby1"));
        assertFalse(doctor(cluster).output().contains("barrier-lists-streaming-standbys"));
    }

    @Test
    void theLegacyStandbySlotNamesInAConfigurationFileIsNamed() throws IOException {
        Cluster cluster = healthyPair();
        Path autoConf = cluster.primary().dataDirectory().resolve("postgresql.auto.conf");
        String mended = Files.readString(autoConf);
        // as IvorySQL's slot-sync article has it: a reload refuses it, and a restart would not start
        Files.writeString(autoConf, "standby_slot_names = 'standby1'\n", StandardOpenOption.APPEND);
        cluster.primary().execute("SELECT pg_reload_conf()");

        assertFound(doctor(cluster), "configuration-files-load", "standby_slot_names, the pre-release name of synchronized_standby_slots",
                "rename it synchronized_standby_slots");

        Files.writeString(autoConf, mended);
        cluster.primary().execute("SELECT pg_reload_conf()");
        assertReady(doctor(cluster));
    }

    @Test
    void aTemporaryCopyBlocksFailoverUntilItsSlotMoves() throws IOException {
        // the only slot: a copy of an older slot would let the standby keep the catalog rows this one needs
        Cluster cluster = clusters.startPair("17");
        createFailoverSlot(cluster.primary(), "t");
        // transactions after the slot was made, before the worker sees it: the standby keeps no catalog rows that old, so
        // the copy stays temporary (§1 item 6)
        cluster.primary().execute("CREATE TABLE doctor_t (id int)", "INSERT INTO doctor_t VALUES (1)", "INSERT INTO doctor_t VALUES (2)");
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "on"));
        Awaitility.await("a temporary copy of t").atMost(COPY_BOUND).until(() -> "t".equals(cluster.standby().queryValue(
                "SELECT coalesce(bool_and(synced AND temporary), false) FROM pg_replication_slots WHERE slot_name = 't'")));

        Path allure = cluster.primary().dataDirectory().getParent().resolve("doctor-allure");
        assertFound(doctor(cluster, "--allure", allure.toString()), "copy-failover-ready", "loses the slot t: the copy is temporary: a promotion drops it");
        assertTrue(allureResults(allure).stream().anyMatch(result -> result.contains("\"name\":\"t on standby1\"")
                && result.contains("\"status\":\"failed\"") && result.contains("NOT READY: a promotion of standby1 now loses t")));

        awaitCopyReady(cluster, "t");
        assertReady(doctor(cluster));
    }

    @Test
    void aConsumerHeldByTheListedStandbyThatIsDownIsNamedWithTheStandby() {
        Cluster cluster = healthyPair();
        Node primary = cluster.primary();
        cluster.standby().stop();
        primary.execute("CREATE TABLE doctor_held (id int)", "INSERT INTO doctor_held VALUES (1)");
        // field failure 9: a consumer of a failover slot waits for the standby synchronized_standby_slots lists
        CompletableFuture<Void> consumed = CompletableFuture.runAsync(() -> primary.execute(
                "SELECT count(*) FROM pg_logical_slot_get_changes('s', NULL, NULL)"));
        Awaitility.await("the consumer held").atMost(Duration.ofSeconds(30)).until(() -> "1".equals(primary.queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'WaitForStandbyConfirmation'")));

        assertFound(doctor(cluster), "server-answers", "standby1 at " + cluster.standby().clientAddress() + " does not answer",
                "consumers-not-held", "1 consumer(s) wait on synchronized_standby_slots now",
                "\"standby1\" specified in parameter \"synchronized_standby_slots\" does not have active_pid");

        cluster.standby().start();
        Awaitility.await("the consumer released").atMost(Duration.ofSeconds(30)).until(consumed::isDone);
        consumed.join();
        Run back = doctor(cluster);
        assertReady(back);
        assertFalse(back.output().contains("consumers-not-held"), back.output());
    }

    @Test
    void aFailoverSlotWithoutACopyBlocksFailoverUntilTheWorkerMakesOne() {
        Cluster cluster = healthyPair();
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "off"));
        createFailoverSlot(cluster.primary(), "n");

        // field failure 4: a promotion now leaves the slot behind, its consumer needs a new one and a new snapshot
        assertFound(doctor(cluster), "copy-failover-ready", "loses the slot n: no copy on standby1");

        cluster.standby().setAndReload(Map.of("sync_replication_slots", "on"));
        awaitCopyReady(cluster, "n");
        assertReady(doctor(cluster));
    }

    @Test
    void aCopyLeftBehindItsSlotIsANoteUntilTheNextCycle() {
        Cluster cluster = healthyPair();
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "off"));
        cluster.primary().execute("CREATE TABLE doctor_behind (id int)", "INSERT INTO doctor_behind VALUES (1)",
                "SELECT count(*) FROM pg_logical_slot_get_changes('s', NULL, NULL)");

        Run behind = doctor(cluster);

        assertReady(behind);
        assertTrue(behind.output().contains("NOTE  standby1  copy-keeps-up"), behind.output());
        assertTrue(behind.output().matches("(?s).*the copy of s is \\d+ bytes behind its slot.*"), behind.output());
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "on"));
        Awaitility.await("the copy at its slot").atMost(COPY_BOUND).until(() -> !doctor(cluster).output().contains("copy-keeps-up"));
    }

    @Test
    void anInvalidatedCopyBlocksFailoverUntilTheSyncMakesItAgain() {
        Cluster cluster = healthyPair();
        cluster.standby().setAndReload(Map.of("sync_replication_slots", "off"));
        // the standby's restartpoint removes WAL the copy needs (max_slot_wal_keep_size): wal_removed on the standby alone
        new OperationExecutor(cluster).execute(new Operation.WalPressure("standby1", 3));
        assertEquals("wal_removed", cluster.standby().queryValue("SELECT invalidation_reason FROM pg_replication_slots WHERE slot_name = 's'"));

        assertFound(doctor(cluster), "copy-failover-ready", "loses the slot s: the copy is invalidated (wal_removed)",
                "the next sync cycle replaces a copy whose slot is valid");

        cluster.standby().setAndReload(Map.of("sync_replication_slots", "on"));
        awaitCopyReady(cluster, "s");
        assertReady(doctor(cluster));
    }

    @Test
    void aStandbysOwnSlotNamedLikeAFailoverSlotStopsTheSyncUntilDropped() {
        Cluster cluster = healthyPair();
        Node primary = cluster.primary();
        // a logical slot made on a standby waits for the primary's next running-transactions record
        CompletableFuture<Void> made = CompletableFuture.runAsync(() -> cluster.standby().execute(
                "SELECT pg_create_logical_replication_slot('l', 'test_decoding')"));
        Awaitility.await("the standby's own slot l").atMost(Duration.ofSeconds(30)).until(() -> {
            primary.execute("SELECT pg_log_standby_snapshot()");
            return made.isDone();
        });
        made.join();
        createFailoverSlot(primary, "l");

        assertFound(doctor(cluster), "no-leftover-failover-slot", "same name slot \"l\" already exists on the standby",
                "SELECT pg_drop_replication_slot('l')");

        cluster.standby().execute("SELECT pg_drop_replication_slot('l')");
        awaitCopyReady(cluster, "l");
        assertReady(doctor(cluster));
    }

    @Test
    void aSubscriptionWithoutFailoverBlocksFailoverUntilAltered() {
        Cluster cluster = healthyPair();
        OperationExecutor executor = new OperationExecutor(cluster);
        executor.execute(new Operation.AddSubscriber("subscriber"));
        executor.execute(new Operation.CreateSubscription("subscriber", "sub1", "primary", false, false));
        List<String> withSubscriber = List.of("--subscriber", cluster.node("subscriber").clientAddress());

        assertFound(doctor(cluster, withSubscriber.toArray(String[]::new)), "subscription-failover",
                "uses the slot sub1, which is not a failover slot", "SET (failover = true)");

        cluster.node("subscriber").execute("ALTER SUBSCRIPTION sub1 DISABLE", "ALTER SUBSCRIPTION sub1 SET (failover = true)",
                "ALTER SUBSCRIPTION sub1 ENABLE");
        awaitCopyReady(cluster, "sub1");
        assertReady(doctor(cluster, withSubscriber.toArray(String[]::new)));
    }

    private static List<String> allureResults(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            List<String> results = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                results.add(Files.readString(file));
            }
            return results;
        }
    }

    @Test
    void theSyncsLastErrorsAreReadFromALogTheServerLetsBeRead() {
        Cluster cluster = healthyPair();
        Node standby = cluster.standby();
        assertTrue(doctor(cluster).output().contains("standby1: the server log (a superuser, or EXECUTE on pg_read_binary_file(text, bigint,"
                + " bigint) and pg_stat_file(text)): the server has no logging collector"), "a log written to a file by pg_ctl cannot be read over SQL");
        standby.setAndRestart(Map.of("logging_collector", "on"));
        standby.rewritePrimaryConninfo(false);
        Awaitility.await("the worker's dbname error in the collector's log").atMost(Duration.ofSeconds(30)).until(() ->
                doctor(cluster).output().contains("slotsync worker: ERROR:  replication slot synchronization requires \"dbname\""));

        Run run = doctor(cluster);

        assertFound(run, "sync-runs", "line(s) of trouble with the slot sync", "slotsync worker: ERROR:  replication slot synchronization requires"
                + " \"dbname\" to be specified in \"primary_conninfo\"");
    }

    @Test
    void anExternalFileNamesTheServersAndNoneOfItsCommandsIsRun(@TempDir Path directory) throws IOException {
        Cluster cluster = healthyPair();
        Path ran = directory.resolve("a command ran");
        String command = "touch '" + ran + "'";
        Path file = directory.resolve("cluster.json");
        // the standby first: which server is the primary is found by asking each
        Files.writeString(file, Json.write(Map.of(
                "servers", Map.of("db2", "jdbc:postgresql://" + cluster.standby().clientAddress() + "/postgres",
                        "db1", "jdbc:postgresql://" + cluster.primary().clientAddress() + "/postgres"),
                "commands", Map.of("stop", command, "start", command, "kill", command, "promote", command, "rejoin", command),
                "allow_destructive", true)));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exit = Doctor.run(List.of("--external", file.toString()), name -> null, new PrintStream(output, true, StandardCharsets.UTF_8));

        String printed = output.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK.code(), exit, printed);
        assertTrue(printed.matches("(?s).*\\ns +db2 .* yes\\n.*"), "db2 is the standby whose copy survives: " + printed);
        assertFalse(Files.exists(ran), "the doctor ran a command of the file");
    }

    @Test
    void aPrimaryWithoutFailoverSlotsIsRefusedWithItsExitCode() {
        Cluster cluster = clusters.startPair("16");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Main.run(List.of("doctor", "--primary", cluster.primary().clientAddress(), "--standby", cluster.standby().clientAddress()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(ExitCode.NO_FAILOVER_SLOTS.code(), exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("which has no failover slots"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aServerIsNamedByAUrlOfEitherFormOrByHostAndPort() {
        Doctor.Server uri = Doctor.server("primary", Doctor.Role.PRIMARY, "postgresql://mon:p%40ss@pg_primary:6543/app?sslmode=require",
                name -> null);
        assertEquals(List.of("pg_primary:6543", "app", "mon", "p@ss", "require"), List.of(uri.address(), uri.database(),
                uri.login().getProperty("user"), uri.login().getProperty("password"), uri.login().getProperty("sslmode")));
        assertEquals("[::1]:5433", Doctor.server("standby1", Doctor.Role.STANDBY, "postgresql://[::1]:5433/postgres", name -> null).address());
        Doctor.Server jdbc = Doctor.server("standby1", Doctor.Role.STANDBY, "jdbc:postgresql://db2/postgres?user=x", name -> null);
        assertEquals(List.of("db2:5432", "x"), List.of(jdbc.address(), jdbc.login().getProperty("user")));
        Doctor.Server plain = Doctor.server("standby1", Doctor.Role.STANDBY, "db2:5432", Map.of("PGUSER", "watch", "PGPASSWORD", "w")::get);
        assertEquals(List.of("watch", "w"), List.of(plain.login().getProperty("user"), plain.login().getProperty("password")));
    }

    @Test
    void badInputIsOneLineWithItsExitCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE.code(), Main.run(List.of("doctor", "--primary", "127.0.0.1:1"), outStream, errStream));
        assertEquals(ExitCode.USAGE.code(), Main.run(List.of("doctor", "--primary", "db1 5432", "--standby", "db2:5432"), outStream, errStream));
        assertEquals(ExitCode.SERVER.code(), Main.run(List.of("doctor", "--primary", "127.0.0.1:1", "--standby", "127.0.0.1:2"),
                outStream, errStream));
        assertEquals(ExitCode.USAGE.code(), Main.run(List.of("doctor", "--primary", "postgresql://u@db1:99999/postgres", "--standby",
                "db2:5432"), outStream, errStream));
        assertEquals(ExitCode.USAGE.code(), Main.run(List.of("doctor", "--primary", "db1:123456789012", "--standby", "db2:5432"),
                outStream, errStream));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(3).contains("names port 99999: a port is 1 to 65535"), lines.get(3));
        assertTrue(lines.get(4).contains("'db1:123456789012' is not a URL"), lines.get(4));
        assertTrue(lines.get(0).contains("doctor needs one --primary URL and at least one --standby URL"), lines.get(0));
        assertTrue(lines.get(1).contains("'db1 5432' is not a URL"), lines.get(1));
        assertTrue(lines.get(2).contains("cannot read the primary at 127.0.0.1:1"), lines.get(2));
    }
}
