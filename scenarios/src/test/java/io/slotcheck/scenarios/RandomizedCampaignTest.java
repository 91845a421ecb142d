package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.Campaign;
import io.slotcheck.harness.run.CampaignProfile;
import io.slotcheck.harness.run.Shard;
import io.slotcheck.harness.run.RunSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded randomized campaign per supported major and profile. The default test run keeps it small (3 sequences of
 * 20 steps, sync-heavy); {@code mvn verify -Pnightly} runs every profile at nightly size. Results, with histories
 * and any replay file, go to {@code scenarios/target/campaigns/}; each sequence is a test in the build's Allure results.
 */
class RandomizedCampaignTest {

    /** By default 2032: its small sync-heavy plan has three refusals the model predicts, so outcomes are judged too. */
    private static final long SEED = Long.getLong("slotcheck.campaign.seed", 2032);
    private static final int SEQUENCES = Integer.getInteger("slotcheck.campaign.sequences", 3);
    private static final int STEPS = Integer.getInteger("slotcheck.campaign.steps", 20);
    private static final String PROFILES = System.getProperty("slotcheck.campaign.profiles", "sync-heavy");
    /** Where the build's tests write theirs (set by the parent pom for Surefire). */
    private static final Path ALLURE_RESULTS = Path.of(System.getProperty("allure.results.directory", "target/allure-results"));

    static Stream<Arguments> campaigns() {
        return Clusters.targets().flatMap(version -> Arrays.stream(PROFILES.split(",")).map(String::strip)
                .map(profile -> Arguments.of(version, profile)));
    }

    @ParameterizedTest(name = "PostgreSQL {0}, {1}")
    @MethodSource("campaigns")
    void aSeededCampaignConforms(String version, String profile) {
        Path results = Path.of("target", "campaigns", version.replace(' ', '-') + "-" + profile);
        Campaign.Settings settings = new Campaign.Settings(SEQUENCES, STEPS, SEED, CampaignProfile.named(profile), Duration.ofHours(2),
                Duration.ofMinutes(2), results, ALLURE_RESULTS, false, Shard.WHOLE);
        PrintStream progress = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        RunSummary summary = new Campaign(Clusters.target(version), settings, progress).run();

        assertTrue(summary.conformant(), summary.describe() + "\nresults: " + results.toAbsolutePath());
        assertTrue(!summary.neverExercised().contains("documented-outcome"), "refusals were judged: " + summary.describe());
        assertTrue(!summary.neverExercised().contains("primary-confirmed-flush-never-retreats"), summary.describe());
    }
}
