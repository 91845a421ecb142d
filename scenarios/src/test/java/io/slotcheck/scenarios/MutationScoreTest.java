package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.SelfTest;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subset of {@code ./slotcheck selftest} in the default test run: servers of the pinned 17 broken on purpose in one
 * guarantee each must be caught by the invariant they break, and shrunk to a few steps. The whole self-test runs every
 * mutant ({@code ./slotcheck selftest}); its results here go to {@code scenarios/target/selftest/}.
 */
class MutationScoreTest {

    private static final List<String> MUTANTS = List.of("sync-ignores-the-standby-flush", "synced-copy-droppable-on-standby");

    @Test
    void serversBrokenOnPurposeAreCaughtAndShrunk() throws Exception {
        Path out = Path.of("target", "selftest");
        List<SelfTest.Result> results = SelfTest.run(Clusters.target("17"), MUTANTS, 1801, Duration.ofMinutes(2), Duration.ofMinutes(1), out,
                new PrintStream(System.out, true, StandardCharsets.UTF_8));

        assertEquals(MUTANTS, results.stream().map(result -> result.mutant().name()).toList());
        for (SelfTest.Result result : results) {
            assertTrue(result.caught(), result.toString());
            assertEquals(result.mutant().invariant(), result.invariantNamed(), result.toString());
            assertTrue(result.shrunkSteps() <= 8, "shrunk to at most 8 steps: " + result);
        }
        String json = Files.readString(out.resolve("selftest.json"));
        assertTrue(json.contains("\"caught\":2,\"mutants\":2"), json);
    }
}
