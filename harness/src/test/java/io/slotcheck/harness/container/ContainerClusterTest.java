package io.slotcheck.harness.container;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cli.Main;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.LinkRelay;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.junit.DockerRequired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster API on the container backend: the same verbs as on local processes, each server in a container of the
 * image built here from the embedded 17 binaries.
 */
@ExtendWith(DockerRequired.class)
class ContainerClusterTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private static Target inContainers() {
        return Clusters.embedded("17").inContainers();
    }

    @Test
    void aPairInContainersStreamsSyncsAFailoverSlotAndFailsOver() {
        try (Cluster cluster = inContainers().startPair()) {
            Node primary = cluster.primary();
            Node standby = cluster.standby();
            assertEquals("t", standby.queryValue("SELECT pg_is_in_recovery()"));
            assertTrue(standby.connectionString(null).contains("host=slotcheck-"), "servers reach each other by network name: "
                    + standby.connectionString(null));

            primary.execute("CREATE TABLE t (id int PRIMARY KEY)",
                    "SELECT pg_create_logical_replication_slot('app', 'test_decoding', false, false, true)");
            // a copy stays temporary while the slot's catalog_xmin is older than the standby's: moved on over a running-xacts
            // record, the slot passes it
            Waits.until("a failover-ready copy of app on the standby", BOUND, () -> {
                primary.execute("SELECT pg_log_standby_snapshot()");
                primary.waitForWalFlush();
                primary.execute("SELECT pg_replication_slot_advance('app', pg_current_wal_flush_lsn())");
                primary.waitForCatchup(standby);
                standby.execute("SELECT pg_sync_replication_slots()");
                return "t".equals(standby.queryValue("SELECT synced AND NOT temporary FROM pg_replication_slots WHERE slot_name = 'app'"));
            });

            primary.execute("INSERT INTO t VALUES (1)");
            primary.waitForCatchup(standby);

            Node subscriber = cluster.addSubscriber("subscriber");
            primary.execute("CREATE PUBLICATION pub FOR TABLE t");
            subscriber.execute("CREATE TABLE t (id int PRIMARY KEY)",
                    "CREATE SUBSCRIPTION sub CONNECTION '" + primary.connectionString(Node.DATABASE) + "' PUBLICATION pub");
            subscriber.pollQueryUntil("SELECT count(*) FROM t", "1", BOUND);

            primary.kill9();
            standby.promote();
            assertTrue(Integer.parseInt(standby.queryValue("SELECT count(*) FROM pg_logical_slot_get_changes('app', NULL, NULL)")) > 0,
                    "the synced slot decodes the insert on the promoted standby");
        }
        assertNothingOfOursLeft();
    }

    @Test
    void thePostgresProfileRunsTheProgramsOnTheImagesPath() {
        // the official images' layout as far as slotcheck relies on it: initdb and postgres on the PATH, account postgres
        String image = LocalImage.ensure(Clusters.embedded("17").installation().orElseThrow());
        Target official = Target.image(ImageProfile.postgres(image), WorkArea.defaultRoot());
        assertEquals(List.of("--backend", "docker", "--image", image, "--image-profile", "postgres"), official.selection());
        try (Cluster cluster = official.startPair()) {
            assertEquals("t", cluster.standby().queryValue("SELECT pg_is_in_recovery()"));
            cluster.primary().waitForStreaming(cluster.standby());
        }
        assertNothingOfOursLeft();
    }

    @Test
    void benchPrintsThePairReadyTimeInContainersNextToTheLocalOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(List.of("bench", "--backend", "docker", "--runs", "1", "--json"), new PrintStream(out), System.err);
        assertEquals(ExitCode.OK.code(), exit);
        String figures = out.toString();
        for (String key : List.of("\"pair_ready_ms_median\": ", "\"close_ms_median\": ", "\"local_pair_ready_ms_median\": ",
                "\"local_close_ms_median\": ")) {
            assertTrue(figures.matches("(?s).*" + key + "[0-9]+\\.[0-9].*"), key + " in " + figures);
        }
        assertNothingOfOursLeft();
    }

    @Test
    void anImageTheEngineLacksIsOneLineSayingWhatToDo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(List.of("bench", "--backend", "docker", "--image", "slotcheck/no-such-image:0", "--runs", "1"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(ExitCode.CONTAINER_ENGINE.code(), exit);
        assertEquals(List.of("slotcheck: the Docker engine has no image slotcheck/no-such-image:0: pull it (docker pull"
                + " slotcheck/no-such-image:0) or build it"), err.toString().lines().toList());
        assertNothingOfOursLeft();
    }

    private static void assertNothingOfOursLeft() {
        Map<String, String> ours = DockerEngine.ownerLabels();
        var client = DockerEngine.client();
        // the run's template volumes and their keepers stay until the JVM exits
        assertEquals(List.of(), client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec().stream()
                .flatMap(container -> Stream.of(container.getNames())).filter(name -> !name.contains("-template-")).toList(), "containers left");
        assertEquals(List.of(), client.listNetworksCmd().withFilter("label", ours.entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue()).toList()).exec(), "networks left");
        var volumes = client.listVolumesCmd().withFilter("label", ours.entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue()).toList()).exec().getVolumes();
        assertEquals(List.of(), volumes == null ? List.of() : volumes.stream().map(volume -> volume.getName())
                .filter(name -> !name.contains("-template-")).toList(), "volumes left");
    }

    @Test
    void serverVerbsWorkOnContainers() {
        try (Cluster cluster = inContainers().startPair()) {
            Node primary = cluster.primary();
            long logOffset = primary.log().offset();
            primary.restart();
            assertTrue(primary.log().linesSince(logOffset).stream().anyMatch(line -> line.contains("database system is ready")),
                    "the log of the restart is read from the container world");

            List<Long> pids = primary.serverPids();
            assertTrue(pids.contains(1L) && pids.size() > 3, "the postmaster is the container's first process: " + pids);
            primary.pause();
            primary.resume();
            assertEquals("1", primary.queryValue("SELECT 1"));

            int starts = primary.connectionEpoch();
            primary.signalProcess("checkpointer", true);
            assertEquals(starts + 1, primary.connectionEpoch());
            assertEquals("1", primary.queryValue("SELECT 1"));

            primary.pauseProcess("walwriter");
            primary.resumePausedProcess();

            cluster.cutLink("standby1", LinkRelay.Cut.REFUSE);
            primary.pollQueryUntil("SELECT count(*) FROM pg_stat_replication", "0", BOUND);
            cluster.cutLink("standby1", LinkRelay.Cut.NONE);
            primary.waitForStreaming(cluster.standby());

            primary.stop(StopMode.IMMEDIATE);
            primary.start();
            assertEquals("1", primary.queryValue("SELECT 1"));
        }
        assertNothingOfOursLeft();
    }
}
