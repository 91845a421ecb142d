package io.slotcheck.model.invariant;

import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A guarantee PostgreSQL makes about failover slots, checkable against a step of a history.
 *
 * @param name        stable identifier, used in reports and replay files
 * @param consequence what a user of failover slots suffers when it breaks (reports rank violations by it)
 * @param guarantee  the guarantee in one sentence
 * @param source     where PostgreSQL establishes it (spec section, source function, document)
 * @param appliesTo  the versions that make the guarantee by design (minors before its {@code fixedUpstream} included)
 * @param situations where a server that broke it would show it ({@link Situation}): what a run must reach to cover it
 * @param fixedUpstream the fix that made the guarantee hold, where older minors of a major break it: a violation on such
 *                   a minor is that known defect ({@link UpstreamFix})
 * @param check      the check of one step
 */
public record Invariant(String name, Consequence consequence, String guarantee, String source, Predicate<VersionProfile> appliesTo,
                        List<Situation> situations, Optional<UpstreamFix> fixedUpstream, Function<StepContext, Verdict> check) {

    public Invariant {
        situations = List.copyOf(situations);
    }

    /** A guarantee every version it applies to has made from its first release. */
    public Invariant(String name, Consequence consequence, String guarantee, String source, Predicate<VersionProfile> appliesTo,
                     List<Situation> situations, Function<StepContext, Verdict> check) {
        this(name, consequence, guarantee, source, appliesTo, situations, Optional.empty(), check);
    }

    /** The fix {@code profile}'s server lacks, which this invariant's guarantee needs, if it lacks one. */
    public Optional<UpstreamFix.Missing> missingFix(VersionProfile profile) {
        return fixedUpstream.flatMap(fix -> fix.missingFrom(profile.version()));
    }

    public Verdict check(StepContext step) {
        return check.apply(step);
    }

    @Override
    public String toString() {
        return name;
    }
}
