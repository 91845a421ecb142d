package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.VersionProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a scenario that does not show what it is there to show comes to. */
class SuiteTest {

    @TempDir
    Path temp;

    @Test
    void aScenarioWhoseAssertionFailsFailsWithItsMessageAndKeepsItsServersFiles() {
        NamedScenario unmet = new NamedScenario("unmet", "unmet", "nothing it claims", List.of(), NamedScenario.Versions.WITH_FAILOVER_SLOTS,
                List.of(new Operation.WriteTransactions("primary", 1, false)),
                run -> Expect.assertEquals(List.of(), run.lastStep().observation("primary").orElseThrow().transactions(), "no transaction"));
        Suite.Result result = Suite.runOne(Clusters.target("17"), unmet, temp.resolve("logs"));

        assertEquals(Suite.Verdict.FAILED, result.verdict());
        assertEquals("no transaction ==> expected: <[]> but was: <[1]>", result.detail());
        assertEquals(1, result.run().orElseThrow().history().steps().size());
        assertTrue(Files.isRegularFile(temp.resolve("logs").resolve("standby1.log")), "the servers' logs are kept");
        String line = Suite.progressLine(result);
        assertTrue(line.startsWith("scenario unmet: FAILED (1 steps, ") && line.endsWith(" s): " + result.detail()), line);
    }

    /**
     * Once a pair has shown the target's version, a scenario not of it is not run without another pair: told the
     * servers are 16, the 17 target runs nothing, which a pair of it would have contradicted.
     */
    @Test
    void aScenarioNotOfTheVersionAlreadySeenStartsNoPair() {
        NamedScenario manualSync = NamedScenarios.catalogue().get(0);
        Suite.Result result = Suite.runOne(Clusters.target("17"), manualSync, temp.resolve("logs"),
                Optional.of(VersionProfile.of("PostgreSQL 16.15 on x86_64-pc-linux-gnu")), () -> {
                    throw new AssertionError("no pair is started");
                });

        assertEquals(Suite.Verdict.NOT_RUN, result.verdict());
        assertEquals("applies to PostgreSQL 17 and later, syncing with their own failover slots, not to PostgreSQL 16.15", result.detail());
    }
}
