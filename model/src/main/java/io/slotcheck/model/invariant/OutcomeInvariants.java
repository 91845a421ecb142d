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

    /** Whether the failure is one of the {@code allowed} messages, in this version's text and with its SQLSTATE. */
    private static boolean documented(StepContext step, List<Message> allowed, Outcome.Failed failed) {
        return allowed.stream().anyMatch(m -> step.profile().text(m).matches(failed.message())
                && (m.sqlState() == null || m.sqlState().equals(failed.sqlState())));
    }

    private static List<String> described(StepContext step, List<Message> messages) {
        return messages.stream().map(m -> step.profile().text(m).text() + (m.sqlState() == null ? "" : " (SQLSTATE " + m.sqlState() + ")"))
                .toList();
    }

    static Invariant documentedOutcome() {
        return new Invariant("documented-outcome", Consequence.UNDOCUMENTED_OUTCOME,
                "Operations PostgreSQL forbids fail with the documented error and its SQLSTATE (syncing on a primary or from a cascading standby,"
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
                        List<String> texts = described(step, fails.anyOf());
                        if (outcome instanceof Outcome.Failed failed) {
                            findings.require(documented(step, fails.anyOf(), failed),
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
