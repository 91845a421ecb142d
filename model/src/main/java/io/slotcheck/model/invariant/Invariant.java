package io.slotcheck.model.invariant;

import io.slotcheck.model.version.VersionProfile;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A guarantee PostgreSQL makes about failover slots, checkable against a step of a history.
 *
 * @param name        stable identifier, used in reports and replay files
 * @param consequence what a user of failover slots suffers when it breaks (reports rank violations by it)
 * @param guarantee  the guarantee in one sentence
 * @param source     where PostgreSQL establishes it (spec section, source function, document)
 * @param appliesTo  the versions that make the guarantee
 * @param check      the check of one step
 */
public record Invariant(String name, Consequence consequence, String guarantee, String source, Predicate<VersionProfile> appliesTo,
                        Function<StepContext, Verdict> check) {

    public Verdict check(StepContext step) {
        return check.apply(step);
    }

    @Override
    public String toString() {
        return name;
    }
}
