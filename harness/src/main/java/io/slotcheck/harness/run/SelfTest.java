package io.slotcheck.harness.run;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.invariant.Situation;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.version.VersionProfile;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The mutation score of the checker: a directed campaign (default profile, the default campaign's size, the directions
 * towards the situations of the invariant the mutant breaks first) through each {@link Mutant} of the target's version,
 * ended by its first violation, which is then shrunk. A mutant is caught when
 * a violation showed and showed again on a fresh cluster; every mutant must be.
 */
public final class SelfTest {

    /** What became of one mutant. {@code invariantNamed} is the first violation's (null when missed). */
    public record Result(Mutant mutant, boolean caught, String invariantNamed, long foundAfterMillis, long originalSteps, long shrunkSteps,
                         long sequences, long millis) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("mutant", mutant.name());
            json.put("imitates", mutant.imitates());
            json.put("breaks", mutant.invariant());
            json.put("caught", caught);
            json.put("invariant_named", invariantNamed);
            json.put("found_after_ms", foundAfterMillis);
            json.put("original_steps", originalSteps);
            json.put("shrunk_steps", shrunkSteps);
            json.put("sequences", sequences);
            json.put("duration_ms", millis);
            return json;
        }
    }

    private SelfTest() {
    }

    /**
     * Runs the mutants named {@code only} (all when empty) that apply to the target's version, each for at most
     * {@code budget} (and {@code shrinkBudget} for shrinking), with results under {@code out/<mutant>/}.
     */
    public static List<Result> run(Target target, List<String> only, long seed, Duration budget, Duration shrinkBudget, Path out,
                                   PrintStream progress) {
        VersionProfile profile;
        try (Cluster cluster = target.startPair()) {
            profile = cluster.profile();
        }
        List<Mutant> mutants = Mutant.catalogue().stream().filter(m -> m.appliesTo().test(profile) && invariantApplies(m.invariant(), profile))
                .filter(m -> only.isEmpty() || only.contains(m.name())).toList();
        progress.printf("self-test on %s: %d mutants, seed %d, at most %s each%n", target.describe(), mutants.size(), seed, budget);
        List<Result> results = new ArrayList<>();
        for (Mutant mutant : mutants) {
            long started = System.nanoTime();
            Campaign.Settings settings = new Campaign.Settings(10, 20, seed, CampaignProfile.DEFAULT.forSlotSync(target.slotSync()), budget, shrinkBudget, out.resolve(mutant.name()));
            // the campaign's own lines would bury the score: each mutant's result is one line
            RunSummary summary = new Campaign(target, settings, new PrintStream(OutputStream.nullOutputStream()), mutant.lenses(),
                    situationsOf(mutant.invariant())).runUntilFirstViolation();
            long millis = (System.nanoTime() - started) / 1_000_000;
            Result result = summary.firstViolation().map(v -> new Result(mutant, "violation".equals(v.get("classification")),
                            (String) v.get("invariant"), (Long) v.get("found_after_ms"), (Long) v.get("original_steps"), (Long) v.get("shrunk_steps"),
                            (Long) v.get("sequence"), millis))
                    .orElse(new Result(mutant, false, null, 0, 0, 0, summary.sequences(), millis));
            results.add(result);
            progress.println(describe(result));
        }
        long caught = results.stream().filter(Result::caught).count();
        progress.printf("mutation score: %d of %d mutants caught%n", caught, results.size());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target.describe());
        json.put("server_version", profile.toString());
        json.put("seed", seed);
        json.put("caught", caught);
        json.put("mutants", (long) results.size());
        json.put("results", results.stream().map(Result::toJson).toList());
        Campaign.write(out.resolve("selftest.json"), Json.write(json) + "\n");
        return results;
    }

    /** Whether the servers of {@code profile} make the guarantee {@code invariant}: a bug that breaks another kind of slot sync is not theirs. */
    private static boolean invariantApplies(String invariant, VersionProfile profile) {
        return Invariants.all().stream().anyMatch(i -> i.name().equals(invariant) && i.appliesTo().test(profile));
    }

    /** The situations of {@code invariant}: its directions come first, as where a broken server would show it. */
    private static Set<String> situationsOf(String invariant) {
        return Invariants.all().stream().filter(i -> i.name().equals(invariant)).flatMap(i -> i.situations().stream())
                .map(Situation::name).collect(Collectors.toSet());
    }

    private static String describe(Result result) {
        return result.caught()
                ? String.format("  caught  %-44s by %s after %.1f s, %d steps shrunk to %d", result.mutant().name(), result.invariantNamed(),
                result.foundAfterMillis() / 1000.0, result.originalSteps(), result.shrunkSteps())
                : String.format("  MISSED  %-44s (%s) in %d sequences, %.1f s%s", result.mutant().name(), result.mutant().invariant(),
                result.sequences(), result.millis() / 1000.0, result.invariantNamed() == null ? "" : ": a violation showed but not again");
    }
}
