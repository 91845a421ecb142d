package io.slotcheck.model.invariant;

import java.util.List;
import java.util.function.Supplier;

/** Collects the checks an invariant makes at one step and turns them into a verdict: the first violation wins. */
final class Findings {

    private int checks;
    private Verdict.Violation violation;

    /** Records one check; when it fails, {@code explanation} and {@code evidence} describe the conflict. */
    void require(boolean holds, Supplier<String> explanation, Supplier<List<String>> evidence) {
        checks++;
        if (!holds && violation == null) {
            violation = new Verdict.Violation(explanation.get(), evidence.get());
        }
    }

    Verdict verdict() {
        if (violation != null) {
            return violation;
        }
        return checks == 0 ? new Verdict.NotExercised() : new Verdict.Holds(checks);
    }
}
