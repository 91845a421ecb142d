package io.slotcheck.model;

import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Invariant;
import io.slotcheck.model.invariant.Situation;
import io.slotcheck.model.invariant.StepContext;
import io.slotcheck.model.invariant.Verdict;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a history against the invariants, without any server: the same verdicts online (after every step) and
 * offline (a stored history). An invariant never exercised is reported as such, not as passing.
 */
public final class HistoryChecker {

    /**
     * A violation found at a step.
     *
     * @param fixedUpstream the fix the server lacks that makes the invariant hold, if it lacks one: then the violation is
     *                      that known defect, not a new one
     */
    public record Finding(int step, Invariant invariant, Verdict.Violation violation, Optional<UpstreamFix.Missing> fixedUpstream) {
        public boolean isNewDefect() {
            return fixedUpstream.isEmpty();
        }

        @Override
        public String toString() {
            return "step " + step + ": " + invariant.name() + " violated" + fixedUpstream.map(fix -> " (" + fix.describe() + ")").orElse("")
                    + ": " + violation.explanation();
        }
    }

    /**
     * @param findings    every violation, in step order
     * @param exercised   per applicable invariant, how many non-trivial checks held or failed (0: never exercised)
     * @param notApplying invariants the target's version does not make
     * @param situations  per situation of the applicable invariants that arises in this version ({@link Situation}), how
     *                    many steps reached it (0: never reached)
     */
    public record Report(VersionProfile profile, List<Finding> findings, Map<String, Integer> exercised, List<String> notApplying,
                         Map<String, Integer> situations) {
        public boolean holds() {
            return findings.isEmpty();
        }

        /** Whether a violation is of no defect PostgreSQL has already fixed in a later minor. */
        public boolean hasNewDefect() {
            return findings.stream().anyMatch(Finding::isNewDefect);
        }

        public List<String> neverExercised() {
            return exercised.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        }

        public List<String> neverReached() {
            return situations.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        }
    }

    private HistoryChecker() {
    }

    public static Report check(History history, List<Invariant> invariants) {
        Session session = new Session(history.profile(), invariants);
        history.steps().forEach(session::add);
        return session.report();
    }

    /** Checking as a run goes: each step is checked when it is added, against the steps before it. */
    public static final class Session {
        private final VersionProfile profile;
        private final List<Invariant> applicable;
        private final List<String> notApplying;
        private final List<Step> steps = new ArrayList<>();
        private final Map<String, Integer> exercised = new LinkedHashMap<>();
        private final List<Situation> situations;
        private final Map<String, Integer> reached = new LinkedHashMap<>();
        private final List<Finding> findings = new ArrayList<>();
        private ModelState state = ModelState.initial();

        public Session(VersionProfile profile, List<Invariant> invariants) {
            this.profile = profile;
            applicable = invariants.stream().filter(i -> i.appliesTo().test(profile)).toList();
            notApplying = invariants.stream().filter(i -> !applicable.contains(i)).map(Invariant::name).toList();
            applicable.forEach(i -> exercised.put(i.name(), 0));
            situations = applicable.stream().flatMap(i -> i.situations().stream()).filter(s -> s.appliesTo().test(profile)).toList();
            situations.forEach(s -> reached.put(s.name(), 0));
        }

        /** Checks {@code step} and returns the violations found at it. */
        public List<Finding> add(Step step) {
            steps.add(step);
            StepContext context = new StepContext(steps, steps.size() - 1, profile, state);
            List<Finding> found = new ArrayList<>();
            for (Invariant invariant : applicable) {
                Verdict verdict = invariant.check(context);
                if (verdict instanceof Verdict.Holds holds) {
                    exercised.merge(invariant.name(), holds.checks(), Integer::sum);
                } else if (verdict instanceof Verdict.Violation violation) {
                    exercised.merge(invariant.name(), 1, Integer::sum);
                    found.add(new Finding(step.index(), invariant, violation, invariant.missingFix(profile)));
                }
            }
            findings.addAll(found);
            situations.stream().filter(s -> s.reachedAt().test(context)).forEach(s -> reached.merge(s.name(), 1, Integer::sum));
            state = state.next(step);
            return found;
        }

        public Report report() {
            return new Report(profile, List.copyOf(findings), new LinkedHashMap<>(exercised), notApplying, new LinkedHashMap<>(reached));
        }
    }
}
