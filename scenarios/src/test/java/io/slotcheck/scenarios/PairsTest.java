package io.slotcheck.scenarios;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.junit.Clusters;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** A suite's pairs: the next one started beside the one taken, and one started for no scenario closed at the end. */
class PairsTest {

    @Test
    void theNextPairStartsBesideAndOneNotTakenIsClosed() throws IOException {
        Target target = Clusters.target("17");
        Cluster first;
        Cluster second;
        try (Pairs pairs = new Pairs(target)) {
            first = pairs.forScenario(true).get();
            // the next pair starts beside the first: its directory appears within a pair's start
            Awaitility.await("a second pair of this JVM").atMost(Duration.ofSeconds(30)).until(() -> ownClusters(target).size() == 2);
            first.close();
            second = pairs.forScenario(true).get();
            assertNotSame(first, second);
            second.close();
            Awaitility.await("a third pair, on its way").atMost(Duration.ofSeconds(30)).until(() -> ownClusters(target).size() == 1);
        }
        assertEquals(List.of(), ownClusters(target), "the pair no scenario took is closed with the pairs");
    }

    /** The cluster directories of this JVM in the work area (others may share it). */
    private static List<Path> ownClusters(Target target) throws IOException {
        try (Stream<Path> clusters = Files.list(target.workArea().root().resolve("clusters"))) {
            return clusters.filter(cluster -> {
                try {
                    return Files.readAllLines(cluster.resolve("owner")).contains("pid=" + ProcessHandle.current().pid());
                } catch (IOException e) {
                    return false; // closed meanwhile, or still being made
                }
            }).toList();
        }
    }
}
