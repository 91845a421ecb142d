package io.slotcheck.scenarios;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;
import io.slotcheck.model.hazard.KnownBehaviour;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.version.VersionProfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run of the suite did and found: written as {@code summary.json} after every scenario (so an interrupted run
 * leaves a partial one) and described at the end.
 */
final class SuiteSummary {

    private final Target target;
    private String serverVersion;
    private final List<String> passed = new ArrayList<>();
    private final List<Map<String, Object>> failed = new ArrayList<>();
    private final List<Map<String, Object>> fixedUpstream = new ArrayList<>();
    private final List<Map<String, Object>> notRun = new ArrayList<>();
    private final Map<String, Object> durations = new LinkedHashMap<>();
    private final List<Map<String, Object>> knownBehaviours = new ArrayList<>();
    private boolean finished;

    SuiteSummary(Target target) {
        this.target = target;
    }

    void add(Suite.Result result) {
        String id = result.scenario().id();
        durations.put(id, result.took().toMillis());
        switch (result.verdict()) {
            case PASSED -> passed.add(id);
            case FAILED -> failed.add(scenario(id, "message", result.detail()));
            case FIXED_UPSTREAM -> fixedUpstream.add(scenario(id, "message", result.detail()));
            case NOT_RUN -> notRun.add(scenario(id, "reason", result.detail()));
        }
        result.run().ifPresent(run -> {
            serverVersion = run.history().serverVersion();
            for (KnownBehaviour.Sighting sighting : KnownBehaviour.sightings(run.history())) {
                Map<String, Object> known = scenario(id, "step", (long) sighting.step());
                known.put("behaviour", sighting.behaviour().name());
                known.put("description", sighting.behaviour().description());
                knownBehaviours.add(known);
            }
        });
    }

    /** {@code {"id": id, key: value}}, in that order. */
    private static Map<String, Object> scenario(String id, String key, Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put(key, value);
        return entry;
    }

    void finish() {
        finished = true;
    }

    /** VIOLATION if a scenario failed, else FIXED_UPSTREAM if one failed by a defect a later minor fixed, else OK. */
    ExitCode exitCode() {
        return !failed.isEmpty() ? ExitCode.VIOLATION : !fixedUpstream.isEmpty() ? ExitCode.FIXED_UPSTREAM : ExitCode.OK;
    }

    /** Why no scenario ran, if none did: the first scenario's reason (a suite that observed nothing passes nothing). */
    Optional<String> whyNothingRan() {
        return passed.isEmpty() && failed.isEmpty() && fixedUpstream.isEmpty() && !notRun.isEmpty()
                ? Optional.of(String.valueOf(notRun.get(0).get("reason"))) : Optional.empty();
    }

    void write(Path file) {
        Suite.write(file, Json.write(toJson()) + "\n");
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", !finished ? "interrupted" : whyNothingRan().isPresent() ? "nothing_run" : switch (exitCode()) {
            case OK -> "passed";
            case FIXED_UPSTREAM -> "fixed-upstream";
            default -> "failed";
        });
        json.put("target", String.join(" ", target.selection()));
        json.put("server_version", serverVersion);
        json.put("passed", List.copyOf(passed));
        json.put("failed", List.copyOf(failed));
        json.put("fixed_upstream", List.copyOf(fixedUpstream));
        json.put("not_run", List.copyOf(notRun));
        json.put("duration_ms", new LinkedHashMap<>(durations));
        json.put("known_behaviours", List.copyOf(knownBehaviours));
        return json;
    }

    /** A human summary for the terminal. */
    String describe() {
        return String.format("%s%d passed, %d failed, %s%d not run%s", serverVersion == null ? "" : VersionProfile.of(serverVersion) + ": ",
                passed.size(), failed.size(), fixedUpstream.isEmpty() ? "" : fixedUpstream.size() + " failed by defects fixed upstream (upgrade), ",
                notRun.size(), notRun.isEmpty() ? "" : " (summary.json says why)");
    }
}
