package io.slotcheck.reports;

import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.operation.Operation;

import java.nio.file.Path;
import java.util.List;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PG17_5;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;

/** Sequences for the report tests: one whose synced copy runs ahead of its standby's WAL, one that conforms, and more. */
final class Sequences {

    static final Operation CREATE = new Operation.CreateLogicalSlot("primary", "s", "pgoutput", false, false, true);
    static final Operation SYNC = new Operation.SyncSlots("standby1");

    private Sequences() {
    }

    /** At step 2 the copy of {@code s} is at 0/3000250 while the standby has flushed only 0/3000200. */
    static History aheadOfTheStandby() {
        return new HistoryBuilder(PG17)
                .ok(CREATE, primary("primary", PRIMARY_PORT).flush("0/3000300").with(slot("s").confirmed("0/3000250")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                .ok(SYNC, primary("primary", PRIMARY_PORT).flush("0/3000300").with(slot("s").confirmed("0/3000250")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000250")))
                .build();
    }

    static History conforming() {
        return new HistoryBuilder(PG17)
                .ok(CREATE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000200")))
                .build();
    }

    /** On 17.5, a consumer's stale acknowledgement moves the primary's slot back: the defect 17.6 fixed. */
    static History retreatBefore17_6() {
        return new HistoryBuilder(PG17_5)
                .ok(CREATE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")))
                .ok(new Operation.Acknowledge("primary", "s", true), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")))
                .build();
    }

    /** A sync stopped by a slot of the same name that is not a synced copy: PostgreSQL's design, a field failure. */
    static History leftoverSlot() {
        return new HistoryBuilder(PG17)
                .step(SYNC, new Outcome.Failed("55000", "exiting from slot synchronization because same name slot \"s\" already"
                                + " exists on the standby"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s")))
                .build();
    }

    static SequenceRecord record(String name, History history, SequenceRecord.Reproduction reproduction, Path serverFiles) {
        return new SequenceRecord("Randomized campaigns", "default", "campaign 42 on test", name, history,
                HistoryChecker.check(history, Invariants.all()), reproduction, null, serverFiles, false);
    }

    static SequenceRecord.Reproduction reproduced() {
        return new SequenceRecord.Reproduction(true, List.of(SYNC), "./slotcheck replay results/replay-sequence-001.json");
    }
}
