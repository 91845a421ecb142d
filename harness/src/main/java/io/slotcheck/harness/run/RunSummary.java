package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.operation.Fault;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a campaign did and found: written as {@code summary.json} after every sequence (so an interrupted campaign
 * leaves a partial one) and printed at the end. Counts are what was run and seen, never what was planned.
 */
public final class RunSummary {

    private static final String VIOLATION = "violation";
    private static final String FLAKY = "flaky";
    private static final String FIXED_UPSTREAM = "fixed-upstream";

    private final Target target;
    private final Campaign.Settings settings;
    private final long startedNanos = System.nanoTime();
    private String serverVersion;
    private int sequences;
    private int steps;
    private long actionMillis;
    private long observationMillis;
    private long checkMillis;
    private long waitedMillis;
    private int waits;
    private final Map<String, Integer> operations = new TreeMap<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final Map<String, Integer> exercised = new LinkedHashMap<>();
    private final Map<String, Integer> situations = new LinkedHashMap<>();
    private final List<String> notApplying = new ArrayList<>();
    private final List<Map<String, Object>> violations = new ArrayList<>();
    private final Set<UpstreamFix.Missing> missingFixes = new LinkedHashSet<>();
    private boolean finished;

    RunSummary(Target target, Campaign.Settings settings) {
        this.target = target;
        this.settings = settings;
    }

    void add(Campaign.SequenceResult result) {
        sequences++;
        serverVersion = result.history().serverVersion();
        VersionProfile profile = result.history().profile();
        for (Step step : result.history().steps()) {
            steps++;
            actionMillis += step.actionMillis();
            observationMillis += step.observationMillis();
            waitedMillis += step.waitedMillis();
            waits += step.waits().size();
            operations.merge(RecordCodec.typeName(step.operation()), 1, Integer::sum);
            outcomes.merge(outcomeClass(step.outcome(), profile), 1, Integer::sum);
        }
        checkMillis += result.checkMillis();
        result.report().exercised().forEach((invariant, checks) -> exercised.merge(invariant, checks, Integer::sum));
        result.report().situations().forEach((situation, steps) -> situations.merge(situation, steps, Integer::sum));
        notApplying.clear();
        notApplying.addAll(result.report().notApplying());
        for (Finding finding : result.report().findings()) {
            Map<String, Object> violation = new LinkedHashMap<>();
            violation.put("sequence", (long) result.index());
            violation.put("step", (long) finding.step());
            violation.put("invariant", finding.invariant().name());
            violation.put("explanation", finding.violation().explanation());
            violation.put("evidence", finding.violation().evidence());
            violation.put("classification", !result.reproduced() ? FLAKY : finding.isNewDefect() ? VIOLATION : FIXED_UPSTREAM);
            finding.fixedUpstream().ifPresent(missing -> violation.put("fixed_upstream", toJson(missing)));
            finding.fixedUpstream().filter(missing -> result.reproduced()).ifPresent(missingFixes::add);
            violation.put("original_steps", (long) result.history().steps().size());
            violation.put("shrunk_steps", (long) result.shrunk().size());
            violation.put("shrink_ms", result.shrinkMillis());
            violation.put("found_after_ms", result.foundAfterMillis());
            violation.put("history", result.historyFile().toString());
            violation.put("replay", result.replayFile() == null ? null : result.replayFile().toString());
            violations.add(violation);
        }
    }

    private static Map<String, Object> toJson(UpstreamFix.Missing missing) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("release", missing.release().version());
        json.put("commit", missing.release().commit());
        json.put("fix", missing.fix().title());
        json.put("release_notes", missing.release().releaseNotes());
        return json;
    }

    void finish() {
        finished = true;
    }

    /** The first violation found, as summary.json reports it. */
    Optional<Map<String, Object>> firstViolation() {
        return violations.stream().findFirst();
    }

    /** How many sequences ran. */
    long sequences() {
        return sequences;
    }

    public int violationCount() {
        return violations.size();
    }

    /**
     * No violation that reproduced; flaky ones (gone on a fresh cluster) are reported but are no product violation, and
     * those of defects fixed upstream are the servers' known defects, reported as such.
     */
    public boolean conformant() {
        return count(VIOLATION) == 0;
    }

    /** VIOLATION for a new defect, else FIXED_UPSTREAM for a known one the servers' minor lacks the fix of, else OK. */
    public ExitCode exitCode() {
        return !conformant() ? ExitCode.VIOLATION : count(FIXED_UPSTREAM) > 0 ? ExitCode.FIXED_UPSTREAM : ExitCode.OK;
    }

    private long count(String classification) {
        return violations.stream().filter(v -> classification.equals(v.get("classification"))).count();
    }

    /** The version's invariants no step checked, but for those whose every situation campaigns do not build (a named scenario's). */
    public List<String> neverExercised() {
        return exercised.entrySet().stream().filter(e -> e.getValue() == 0 && !onlyInSituationsNotBuilt(e.getKey())).map(Map.Entry::getKey).toList();
    }

    private static boolean onlyInSituationsNotBuilt(String invariant) {
        return Invariants.all().stream().filter(i -> i.name().equals(invariant)).findFirst()
                .map(i -> !i.situations().isEmpty() && i.situations().stream().allMatch(s -> Generator.situationsItDoesNotBuild().containsKey(s.name())))
                .orElse(false);
    }

    /** The situations of the version's invariants that no step reached, but for those campaigns do not build (each says why). */
    public List<String> neverReached() {
        return situations.entrySet().stream().filter(e -> e.getValue() == 0 && !notBuilt().containsKey(e.getKey())).map(Map.Entry::getKey).toList();
    }

    /** The situations of the version's invariants that no campaign builds on this target, each with the reason. */
    private Map<String, String> notBuilt() {
        Map<String, String> notBuilt = new TreeMap<>(Generator.situationsItDoesNotBuild());
        notBuilt.keySet().retainAll(situations.keySet());
        return notBuilt;
    }

    void write(Path file) {
        Campaign.write(file, Json.write(toJson()) + "\n");
    }

    Map<String, Object> toJson() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", !finished ? "interrupted" : !conformant() ? "violations" : count(FIXED_UPSTREAM) > 0 ? FIXED_UPSTREAM
                : violations.isEmpty() ? "conformant" : FLAKY);
        json.put("target", String.join(" ", target.selection()));
        json.put("server_version", serverVersion);
        json.put("seed", settings.seed());
        json.put("profile", settings.profile().name());
        json.put("shard", settings.shard().toString());
        json.put("faults", settings.profile().faults().stream().map(Fault::selector).toList());
        json.put("operations_not_drawn", notDrawn());
        json.put("sequences", (long) sequences);
        json.put("steps", (long) steps);
        json.put("duration_ms", Math.round(seconds * 1000));
        json.put("steps_per_second", seconds == 0 ? 0.0 : Math.round(steps / seconds * 10) / 10.0);
        json.put("step_time", stepTime());
        json.put("operations", RecordCodec.encode(operations));
        json.put("outcomes", RecordCodec.encode(outcomes));
        json.put("invariants_exercised", RecordCodec.encode(exercised));
        json.put("invariants_never_exercised", neverExercised());
        json.put("invariants_not_made_by_version", List.copyOf(notApplying));
        json.put("situations_reached", RecordCodec.encode(situations));
        json.put("situations_never_reached", neverReached());
        json.put("situations_not_built", notBuilt());
        json.put("violations", List.copyOf(violations));
        return json;
    }

    /** The operation kinds the profile would draw that the target cannot run, each with the reason. */
    private Map<String, String> notDrawn() {
        Map<String, String> notDrawn = new TreeMap<>(target.operationsItCannotRun());
        notDrawn.keySet().removeIf(kind -> settings.profile().weights().getOrDefault(kind, 0) == 0);
        return notDrawn;
    }

    /**
     * Where the steps' time went: performing operations (of which bounded waits for the servers), observing the nodes,
     * checking against the model; and the rate of checked steps without the waits, which measure the servers, not slotcheck.
     */
    private Map<String, Object> stepTime() {
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("operations_ms", actionMillis);
        time.put("bounded_waits", (long) waits);
        time.put("bounded_waits_ms", waitedMillis);
        time.put("observation_ms", observationMillis);
        time.put("check_ms", checkMillis);
        time.put("steps_per_second_excluding_waits", stepsPerSecondExcludingWaits());
        return time;
    }

    private double stepsPerSecondExcludingWaits() {
        long millis = actionMillis - waitedMillis + observationMillis + checkMillis;
        return millis <= 0 ? 0.0 : Math.round(steps * 10_000.0 / millis) / 10.0;
    }

    /** A human summary for the terminal. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%s: %d sequences, %d steps, seed %d, profile %s, faults %s%n", serverVersion, sequences, steps,
                settings.seed(), settings.profile().name(), faults()));
        text.append(String.format("speed: %.1f steps/s checked excluding %d bounded waits (%.1f s)%n", stepsPerSecondExcludingWaits(), waits,
                waitedMillis / 1000.0));
        text.append("operations: ").append(operations).append('\n');
        if (!notDrawn().isEmpty()) {
            text.append("not drawn (the target cannot run them): ").append(notDrawn()).append('\n');
        }
        text.append("outcomes:   ").append(outcomes).append('\n');
        text.append("invariants exercised (checks): ").append(exercised).append('\n');
        if (!neverExercised().isEmpty()) {
            text.append("never exercised (not a pass): ").append(neverExercised()).append('\n');
        }
        long reached = situations.values().stream().filter(steps -> steps > 0).count();
        text.append(String.format("situations reached: %d of %d (steps): %s%n", reached, situations.size(),
                situations.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + "=" + e.getValue()).toList()));
        if (!neverReached().isEmpty()) {
            text.append("situations never reached (not a pass): ").append(neverReached()).append('\n');
        }
        if (!notBuilt().isEmpty()) {
            text.append("situations campaigns do not build: ").append(notBuilt().keySet()).append(" (summary.json says why)\n");
        }
        text.append(violations.isEmpty() ? "conformant: no invariant violated"
                : !conformant() ? violations.size() + " violation(s); replay files in " + settings.out()
                : count(FIXED_UPSTREAM) > 0 ? count(FIXED_UPSTREAM) + " violation(s) of defects fixed upstream: " + fixesMissing()
                + " (the servers lack them; upgrade); replay files in " + settings.out()
                : violations.size() + " violation(s) that did not reproduce (flaky); replay files in " + settings.out());
        return text.toString();
    }

    /** The fixes the reproduced violations show missing, each once: {@code 17.6 (commit 7318f241d2, "...")}. */
    private String fixesMissing() {
        return missingFixes.stream().map(UpstreamFix.Missing::releaseAndCommit).collect(Collectors.joining(", "));
    }

    /** The profile's faults by their selectors, or none. */
    private String faults() {
        List<String> faults = settings.profile().faults().stream().map(Fault::selector).toList();
        return faults.isEmpty() ? "none" : String.join(",", faults);
    }

    /** ok, unknown, a documented refusal by its name, or the server's message with names and numbers blanked out. */
    static String outcomeClass(Outcome outcome, VersionProfile profile) {
        if (outcome instanceof Outcome.Ok) {
            return "ok";
        }
        if (outcome instanceof Outcome.Unknown) {
            return "unknown";
        }
        String message = String.valueOf(((Outcome.Failed) outcome).message()).lines().findFirst().orElse("");
        for (Message documented : Message.values()) {
            if (profile.text(documented).matches(message)) {
                return "refused: " + documented.name().toLowerCase();
            }
        }
        return "error: " + message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("\\d+", "N");
    }
}
