package io.slotcheck.model.invariant;

import java.util.List;

/** What checking one invariant at one step found. */
public sealed interface Verdict {

    /** The invariant was checked against {@code checks} non-trivial observations and held. */
    record Holds(int checks) implements Verdict {
    }

    /** Nothing at this step was relevant (no synced slot, no standby, ...): neither a pass nor a failure. */
    record NotExercised() implements Verdict {
    }

    /**
     * @param explanation one sentence: why the observations cannot all hold under the guarantee
     * @param evidence    the conflicting observations, each as "node: what was seen"
     */
    record Violation(String explanation, List<String> evidence) implements Verdict {
        public Violation {
            evidence = List.copyOf(evidence);
        }
    }
}
