package io.slotcheck.harness.run;

import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.model.HistoryChecker.Finding;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code ./slotcheck bisect}: a replay file's operations run on each of a list of servers in order (the minors of a
 * major, or a vendor's builds), a few times each on fresh pairs, to find where the behaviour changes: which versions
 * violate and which hold, and between which two it changed.
 */
public final class Bisect {

    /**
     * One of the servers to try.
     *
     * @param name         how it is printed: a version such as {@code 17.5.0}, or an installation's directory
     * @param releaseNotes where its changes are described, if it is a PostgreSQL release
     * @param target       makes its target (resolving its binaries) when its turn comes
     */
    public record Candidate(String name, Optional<String> releaseNotes, Supplier<Target> target) {
    }

    /**
     * What the replay did on one candidate.
     *
     * @param violating  how many of {@code runs} showed a violation
     * @param first      the first violation seen, if one was
     * @param couldNotRun why the candidate's servers could not run the replay, if they could not (then it has no verdict)
     */
    record Verdict(Candidate candidate, int runs, int violating, Optional<Finding> first, Optional<String> couldNotRun) {
        public boolean violates() {
            return violating > 0;
        }

        /** {@code 17.5.0: violates primary-confirmed-flush-never-retreats in 3 of 3 runs (fixed upstream in 17.6 ...)}. */
        String describe() {
            return candidate.name() + ": " + couldNotRun.map(reason -> "could not run: " + reason).orElseGet(() -> first.map(finding -> "violates "
                    + finding.invariant().name() + " in " + violating + " of " + runs + " runs"
                    + finding.fixedUpstream().map(fix -> " (" + fix.describe() + ")").orElse(""))
                    .orElse("holds in " + runs + " of " + runs + " runs"));
        }
    }

    private Bisect() {
    }

    /** Runs {@code replay} {@code runs} times on each candidate, printing a line each, then where the behaviour changed. */
    public static void run(ReplayFile replay, List<Candidate> candidates, int runs, PrintStream out) {
        out.printf("bisecting sequence %d of seed %d (%d operations; it violated %s) over %d servers, %d runs each%n", replay.sequence(),
                replay.seed(), replay.operations().size(), replay.invariant(), candidates.size(), runs);
        List<Verdict> verdicts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Verdict verdict = verdictOn(candidate, replay, runs);
            out.println(verdict.describe());
            verdicts.add(verdict);
        }
        out.println(changes(verdicts));
    }

    /** The replay on {@code candidate}; one whose servers cannot start is said so, and the others are still tried. */
    private static Verdict verdictOn(Candidate candidate, ReplayFile replay, int runs) {
        try {
            return runsOn(candidate, replay, runs);
        } catch (SlotcheckException e) {
            if (Cluster.shuttingDown()) {
                throw e; // interrupted: no further candidate is started
            }
            return new Verdict(candidate, runs, 0, Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private static Verdict runsOn(Candidate candidate, ReplayFile replay, int runs) {
        Target target = candidate.target().get();
        int violating = 0;
        Optional<Finding> first = Optional.empty();
        for (int run = 0; run < runs; run++) {
            List<Finding> findings = SequenceRun.trial(target, replay.operations(), UnaryOperator.identity());
            if (!findings.isEmpty()) {
                violating++;
                first = first.or(() -> Optional.of(findings.get(0)));
            }
        }
        return new Verdict(candidate, runs, violating, first, Optional.empty());
    }

    /**
     * Where the verdicts of the candidates that ran change from one to the next: {@code last bad 17.5.0, first good 17.6.0
     * (release notes ...)}, or that nothing changed.
     */
    static String changes(List<Verdict> all) {
        List<Verdict> verdicts = all.stream().filter(verdict -> verdict.couldNotRun().isEmpty()).toList();
        List<String> changes = new ArrayList<>();
        for (int index = 1; index < verdicts.size(); index++) {
            Verdict before = verdicts.get(index - 1);
            Verdict after = verdicts.get(index);
            if (before.violates() != after.violates()) {
                changes.add((before.violates() ? "last bad " : "last good ") + before.candidate().name() + ", first "
                        + (after.violates() ? "bad " : "good ") + after.candidate().name()
                        + after.candidate().releaseNotes().map(notes -> " (release notes " + notes + ")").orElse(""));
            }
        }
        if (verdicts.isEmpty()) {
            return "no server could run it";
        }
        if (changes.isEmpty()) {
            return "no change: it " + (verdicts.get(0).violates() ? "violates" : "holds") + " on every server that ran it, from "
                    + verdicts.get(0).candidate().name() + " to " + verdicts.get(verdicts.size() - 1).candidate().name();
        }
        return "behaviour changes: " + String.join("; ", changes);
    }
}
