package io.slotcheck.model;

import io.slotcheck.model.history.History;
import io.slotcheck.model.invariant.Invariant;
import io.slotcheck.model.invariant.StepContext;
import io.slotcheck.model.invariant.Verdict;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a history against the invariants, without any server: the same verdicts online (after every step) and
 * offline (a stored history). An invariant never exercised is reported as such, not as passing.
 */
public final class HistoryChecker {

    /** A violation found at a step. */
    public record Finding(int step, Invariant invariant, Verdict.Violation violation) {
        @Override
        public String toString() {
            return "step " + step + ": " + invariant.name() + " violated: " + violation.explanation();
        }
    }

    /**
     * @param findings    every violation, in step order
     * @param exercised   per applicable invariant, how many non-trivial checks held or failed (0: never exercised)
     * @param notApplying invariants the target's version does not make
     */
    public record Report(VersionProfile profile, List<Finding> findings, Map<String, Integer> exercised, List<String> notApplying) {
        public boolean holds() {
            return findings.isEmpty();
        }

        public List<String> neverExercised() {
            return exercised.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        }
    }

    private HistoryChecker() {
    }

    public static Report check(History history, List<Invariant> invariants) {
        VersionProfile profile = VersionProfile.of(history.serverVersion());
        List<Invariant> applicable = invariants.stream().filter(i -> i.appliesTo().test(profile)).toList();
        Map<String, Integer> exercised = new LinkedHashMap<>();
        applicable.forEach(i -> exercised.put(i.name(), 0));
        List<Finding> findings = new ArrayList<>();
        ModelState state = ModelState.initial();
        for (int position = 0; position < history.steps().size(); position++) {
            StepContext context = new StepContext(history.steps(), position, profile, state);
            for (Invariant invariant : applicable) {
                Verdict verdict = invariant.check(context);
                if (verdict instanceof Verdict.Holds holds) {
                    exercised.merge(invariant.name(), holds.checks(), Integer::sum);
                } else if (verdict instanceof Verdict.Violation violation) {
                    exercised.merge(invariant.name(), 1, Integer::sum);
                    findings.add(new Finding(history.steps().get(position).index(), invariant, violation));
                }
            }
            state = state.next(history.steps().get(position));
        }
        List<String> notApplying = invariants.stream().filter(i -> !applicable.contains(i)).map(Invariant::name).toList();
        return new Report(profile, findings, exercised, notApplying);
    }
}
