package io.slotcheck.harness.run;

import io.slotcheck.harness.junit.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A campaign leaves nothing behind: no cluster directory, no shared memory, whatever its sequences did to the servers. */
class CampaignCleanupTest {

    @TempDir
    Path results;

    /**
     * Seed 111 with the barrier-heavy profile ends its sequence by killing a standby that had been through an immediate
     * stop, a restart and slot syncs: a dynamic shared memory segment it had pinned was left in /dev/shm until closing a
     * killed node started it once more so that PostgreSQL freed its own memory.
     */
    @Test
    void aSequenceEndingInACrashLeavesNoSharedMemoryOrFiles() throws IOException {
        Set<String> before = dynamicSharedMemory();
        Campaign.Settings settings = new Campaign.Settings(1, 25, 111, CampaignProfile.named("barrier-heavy"), Duration.ofMinutes(5),
                Duration.ofMinutes(1), results);

        RunSummary summary = new Campaign(Clusters.embedded("17"), settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertTrue(summary.conformant(), summary.describe());
        Set<String> left = dynamicSharedMemory();
        left.removeAll(before);
        assertEquals(Set.of(), left, "dynamic shared memory left in /dev/shm");
        try (Stream<Path> clusters = Files.list(Clusters.embedded("17").workArea().root().resolve("clusters"))) {
            // a failed test elsewhere keeps its cluster on purpose (marked KEPT); nothing else may remain
            assertEquals(0, clusters.filter(c -> !Files.exists(c.resolve("KEPT"))).count(), "no cluster directory left");
        }
    }

    private static Set<String> dynamicSharedMemory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("PostgreSQL.")).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
