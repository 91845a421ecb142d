package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.Campaign;
import io.slotcheck.harness.run.CampaignProfile;
import io.slotcheck.harness.run.RunSummary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small randomized campaign on each supported major, part of the default test run (a larger one is
 * {@code ./slotcheck run}). Seeded, so the operations are the same on every run.
 */
class RandomizedCampaignTest {

    private static final long SEED = 2026;

    @TempDir
    Path results;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void aSeededCampaignConforms(String version) {
        Campaign.Settings settings = new Campaign.Settings(3, 20, SEED, CampaignProfile.named("sync-heavy"), Duration.ofMinutes(5),
                Duration.ofMinutes(2), results);
        RunSummary summary = new Campaign(Clusters.embedded(version), settings, new PrintStream(OutputStream.nullOutputStream())).run();

        assertTrue(summary.conformant(), summary.describe());
        assertTrue(!summary.neverExercised().contains("documented-outcome"), "refusals were judged: " + summary.describe());
        assertTrue(!summary.neverExercised().contains("primary-confirmed-flush-never-retreats"), summary.describe());
    }
}
