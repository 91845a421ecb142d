package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.run.Campaign;
import io.slotcheck.harness.run.CampaignProfile;
import io.slotcheck.harness.run.Shard;
import io.slotcheck.harness.run.RunSummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code ./slotcheck run} promises by default: its campaign (10 sequences of 20 steps, default profile) reaches every
 * situation of every invariant that campaigns build (a sync while the standby is behind a slot, a promotion while a copy
 * is temporary, a drop then a sync, ...), so that no guarantee is "checked" only where nothing could go wrong. On the
 * pinned 17 as a process of this machine (the nightly profile: the newest 17.x and 18.x); results go to
 * {@code scenarios/target/campaigns/}.
 */
class SituationReachTest {

    private static final long SEED = Long.getLong("slotcheck.reach.seed", 1801);
    /** Where the build's tests write theirs (set by the parent pom for Surefire). */
    private static final Path ALLURE_RESULTS = Path.of(System.getProperty("allure.results.directory", "target/allure-results"));

    /** The default test run checks the default target; {@code -Pnightly} every version's ({@code slotcheck.reach.targets}). */
    static Stream<String> targets() {
        return Arrays.stream(System.getProperty("slotcheck.reach.targets", "17").split(",")).map(String::strip).filter(t -> !t.isEmpty());
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("targets")
    void theDefaultCampaignReachesEverySituationCampaignsBuild(String version) {
        Path results = Path.of("target", "campaigns", version + "-default-reach");
        Campaign.Settings settings = new Campaign.Settings(10, 20, SEED, CampaignProfile.DEFAULT, Duration.ofMinutes(20), Duration.ofMinutes(2),
                results, ALLURE_RESULTS, false, Shard.WHOLE);
        RunSummary summary = new Campaign(Clusters.target(version), settings, new PrintStream(System.out, true, StandardCharsets.UTF_8)).run();

        String described = summary.describe() + "\nresults: " + results.toAbsolutePath();
        assertTrue(summary.conformant(), described);
        assertEquals(List.of(), summary.neverExercised(), described);
        assertEquals(List.of(), summary.neverReached(), described);
    }
}
