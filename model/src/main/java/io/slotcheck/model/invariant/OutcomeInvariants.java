package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.operation.Expected;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;

/** Guarantees about what operations answer: the documented errors, per version. */
final class OutcomeInvariants {

    private OutcomeInvariants() {
    }

    private static boolean documented(StepContext step, List<Message> allowed, Outcome.Failed failed) {
        return allowed.stream().map(step.profile()::text).anyMatch(t -> t.matches(failed.message()));
    }

    static Invariant documentedOutcome() {
        return new Invariant("documented-outcome", Consequence.UNDOCUMENTED_OUTCOME,
                "Operations PostgreSQL forbids fail with the documented error (syncing on a primary or from a cascading standby,"
                        + " syncing with a missing setting, creating a failover slot on a standby or a temporary failover slot,"
                        + " decoding, advancing, altering or dropping a synced slot on a standby), and a copy that was sync-ready"
                        + " at promotion decodes on the new primary.",
                "§1 items 8, 9, 10, 13, 18, 19, 20 and §3; slotfuncs.c, slot.c ReplicationSlotCreate()/ReplicationSlotDrop(),"
                        + " logical.c CreateDecodingContext(), slotsync.c ValidateSlotSyncParams()",
                VersionProfile::hasFailoverSlots,
                step -> {
                    Findings findings = new Findings();
                    Outcome outcome = step.step().outcome();
                    boolean observedBefore = step.before(step.operation().node()).isPresent();
                    if (outcome instanceof Outcome.Unknown || !observedBefore) {
                        return findings.verdict();
                    }
                    Expected expected = step.operation().expect(step.stateBefore(), step.profile());
                    String operation = step.operation().toString();
                    if (expected instanceof Expected.FailsWith fails) {
                        List<String> texts = fails.anyOf().stream().map(m -> step.profile().text(m).text()).toList();
                        if (outcome instanceof Outcome.Failed failed) {
                            findings.require(documented(step, fails.anyOf(), failed) && (fails.sqlState() == null || fails.sqlState().equals(failed.sqlState())),
                                    () -> operation + " failed with '" + failed.message() + "' (SQLSTATE " + failed.sqlState()
                                            + ") instead of the documented " + texts,
                                    () -> List.of(step.operation().node() + ": " + failed.message()));
                        } else {
                            findings.require(false,
                                    () -> operation + " succeeded although " + step.profile().version() + " must refuse it with " + texts,
                                    () -> List.of(step.operation().node() + ": succeeded"));
                        }
                    } else if (expected instanceof Expected.Succeeds succeeds) {
                        findings.require(!(outcome instanceof Outcome.Failed failed) || documented(step, succeeds.tolerated(), failed),
                                () -> operation + " failed with '" + ((Outcome.Failed) outcome).message() + "' although " + succeeds.why(),
                                () -> List.of(step.operation().node() + ": " + ((Outcome.Failed) outcome).message()));
                    }
                    return findings.verdict();
                });
    }
}
