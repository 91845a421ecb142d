package io.slotcheck.harness.cluster;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.SequenceRun;
import io.slotcheck.model.operation.Operation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sequence leaves nothing behind: no cluster directory, no shared memory, whatever it did to the servers. */
class SequenceCleanupTest {

    /**
     * A campaign's sequence (seed 111, barrier-heavy, before the rejoin and wait operations changed what seeds draw)
     * that ends by killing a standby that had been through an immediate stop, a restart and slot syncs: a dynamic shared
     * memory segment it had pinned was left in /dev/shm until closing a killed node started it once more so that
     * PostgreSQL freed its own memory.
     */
    private static final List<Operation> ENDS_IN_A_CRASH = List.of(
            new Operation.WriteTransactions("primary", 1, false),
            new Operation.ConsumeChanges("primary", "s1", null, false),
            new Operation.AdvanceSlot("primary", "s1", null),
            new Operation.AdvanceSlot("standby1", "s2", null),
            new Operation.SyncSlots("standby1"),
            new Operation.Checkpoint("standby1"),
            new Operation.SyncSlots("standby1"),
            new Operation.SyncSlots("standby1"),
            new Operation.Checkpoint("standby1"),
            new Operation.CreateLogicalSlot("primary", "s1", "test_decoding", false, false, true),
            new Operation.ConsumeChanges("primary", "s1", null, false),
            new Operation.SetSetting("primary", "hot_standby_feedback", "off"),
            new Operation.SyncSlots("standby1"),
            new Operation.SetSetting("primary", "hot_standby_feedback", "off"),
            new Operation.CreateLogicalSlot("primary", "s2", "pgoutput", true, false, false),
            new Operation.StopNode("primary", false),
            new Operation.StartNode("primary"),
            new Operation.SetSetting("primary", "sync_replication_slots", "on"),
            new Operation.StopNode("primary", false),
            new Operation.SyncSlots("standby1"),
            new Operation.SyncSlots("standby1"),
            new Operation.StopNode("standby1", true),
            new Operation.StartNode("standby1"),
            new Operation.AdvanceSlot("standby1", "s2", null),
            new Operation.CrashNode("standby1"));

    @Test
    void aSequenceEndingInACrashLeavesNoSharedMemoryOrFiles() throws IOException {
        Set<String> before = dynamicSharedMemory();
        Target target = Clusters.embedded("17");
        try (Cluster cluster = target.startPair(); SequenceRun run = new SequenceRun(cluster, target.describe())) {
            run.performUntilViolation(ENDS_IN_A_CRASH);
            assertTrue(run.findings().isEmpty(), run.findings().toString());
            assertEquals(ENDS_IN_A_CRASH.size(), run.history(null).steps().size(), "every operation ran");
        }

        Set<String> left = dynamicSharedMemory();
        left.removeAll(before);
        left.removeAll(mappedByLiveProcesses());
        assertEquals(Set.of(), left, "dynamic shared memory that no process maps left in /dev/shm");
        try (Stream<Path> clusters = Files.list(target.workArea().root().resolve("clusters"))) {
            // a failed test elsewhere keeps its cluster on purpose (marked KEPT), and other slotcheck processes sharing the
            // work area have clusters of their own; nothing else of this JVM's may remain
            assertEquals(0, clusters.filter(c -> !Files.exists(c.resolve("KEPT")) && ownedByThisJvm(c)).count(), "no cluster directory left");
        }
    }

    private static boolean ownedByThisJvm(Path cluster) {
        try {
            return Files.readAllLines(cluster.resolve("owner")).contains("pid=" + ProcessHandle.current().pid());
        } catch (IOException e) {
            return false; // closed by its owner meanwhile
        }
    }

    private static Set<String> dynamicSharedMemory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("PostgreSQL.")).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** Segments servers still running elsewhere on the machine use (another campaign, another build): not leaks of this one. */
    private static Set<String> mappedByLiveProcesses() {
        Set<String> mapped = new TreeSet<>();
        PostmasterPid.dynamicSharedMemory(ProcessHandle.allProcesses().toList()).forEach(segment -> mapped.add(segment.getFileName().toString()));
        return mapped;
    }
}
