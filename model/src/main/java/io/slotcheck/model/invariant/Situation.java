package io.slotcheck.model.invariant;

import io.slotcheck.model.version.VersionProfile;

import java.util.function.Predicate;

/**
 * A situation in which a server that broke an invariant would show it, decided by the model from the state before a
 * step and the step itself. An invariant checked only where nothing could go wrong is no coverage: its situations say
 * where something could, and a run counts how often it reached each ("never reached" is not a pass).
 *
 * @param name        stable identifier, unique in the catalogue
 * @param description what happens at such a step, in one sentence
 * @param appliesTo   the versions in which it arises (within those the invariant applies to)
 * @param reachedAt   whether a step is one
 */
public record Situation(String name, String description, Predicate<VersionProfile> appliesTo, Predicate<StepContext> reachedAt) {

    /** A situation that arises in every version its invariant applies to. */
    public Situation(String name, String description, Predicate<StepContext> reachedAt) {
        this(name, description, profile -> true, reachedAt);
    }

    @Override
    public String toString() {
        return name;
    }
}
