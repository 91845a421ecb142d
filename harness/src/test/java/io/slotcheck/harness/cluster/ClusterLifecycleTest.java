package io.slotcheck.harness.cluster;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.harness.server.ServerAccount;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing outlives a cluster: not after close, not after the JVM that owned it was killed. */
class ClusterLifecycleTest {

    @Test
    void closeStopsEveryServerAndRemovesEveryFile() {
        Cluster cluster = Clusters.embedded("17").startPair();
        Path directory = Path.of(cluster.location());
        List<Long> pids = serverPids(cluster);
        assertTrue(pids.size() >= 10, "a primary and a standby run (" + pids.size() + " processes)");

        cluster.close();

        assertTrue(pids.stream().noneMatch(ClusterLifecycleTest::running), "no server process left");
        assertFalse(Files.exists(directory), directory + " removed");
    }

    @Test
    void closingAKilledNodeReleasesItsSharedMemory() throws IOException {
        Cluster cluster = Clusters.embedded("17").startPair();
        Node primary = cluster.primary();
        Set<Path> dynamicSegments = PostmasterPid.dynamicSharedMemory(PostmasterPid.withDescendants(primary.postmaster()));
        int sysvSegment = PostmasterPid.read(primary.dataDirectory().resolve("postmaster.pid")).orElseThrow().shmemId().orElseThrow();
        assertFalse(dynamicSegments.isEmpty(), "the server maps dynamic shared memory");

        primary.kill9();
        assertTrue(dynamicSegments.stream().allMatch(Files::exists), "a kill -9 leaves the segments behind");
        cluster.close();

        assertTrue(dynamicSegments.stream().noneMatch(Files::exists), "dynamic shared memory removed: " + dynamicSegments);
        assertFalse(sysvSegmentExists(sysvSegment), "System V segment " + sysvSegment + " removed");
    }

    @Test
    void clustersStartedAtOnceInOneJvmAreIndependent() {
        CompletableFuture<Cluster> first = CompletableFuture.supplyAsync(() -> Clusters.embedded("17").startPair());
        CompletableFuture<Cluster> second = CompletableFuture.supplyAsync(() -> Clusters.embedded("17").startPair());
        try (Cluster a = first.join(); Cluster b = second.join()) {
            assertNotEquals(a.primary().port(), b.primary().port());
            a.primary().execute("CREATE TABLE only_in_a (id int)");
            a.primary().waitForCatchup(a.standby());
            assertEquals("1", a.standby().queryValue("SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'"));
            assertEquals("0", b.standby().queryValue("SELECT count(*) FROM pg_class WHERE relname = 'only_in_a'"));
        }
    }

    @Test
    void keptFilesSurviveCloseAndLaterSweeps() throws IOException {
        Cluster cluster = Clusters.embedded("17").startPair();
        List<Long> pids = serverPids(cluster);
        cluster.keepFiles();
        cluster.close();
        try {
            assertTrue(pids.stream().noneMatch(ClusterLifecycleTest::running), "servers stopped even though files are kept");
            assertTrue(Files.exists(Path.of(cluster.primary().log().location())), "the primary's log is kept");
            WorkArea.open(WorkArea.defaultRoot(), ServerAccount.forCurrentProcess());
            assertTrue(Files.exists(Path.of(cluster.location())), "a sweep leaves kept files alone");
        } finally {
            FileTrees.delete(Path.of(cluster.location()));
        }
    }

    @Test
    void clustersOfAKilledJvmAreSweptByTheNextOpen() throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(), WorkArea.defaultRoot().toString())
                .redirectErrorStream(true).start();
        Path orphan;
        List<Long> pids = new ArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream()));
            String line;
            String directory = null;
            while (directory == null && (line = lines.readLine()) != null) {
                if (line.startsWith("cluster ")) {
                    directory = line.substring("cluster ".length());
                } else if (line.startsWith("pid ")) {
                    pids.add(Long.parseLong(line.substring(4)));
                }
            }
            assertNotNull(directory, "the owner JVM started a cluster");
            orphan = Path.of(directory);
        } finally {
            owner.destroyForcibly();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(pids.stream().anyMatch(ClusterLifecycleTest::running), "its servers outlive the killed JVM");
        Set<Path> dynamicSegments = PostmasterPid.dynamicSharedMemory(pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList());
        assertFalse(dynamicSegments.isEmpty(), "the orphaned servers map dynamic shared memory");

        WorkArea.open(WorkArea.defaultRoot(), ServerAccount.forCurrentProcess());

        assertFalse(Files.exists(orphan), "orphan " + orphan + " removed");
        assertTrue(pids.stream().noneMatch(ClusterLifecycleTest::running), "orphaned servers stopped");
        assertTrue(dynamicSegments.stream().noneMatch(Files::exists), "their shared memory released: " + dynamicSegments);
    }

    /**
     * Two JVMs share a work area (the build's two test forks): one's sweep must never take a cluster directory the other
     * is making, nor fail at one the other removed (closed) since the sweep listed it.
     */
    @Test
    void aSweepLeavesClustersBeingMadeOrClosedToTheirOwner() throws Exception {
        Path root = Files.createTempDirectory("slotcheck-sweep-race");
        try {
            WorkArea owner = WorkArea.open(root, ServerAccount.forCurrentProcess());
            WorkArea sweeper = WorkArea.open(root, ServerAccount.forCurrentProcess());
            CompletableFuture<Void> makingAndClosing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2000; i++) {
                    Path made = owner.newClusterDirectory("race");
                    assertTrue(Files.isRegularFile(made.resolve("owner")), "made whole: " + made);
                    try {
                        FileTrees.delete(made);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            List<Path> swept = new ArrayList<>();
            while (!makingAndClosing.isDone()) {
                swept.addAll(sweeper.sweepOrphans());
            }
            makingAndClosing.get();
            assertEquals(List.of(), swept, "swept from under their owner");
        } finally {
            FileTrees.delete(root);
        }
    }

    private static List<Long> serverPids(Cluster cluster) {
        List<Long> pids = new ArrayList<>();
        cluster.nodes().forEach(node -> pids.addAll(node.serverPids()));
        return pids;
    }

    private static boolean sysvSegmentExists(int id) throws IOException {
        return Files.readAllLines(Path.of("/proc/sysvipc/shm")).stream().skip(1)
                .anyMatch(line -> line.trim().split("\\s+")[1].equals(Integer.toString(id)));
    }

    private static boolean running(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && Processes.isRunning(process.get());
    }

    /** Runs in a separate JVM: starts a pair, says where, and blocks on its input until it is killed. */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            Cluster cluster = io.slotcheck.harness.Target.embedded("17", Path.of(args[0])).startPair();
            for (Node node : cluster.nodes()) {
                for (long pid : node.serverPids()) {
                    System.out.println("pid " + pid);
                }
            }
            System.out.println("cluster " + cluster.location());
            System.out.flush();
            System.in.read();
        }
    }
}
