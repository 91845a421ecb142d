package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;

/** Guarantees about what operations answer: the documented errors, per version. */
final class OutcomeInvariants {

    private OutcomeInvariants() {
    }

    static Invariant documentedOutcome() {
        return new Invariant("documented-outcome",
                "Operations PostgreSQL forbids fail with the documented error: syncing on a primary or from a cascading standby,"
                        + " syncing with a missing setting, creating a failover slot on a standby or a temporary failover slot, and"
                        + " decoding, advancing, altering or dropping a synced slot on a standby.",
                "§1 items 8, 9, 10, 19, 20 and §3; slotfuncs.c, slot.c ReplicationSlotCreate()/ReplicationSlotDrop(),"
                        + " logical.c CreateDecodingContext(), slotsync.c ValidateSlotSyncParams()",
                VersionProfile::hasFailoverSlots,
                step -> {
                    Findings findings = new Findings();
                    Outcome outcome = step.step().outcome();
                    Expected expected = Predictions.expect(step);
                    if (expected instanceof Expected.FailsWith fails && !(outcome instanceof Outcome.Unknown)) {
                        String operation = step.operation().toString();
                        List<String> texts = fails.anyOf().stream().map(m -> step.profile().text(m).text()).toList();
                        if (outcome instanceof Outcome.Failed failed) {
                            boolean documented = fails.anyOf().stream().map(step.profile()::text).anyMatch(t -> t.matches(failed.message()))
                                    && (fails.sqlState() == null || fails.sqlState().equals(failed.sqlState()));
                            findings.require(documented,
                                    () -> operation + " failed with '" + failed.message() + "' (SQLSTATE " + failed.sqlState()
                                            + ") instead of the documented " + texts,
                                    () -> List.of(step.operation().node() + ": " + failed.message()));
                        } else {
                            findings.require(false,
                                    () -> operation + " succeeded although " + step.profile().version() + " must refuse it with "
                                            + texts,
                                    () -> List.of(step.operation().node() + ": succeeded"));
                        }
                    }
                    return findings.verdict();
                });
    }
}
