package io.slotcheck.model.invariant;

import io.slotcheck.model.Fixtures;
import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.Fixtures.Node;
import io.slotcheck.model.Fixtures.Slot;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.hazard.KnownBehaviour;
import io.slotcheck.model.HistoryChecker.Report;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.History;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.version.UpstreamFix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PG17_5;
import static io.slotcheck.model.Fixtures.PG18;
import static io.slotcheck.model.Fixtures.PG19;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every invariant: a history that violates it (the checker names exactly that invariant and explains why) and a
 * legitimate tricky history that must pass.
 */
class InvariantCatalogueTest {

    private static final Operation SYNC = new Operation.SyncSlots("standby1");
    private static final Operation IDLE = new Operation.Checkpoint("primary");

    private static Report check(History history) {
        return HistoryChecker.check(history, Invariants.all());
    }

    private static void violatesOnly(History history, String invariant, String explanationMentions) {
        Report report = check(history);
        Set<String> violated = report.findings().stream().map(f -> f.invariant().name()).collect(Collectors.toSet());
        assertEquals(Set.of(invariant), violated, "violations: " + report.findings());
        String explanation = report.findings().get(0).violation().explanation();
        assertTrue(explanation.contains(explanationMentions), explanation);
        assertTrue(!report.findings().get(0).violation().evidence().isEmpty(), "evidence is shown");
    }

    private static void holds(History history, String invariantExercised) {
        Report report = check(history);
        assertTrue(report.holds(), "violations: " + report.findings());
        assertTrue(report.exercised().get(invariantExercised) > 0, invariantExercised + " was exercised: " + report.exercised());
    }

    // ---- synced-confirmed-flush-within-standby-flush

    @Test
    void syncedSlotAheadOfStandbyFlushIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).flush("0/3000300").with(slot("s").confirmed("0/3000250")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200")
                                        .with(slot("s").synced().confirmed("0/3000250")))
                        .build(),
                "synced-confirmed-flush-within-standby-flush", "beyond the 0/3000200 of WAL the standby has flushed");
    }

    @Test
    void syncedSlotExactlyAtStandbyFlushHolds() {
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000200")))
                        .build(),
                "synced-confirmed-flush-within-standby-flush");
    }

    @Test
    void aRestartedStandbyReplayingAgainHoldsTheCopyItSyncedBefore() {
        Fixtures.Node primary = primary("primary", PRIMARY_PORT).flush("0/3000300").with(slot("s").confirmed("0/3000250"));
        History restarted = new HistoryBuilder(PG18)
                .ok(SYNC, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000300").with(slot("s").synced().confirmed("0/3000250")))
                .ok(new Operation.StopNode("standby1", false), primary)
                .ok(new Operation.StartNode("standby1"), primary,
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).notStreaming().flush("0/3000100").with(slot("s").synced().confirmed("0/3000250")))
                .build();
        holds(restarted, "synced-confirmed-flush-within-standby-flush");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(SYNC, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000180")))
                        .ok(SYNC, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).notStreaming().flush("0/3000100")
                                .with(slot("s").synced().confirmed("0/3000250")))
                        .build(),
                "synced-confirmed-flush-within-standby-flush", "beyond the 0/3000200 of WAL the standby has flushed");
    }

    // ---- synced-copies-only-of-persistent-failover-slots

    @Test
    void copyOfADroppedSlotSurvivingASyncCycleIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(new Operation.DropSlot("primary", "gone"), primary("primary", PRIMARY_PORT),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("gone").synced()))
                        .ok(SYNC, primary("primary", PRIMARY_PORT),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("gone").synced()))
                        .build(),
                "synced-copies-only-of-persistent-failover-slots", "keeps synced slot gone after a successful sync cycle");
    }

    @Test
    void copyOfANonFailoverSlotIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("plain").noFailover()),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("plain").synced()))
                        .build(),
                "synced-copies-only-of-persistent-failover-slots", "has no persistent failover slot of that name");
    }

    @Test
    void copyLingersUntilTheNextSyncCycleAfterADrop() {
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("gone")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("gone").synced()))
                        .ok(new Operation.DropSlot("primary", "gone"), primary("primary", PRIMARY_PORT),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("gone").synced()))
                        .ok(SYNC, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                        .build(),
                "synced-copies-only-of-persistent-failover-slots");
    }

    // ---- synced-positions-never-retreat

    @Test
    void syncedSlotMovingBackwardsIsAViolation() {
        // the primary's restart_lsn is behind the copy's, so the cycle may not update it: only the retreat is wrong
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/2FFFF00").confirmed("0/3000200")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000180")))
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/2FFFF00").confirmed("0/3000200")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100")))
                        .build(),
                "synced-positions-never-retreat", "went back from confirmed_flush_lsn 0/3000180 to 0/3000100");
    }

    @Test
    void copyDroppedAndRecreatedBySyncMayStartOver() {
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000180")))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")),
                                workerStandby().with(slot("s").synced().temporary().confirmed("0/3000100")
                                                .catalogXmin(740))
                                        .log("2026-11-22 03:00:01 UTC [77] slotsync worker: LOG:  dropped replication slot \"s\" of database with OID 5"))
                        .build(),
                "synced-confirmed-flush-within-standby-flush");
    }

    @Test
    void aTemporaryCopyMayStartOverWithANewSynchronizerButNotWithTheSameOne() {
        // the primary's catalog_xmin is behind both copies': the copy stays temporary (§1 item 6)
        Node primary = primary("primary", PRIMARY_PORT).with(slot("s").catalogXmin(756));
        holds(new HistoryBuilder(PG18)
                        .ok(IDLE, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().heldBy(101).catalogXmin(763)))
                        .ok(new Operation.SetSetting("standby1", "hot_standby_feedback", "on"), primary,
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().heldBy(202).catalogXmin(760)))
                        .build(),
                "synced-slots-are-failover-logical-slots");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().heldBy(101).catalogXmin(763)))
                        .ok(new Operation.SetSetting("standby1", "hot_standby_feedback", "on"), primary,
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().heldBy(101).catalogXmin(760)))
                        .build(),
                "synced-positions-never-retreat", "went back from catalog_xmin 763 to 760");
    }

    // ---- primary-confirmed-flush-never-retreats

    @Test
    void primarySlotRetreatingOnAnOlderAcknowledgementIsANewDefectSince17_6() {
        History history = staleAcknowledgementMovingTheSlotBack(PG17);
        violatesOnly(history, "primary-confirmed-flush-never-retreats", "went back from confirmed_flush_lsn 0/3000200 to 0/3000100");
        assertTrue(check(history).hasNewDefect(), "17.11 has the fix, so this is a new defect");
    }

    @Test
    void primarySlotRetreatingBefore17_6IsTheDefectFixedUpstreamIn17_6() {
        Report report = check(staleAcknowledgementMovingTheSlotBack(PG17_5));
        assertEquals(List.of("primary-confirmed-flush-never-retreats"), report.findings().stream().map(f -> f.invariant().name()).toList());
        UpstreamFix.Missing missing = report.findings().get(0).fixedUpstream().orElseThrow();
        assertEquals(new UpstreamFix.Release(17, 6, "7318f241d2"), missing.release());
        assertEquals("fixed upstream in 17.6 (commit 7318f241d2, \"Don't retreat slot's confirmed_flush LSN\")", missing.describe());
        assertFalse(report.hasNewDefect(), "17.5 lacks the fix: a known defect, not a new one");
        assertFalse(report.notApplying().contains("primary-confirmed-flush-never-retreats"), "17.5 is still checked against it");
    }

    private static History staleAcknowledgementMovingTheSlotBack(String serverVersion) {
        return new HistoryBuilder(serverVersion)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")))
                .ok(new Operation.Acknowledge("primary", "s", true),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")))
                .build();
    }

    @Test
    void primarySlotMayRetreatAfterACrash() {
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200")))
                        .ok(new Operation.CrashNode("primary"))
                        .ok(new Operation.StartNode("primary"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000150")))
                        .build(),
                "primary-confirmed-flush-never-retreats");
    }

    // ---- no-temporary-synced-slot-out-of-recovery

    @Test
    void temporarySyncedSlotAfterPromotionIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("s").synced().temporary()))
                        .build(),
                "no-temporary-synced-slot-out-of-recovery", "still has the temporary synced slot s");
    }

    @Test
    void temporaryThenPersistentCopyHolds() {
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced().temporary()))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("s").synced().inactiveSince("2026-11-22T03:00:05Z")))
                        .build(),
                "no-temporary-synced-slot-out-of-recovery");
    }

    // ---- synced-copy-not-ahead-of-primary

    @Test
    void copyAheadOfThePrimarySlotIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000180")))
                        .build(),
                "synced-copy-not-ahead-of-primary", "ahead of 0/3000100 on primary");
    }

    @Test
    void aPromotedStandbyThatRejoinedKeepsTheSlotItsOwnSubscriberMovedOn() {
        Report report = check(new HistoryBuilder(PG18)
                .ok(new Operation.Promote("standby1"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                        primary("standby1", STANDBY_PORT).flush("0/3001000").with(slot("s").synced().confirmed("0/3000900")))
                .ok(new Operation.Rejoin("standby1", "primary", "standby1"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3001000").with(slot("s").synced().confirmed("0/3000900")))
                .build());
        assertTrue(report.holds(), "the copy is where the node's own subscriber left it: " + report.findings());
        assertEquals(0, report.exercised().get("synced-copy-not-ahead-of-primary"));
    }

    @Test
    void aRejoinedStandbyWhoseCopyMovesAheadOfThePrimaryIsAViolation() {
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(new Operation.Promote("standby1"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                                primary("standby1", STANDBY_PORT).flush("0/3001000").with(slot("s").synced().confirmed("0/3000900")))
                        .ok(new Operation.Rejoin("standby1", "primary", "standby1"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3001000").with(slot("s").synced().confirmed("0/3000A00")))
                        .build(),
                "synced-copy-not-ahead-of-primary", "ahead of 0/3000100 on primary");
    }

    @Test
    void copyMayBeAheadOfAnEarlierReadingOfThePrimary() {
        Report report = check(new HistoryBuilder(PG18)
                .ok(SYNC, primary("primary", PRIMARY_PORT).readAfter(-20).with(slot("s").confirmed("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000180")))
                .build());
        assertTrue(report.holds(), "the primary's slot moved on after it was read: " + report.findings());
        assertEquals(0, report.exercised().get("synced-copy-not-ahead-of-primary"));
    }

    @Test
    void fastForwardedCopyMayHaveItsRestartLsnAndXminAheadOfThePrimary() {
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/3000000").catalogXmin(750).confirmed("0/3000180")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT)
                                        .with(slot("s").synced().restart("0/3000150").catalogXmin(755).confirmed("0/3000180")))
                        .build(),
                "synced-copy-not-ahead-of-primary");
    }

    @Test
    void copyMayBeAheadOfAPrimaryThatCrashed() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(new Operation.CrashNode("primary"))
                .ok(new Operation.StartNode("primary"), primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000180")))
                .build());
        assertTrue(report.holds(), report.findings().toString());
    }

    // ---- synced-slots-are-failover-logical-slots

    @Test
    void syncedPhysicalSlotIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("p").physical().synced()))
                        .build(),
                "synced-slots-are-failover-logical-slots", "is synced but is physical");
    }

    @Test
    void aCopyWithoutFailoverOnAStandbyIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().noFailover()))
                        .build(),
                "synced-slots-are-failover-logical-slots", "is synced but is logical with failover = false");
    }

    @Test
    void aPromotedStandbysSyncedSlotMayHaveItsFailoverTurnedOffAndKeepItWhenItRejoins() {
        holds(new HistoryBuilder(PG17)
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("s").synced()))
                        .ok(new Operation.AlterSubscriptionFailover("subscriber", "s", false),
                                primary("standby1", STANDBY_PORT).with(slot("s").synced().noFailover()))
                        .ok(new Operation.Rejoin("standby1", "primary", "standby1"),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().noFailover()))
                        .build(),
                "synced-slots-are-failover-logical-slots");
    }

    // ---- conflicting-follows-invalidation-reason

    @Test
    void rowsRemovedWithoutConflictingIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").noFailover().invalidated("rows_removed", false)))
                        .build(),
                "conflicting-follows-invalidation-reason", "conflicting = false with invalidation_reason rows_removed");
    }

    @Test
    void copiedWalRemovedInvalidationIsNotAConflict() {
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").invalidated("wal_removed", false)),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("wal_removed", false)))
                        .build(),
                "conflicting-follows-invalidation-reason");
    }

    // ---- two-phase-at-within-confirmed-flush

    @Test
    void twoPhaseAtAheadOfConfirmedFlushIsAViolationFrom18() {
        History history = new HistoryBuilder(PG18)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").twoPhaseAt("0/3000100").confirmed("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().twoPhaseAt("0/3000190").confirmed("0/3000100")))
                .build();
        violatesOnly(history, "two-phase-at-within-confirmed-flush", "has two_phase_at 0/3000190");
    }

    @Test
    void twoPhaseAtIsNotCheckedOn17() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().twoPhaseAt("0/3000190").confirmed("0/3000100")))
                .build());
        assertTrue(report.notApplying().contains("two-phase-at-within-confirmed-flush"), report.notApplying().toString());
    }

    // ---- no-rows-removed-while-feedback-holds

    @Test
    void rowsRemovedDespiteFeedbackIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(new Operation.VacuumCatalogs("primary"), primary("primary", PRIMARY_PORT).with(slot("s")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("rows_removed", true)))
                        .build(),
                "no-rows-removed-while-feedback-holds", "although hot_standby_feedback was on");
    }

    @Test
    void rowsRemovedAfterThePrimaryCrashedAreNotJudged() {
        Node copyRemoved = standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("rows_removed", true));
        Report report = check(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(new Operation.CrashNode("primary"), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(new Operation.StartNode("primary"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(new Operation.VacuumCatalogs("primary"), primary("primary", PRIMARY_PORT).with(slot("s")), copyRemoved)
                .build());
        assertTrue(report.holds(), "the crashed primary lost the horizon the feedback had set: " + report.findings());
    }

    @Test
    void rowsRemovedAfterFeedbackWasTurnedOffIsExpected() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(new Operation.SetSetting("standby1", "hot_standby_feedback", "off"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("hot_standby_feedback", "off").with(slot("s").synced()))
                .ok(new Operation.VacuumCatalogs("primary"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("rows_removed", true)))
                .build());
        assertTrue(report.holds(), report.findings().toString());
    }

    // ---- documented-outcome: the barrier's scope (§1 item 14)

    @Test
    void aSlotWithoutFailoverHeldByTheBarrierIsAViolation() {
        Node barrier = primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1").with(slot("s2").noFailover());
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, barrier)
                        .step(new Operation.ConsumeChanges("primary", "s2", null, false),
                                new Outcome.Failed("57014", "canceling statement due to user request"),
                                primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1").with(slot("s2").noFailover()))
                        .build(),
                "documented-outcome", "holds back failover slots only");
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, barrier)
                        .ok(new Operation.ConsumeChanges("primary", "s2", null, false),
                                primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1").with(slot("s2").noFailover()))
                        .build(),
                "documented-outcome");
    }

    // ---- dropped-database-takes-its-slots

    private static final Operation DROP_DB2 = new Operation.DropDatabase("primary", "db2");

    /** standby1 streaming, flushed and replayed up to {@code lsn}, its log read, with {@code slots}. */
    private static Node replayedTo(String lsn, Slot... slots) {
        return standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush(lsn).log(STARTED).with(slots);
    }

    @Test
    void aStandbyThatReplayedTheDropAndKeepsACopyOfTheDatabaseIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").in("db2", 16384)), replayedTo("0/3000200", slot("s").synced().in("db2", 16384)))
                        .ok(DROP_DB2, primary("primary", PRIMARY_PORT).flush("0/3000500"), replayedTo("0/3000200", slot("s").synced().in("db2", 16384)))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000500"), replayedTo("0/3000600", slot("s").synced().in("db2", 16384)))
                        .build(),
                "dropped-database-takes-its-slots", "standby1 replayed DROP DATABASE db2 (up to 0/3000600, past 0/3000500) yet keeps its slots s");
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").in("db2", 16384)))
                        .ok(DROP_DB2, primary("primary", PRIMARY_PORT).flush("0/3000500").with(slot("s").in("db2", 16384)))
                        .build(),
                "dropped-database-takes-its-slots", "DROP DATABASE db2 on primary left its slots s");
    }

    @Test
    void aCopyGoesWithItsDatabaseOnceReplayedAndNoSynchronizerLogsIt() {
        Function<Operation, History> copyGone = operation -> new HistoryBuilder(PG18)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").in("db2", 16384)), replayedTo("0/3000200", slot("s").synced().in("db2", 16384)))
                .ok(operation, primary("primary", PRIMARY_PORT).flush("0/3000500"), replayedTo("0/3000200", slot("s").synced().in("db2", 16384)))
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000500"), replayedTo("0/3000600"))
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000500"), replayedTo("0/3000600"))
                .build();
        holds(copyGone.apply(DROP_DB2), "dropped-database-takes-its-slots");
        // the same copy gone otherwise is the synchronizer's doing, which it logs
        violatesOnly(copyGone.apply(new Operation.DropSlot("primary", "s")), "sync-logs-copies-made-ready-and-dropped",
                "the copy of s on standby1 was dropped between two observations");
    }

    // ---- copied-slot-never-fails-over

    private static final Operation COPY = new Operation.CopyLogicalSlot("primary", "s1", "s2");

    @Test
    void aCopyWithItsSourcesFailoverIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s1")))
                        .ok(COPY, primary("primary", PRIMARY_PORT).with(slot("s1"), slot("s2")))
                        .build(),
                "copied-slot-never-fails-over", "the copy s2 of s1 on primary was made with failover");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s1").plugin("pgoutput").twoPhase()))
                        .ok(COPY, primary("primary", PRIMARY_PORT).with(slot("s1").plugin("pgoutput").twoPhase(), slot("s2").noFailover()))
                        .build(),
                "copied-slot-never-fails-over", "decodes with test_decoding, not its source s1's pgoutput");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s1").twoPhase()))
                        .ok(COPY, primary("primary", PRIMARY_PORT).with(slot("s1").twoPhase(), slot("s2").noFailover().twoPhase()))
                        .build(),
                "copied-slot-never-fails-over", "was made with two_phase");
    }

    @Test
    void aCopyOfASyncedTwoPhaseCopyIsTheStandbysOwnSlotWithoutTwoPhase() {
        Node standby = standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s1").synced().plugin("pgoutput").twoPhase());
        holds(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s1").plugin("pgoutput").twoPhase()), standby)
                        .ok(new Operation.CopyLogicalSlot("standby1", "s1", "s2"), primary("primary", PRIMARY_PORT).with(slot("s1").plugin("pgoutput").twoPhase()),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s1").synced().plugin("pgoutput").twoPhase(),
                                        slot("s2").noFailover().plugin("pgoutput")))
                        .build(),
                "copied-slot-never-fails-over");
    }

    // ---- physical-slot-holds-the-copies-catalog-xmin

    /** standby1 streaming with feedback every second and the copy of s at catalog_xmin 744, observed {@code millis} into the run. */
    private static Node feedingStandby(long millis, Slot copy) {
        return standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("wal_receiver_status_interval", "1").with(copy).readAfter(millis);
    }

    /** The primary with {@code original}, observed {@code millis} into the run, its physical slot standby1 holding {@code heldCatalogXmin}. */
    private static Node primaryHolding(long millis, Long heldCatalogXmin, Slot original) {
        Slot physical = slot("standby1").physical();
        return primary("primary", PRIMARY_PORT).with(original, heldCatalogXmin == null ? physical : physical.catalogXmin(heldCatalogXmin)).readAfter(millis);
    }

    private static History copyStandingStill(Long heldCatalogXmin, Slot original, Slot copy, Operation middle) {
        return new HistoryBuilder(PG17)
                .ok(SYNC, primaryHolding(0, 700L, original), feedingStandby(0, copy))
                .ok(middle, primaryHolding(2000, 700L, original), feedingStandby(2000, copy))
                .ok(IDLE, primaryHolding(4000, heldCatalogXmin, original), feedingStandby(4000, copy))
                .build();
    }

    @Test
    void physicalSlotWithoutTheCopysCatalogXminIsAViolation() {
        violatesOnly(copyStandingStill(null, slot("s"), slot("s").synced().catalogXmin(744), IDLE),
                "physical-slot-holds-the-copies-catalog-xmin", "holds catalog_xmin null, newer than the 744 of the copy s");
        violatesOnly(copyStandingStill(745L, slot("s"), slot("s").synced().catalogXmin(744), IDLE),
                "physical-slot-holds-the-copies-catalog-xmin", "holds catalog_xmin 745");
    }

    @Test
    void physicalSlotNeedsTwoStatusIntervalsAndMayHoldOlder() {
        holds(copyStandingStill(700L, slot("s"), slot("s").synced().catalogXmin(744), IDLE), "physical-slot-holds-the-copies-catalog-xmin");
        Report tooSoon = check(new HistoryBuilder(PG17)
                .ok(SYNC, primaryHolding(0, null, slot("s")), feedingStandby(0, slot("s").synced().catalogXmin(744)))
                .ok(IDLE, primaryHolding(2500, null, slot("s")), feedingStandby(2500, slot("s").synced().catalogXmin(744)))
                .build());
        assertTrue(tooSoon.holds(), "2.5 s is less than two 1 s intervals and a second: " + tooSoon.findings());
    }

    @Test
    void anInvalidatedCopyOrAFaultInEffectIsNotReported() {
        // slot.c ReplicationSlotsComputeRequiredXmin() skips invalidated slots, so the standby stops reporting the copy's catalog_xmin
        Report invalidated = check(copyStandingStill(null, slot("s").invalidated("wal_removed", false),
                slot("s").synced().catalogXmin(744).invalidated("wal_removed", false), IDLE));
        assertTrue(invalidated.holds(), invalidated.findings().toString());
        Report cutOff = check(copyStandingStill(null, slot("s"), slot("s").synced().catalogXmin(744), new Operation.DelayLink("standby1", 300)));
        assertTrue(cutOff.holds(), "a slowed link may hold the feedback back: " + cutOff.findings());
    }

    // ---- documented-outcome

    @Test
    void syncOnAPrimaryThatSucceedsIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT))
                        .ok(new Operation.SyncSlots("primary"), primary("primary", PRIMARY_PORT))
                        .build(),
                "documented-outcome", "must refuse it with [replication slots can only be synchronized to a standby server (SQLSTATE 55000)]");
    }

    @Test
    void syncWithoutDbnameMustGiveTheDocumentedErrorAndSqlstate() {
        HistoryBuilder base = new HistoryBuilder(PG17).ok(IDLE, primary("primary", PRIMARY_PORT),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("primary_conninfo", "host=127.0.0.1 port=5432 user=postgres"));
        String documented = "replication slot synchronization requires \"dbname\" to be specified in \"primary_conninfo\"";
        Report right = check(copy(base).step(SYNC, new Outcome.Failed("22023", documented), primary("primary", PRIMARY_PORT)).build());
        assertTrue(right.holds(), right.findings().toString());
        assertTrue(right.exercised().get("documented-outcome") > 0);

        violatesOnly(copy(base).step(SYNC, new Outcome.Failed("XX000", documented), primary("primary", PRIMARY_PORT)).build(),
                "documented-outcome", "(SQLSTATE XX000)");
    }

    @Test
    void droppingASyncedSlotOnAStandbyMayMeetEitherDocumentedError() {
        HistoryBuilder base = new HistoryBuilder(PG17).ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()));
        Operation drop = new Operation.DropSlot("standby1", "s");
        for (Outcome.Failed refusal : List.of(new Outcome.Failed("55000", "cannot drop replication slot \"s\""),
                new Outcome.Failed("55006", "replication slot \"s\" is active for PID 4242"))) {
            Report report = check(copy(base).step(drop, refusal).build());
            assertTrue(report.holds(), refusal + ": " + report.findings());
        }
        violatesOnly(copy(base).step(drop, new Outcome.Failed("55000", "replication slot \"s\" is active for PID 4242")).build(),
                "documented-outcome", "(SQLSTATE 55000) instead of the documented");
        violatesOnly(copy(base).step(drop, Outcome.ok()).build(), "documented-outcome", "succeeded although PostgreSQL 17.11 must refuse it");
    }

    @Test
    void cascadingStandbyCannotSync() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT),
                                standby("cascade1", 5434, STANDBY_PORT))
                        .step(new Operation.SyncSlots("cascade1"), new Outcome.Failed("XX000", "could not connect"))
                        .build(),
                "documented-outcome", "instead of the documented [cannot synchronize replication slots from a standby server (SQLSTATE 0A000)]");
    }

    @Test
    void failoverSlotsCannotBeCreatedOnAStandbyNorBeTemporary() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                        .ok(new Operation.CreateLogicalSlot("standby1", "x", "test_decoding", false, false, true))
                        .build(),
                "documented-outcome", "cannot enable failover for a replication slot created on the standby");
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT))
                        .ok(new Operation.CreateLogicalSlot("primary", "x", "test_decoding", true, false, true))
                        .build(),
                "documented-outcome", "cannot enable failover for a temporary replication slot");
    }

    // ---- invalidation-propagates

    @Test
    void copyOfAnInvalidatedSlotThatStaysValidIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").invalidated("wal_removed", false)),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                        .build(),
                "invalidation-propagates", "but the primary's slot was invalidated for wal_removed");
    }

    @Test
    void copyInvalidatedOnTheStandbyAloneMustBeRecreatedByTheNextCycle() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("wal_removed", false)))
                        .build(),
                "invalidation-propagates", "should have been dropped and re-created");
        holds(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").invalidated("idle_timeout", false)),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("idle_timeout", false)))
                        .build(),
                "invalidation-propagates");
    }

    // ---- persistent-copy-catches-up-in-a-cycle

    @Test
    void copyLeftBehindAnIdleSlotByACycleIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180").restart("0/3000100")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100").restart("0/3000100")))
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180").restart("0/3000100")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100").restart("0/3000100")))
                        .build(),
                "persistent-copy-catches-up-in-a-cycle", "is at 0/3000100, not at 0/3000180");
    }

    @Test
    void copyMayStayBehindWhileItsFastForwardedRestartLsnIsAheadOfThePrimary() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180").restart("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100").restart("0/3000150")))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180").restart("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100").restart("0/3000150")))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("persistent-copy-catches-up-in-a-cycle"), "the update was not allowed: nothing to judge");
    }

    // ---- worker-converges-when-quiet

    private static final Operation CONVERGE = new Operation.AwaitConvergence("standby1", 30);

    private static Fixtures.Node workerStandby() {
        return standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on");
    }

    @Test
    void copyTheWorkerLeftBehindAnIdleSlotIsAViolation() {
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180").restart("0/3000100")),
                                workerStandby().with(slot("s").synced().confirmed("0/3000100").restart("0/3000100")))
                        .build(),
                "worker-converges-when-quiet", "the copy of s on standby1 is at confirmed_flush_lsn 0/3000100, the idle slot at 0/3000180");
    }

    @Test
    void failoverSlotWithoutACopyOnAQuietClusterIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby())
                        .build(),
                "worker-converges-when-quiet", "s (confirmed_flush_lsn 0/3000100) has no copy on standby1");
    }

    @Test
    void tableSynchronizationSlotsAreNoTargetOfConvergence() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("pg_16392_sync_16384_7710942615078364689")), workerStandby())
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("worker-converges-when-quiet"), "the tablesync worker drops and re-creates it on its own");
    }

    @Test
    void copyMayStayTemporaryWithoutAConsistentSnapshot() {
        holds(new HistoryBuilder(PG17)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000180")),
                                workerStandby().with(slot("s").synced().temporary().confirmed("0/3000100")))
                        .build(),
                "worker-converges-when-quiet");
    }

    @Test
    void nothingIsJudgedWhileACopyIsAheadOfTheSlotThePrimarysCrashSentBack() {
        Fixtures.Node recovered = primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100"), slot("t"));
        Report report = check(new HistoryBuilder(PG17)
                .ok(new Operation.CrashNode("primary"), workerStandby().with(slot("s").synced().confirmed("0/3000180")))
                .ok(new Operation.StartNode("primary"), recovered, workerStandby().with(slot("s").synced().confirmed("0/3000180")))
                .ok(CONVERGE, recovered, workerStandby().with(slot("s").synced().confirmed("0/3000180")))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("worker-converges-when-quiet"), "every cycle ends at the copy ahead: t gets no copy either");
    }

    @Test
    void nothingIsJudgedOfAStandbyOnAnotherTimelineOrWhenTheWaitCouldNotBeMade() {
        Fixtures.Node primary = primary("primary", PRIMARY_PORT).with(slot("s"));
        Report diverged = check(new HistoryBuilder(PG18).ok(CONVERGE, primary.timeline(2), workerStandby()).build());
        Report failed = check(new HistoryBuilder(PG18).step(CONVERGE, new Outcome.Failed(null, "standby1 cannot replay its upstream's timeline"),
                primary, workerStandby()).build());
        for (Report report : List.of(diverged, failed)) {
            assertTrue(report.holds(), report.findings().toString());
            assertEquals(0, report.exercised().get("worker-converges-when-quiet"));
        }
    }

    @Test
    void nothingIsJudgedWhereTheWorkerIsNotToCompleteCycles() {
        Fixtures.Node idlePrimary = primary("primary", PRIMARY_PORT).with(slot("s"));
        for (Fixtures.Node standby : List.of(standby("standby1", STANDBY_PORT, PRIMARY_PORT),
                workerStandby().setting("hot_standby_feedback", "off"),
                workerStandby().with(slot("s").noFailover()),
                workerStandby().setting("primary_slot_name", "elsewhere"))) {
            Report report = check(new HistoryBuilder(PG17).ok(CONVERGE, idlePrimary, standby).build());
            assertTrue(report.holds(), report.findings().toString());
            assertEquals(0, report.exercised().get("worker-converges-when-quiet"), "worker off, no feedback, leftover slot, no physical slot");
        }
    }

    // ---- each-transaction-applied-once, caught-up-subscriber-matches-its-publisher

    private static final int SUBSCRIBER_PORT = 5434;
    private static final Operation CATCH_UP = new Operation.AwaitSubscriberCatchUp("subscriber", 30);

    private static Fixtures.Node subscriberOf(int publisherPort, long... transactions) {
        return primary("subscriber", SUBSCRIBER_PORT).subscription("sub1", publisherPort).transactions(transactions);
    }

    @Test
    void aTransactionAppliedTwiceIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).transactions(1, 2), subscriberOf(PRIMARY_PORT, 1, 2, 2))
                        .build(),
                "each-transaction-applied-once", "subscriber applied transactions [2] more than once");
    }

    @Test
    void aCaughtUpSubscriberLackingATransactionIsAGap() {
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(CATCH_UP, primary("primary", PRIMARY_PORT).transactions(1, 2, 3), subscriberOf(PRIMARY_PORT, 1, 3))
                        .build(),
                "caught-up-subscriber-matches-its-publisher", "lacks its transactions [2]: changes lost on the way");
    }

    @Test
    void aSubscriberWithEveryTransactionOnceHolds() {
        holds(new HistoryBuilder(PG17)
                        .ok(CATCH_UP, primary("primary", PRIMARY_PORT).transactions(1, 2, 3), subscriberOf(PRIMARY_PORT, 1, 2, 3))
                        .build(),
                "caught-up-subscriber-matches-its-publisher");
    }

    // ---- subscription-failover-reaches-its-slot

    @Test
    void aFailoverSubscriptionWhoseSlotIsNoFailoverSlotIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(new Operation.CreateSubscription("subscriber", "sub1", "primary", true, false),
                                primary("primary", PRIMARY_PORT).with(slot("sub1").noFailover()), subscriberOf(PRIMARY_PORT))
                        .build(),
                "subscription-failover-reaches-its-slot", "asked for failover = true but its slot sub1 on primary has failover = false");
    }

    @Test
    void turningFailoverOffReachesTheSlotOfTheSubscriptionsPublisher() {
        Operation off = new Operation.AlterSubscriptionFailover("subscriber", "sub1", false);
        holds(new HistoryBuilder(PG18)
                        .ok(off, primary("primary", PRIMARY_PORT).with(slot("sub1").noFailover()), subscriberOf(PRIMARY_PORT))
                        .build(),
                "subscription-failover-reaches-its-slot");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(off, primary("primary", PRIMARY_PORT).with(slot("sub1")), subscriberOf(PRIMARY_PORT))
                        .build(),
                "subscription-failover-reaches-its-slot", "asked for failover = false");
    }

    /** The old primary held the subscription's slot with the barrier naming standby1's slot; promoted, standby1 lacks 3 and wrote 4. */
    private static History subscriberAheadOfThePromotedStandby(String barrier) {
        Fixtures.Node promoted = primary("standby1", STANDBY_PORT).setting("primary_slot_name", "standby1").with(slot("sub1").synced())
                .transactions(1, 2, 4);
        return new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", barrier).with(slot("sub1"))
                        .transactions(1, 2, 3), subscriberOf(PRIMARY_PORT, 1, 2, 3))
                .ok(new Operation.RepointSubscription("subscriber", "sub1", "standby1"), promoted, subscriberOf(STANDBY_PORT, 1, 2, 3))
                // 4 committed on standby1 below the subscriber's origin position: skipped
                .ok(CATCH_UP, promoted, subscriberOf(STANDBY_PORT, 1, 2, 3))
                .build();
    }

    @Test
    void aSubscriberAheadOfThePromotedStandbyDespiteTheBarrierIsAViolation() {
        violatesOnly(subscriberAheadOfThePromotedStandby("standby1"), "caught-up-subscriber-matches-its-publisher",
                "subscriber caught up with standby1 but lacks its transactions [4]: changes lost on the way");
    }

    @Test
    void aSubscriberAheadOfThePromotedStandbyWithoutTheBarrierIsTheKnownBehaviour() {
        History history = subscriberAheadOfThePromotedStandby("");
        Report report = check(history);
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("caught-up-subscriber-matches-its-publisher"), "ahead without the barrier: not judged");
        assertEquals(List.of(new KnownBehaviour.Sighting(3,
                KnownBehaviour.SUBSCRIBER_AHEAD_OF_NEW_PRIMARY)), KnownBehaviour.sightings(history));
    }

    // ---- standby-barrier-holds-back-failover-consumers

    @Test
    void consumerConfirmingWalTheListedStandbyLacksIsAViolation() {
        Operation consume = new Operation.ConsumeChanges("primary", "s", null, false);
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1")
                                .with(slot("s").confirmed("0/3000000"), slot("standby1").physical().restart("0/3000100")))
                        .ok(consume, primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1")
                                .with(slot("s").confirmed("0/3000200"), slot("standby1").physical().restart("0/3000100")))
                        .build(),
                "standby-barrier-holds-back-failover-consumers", "has flushed only up to 0/3000100");
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1")
                                .with(slot("s").confirmed("0/3000000"), slot("standby1").physical().restart("0/3000100")))
                        .ok(consume, primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1")
                                .with(slot("s").confirmed("0/3000100"), slot("standby1").physical().restart("0/3000100")))
                        .build(),
                "standby-barrier-holds-back-failover-consumers");
    }

    @Test
    void withoutTheBarrierAConsumerMayRunAheadOfTheStandby() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000000"), slot("standby1").physical().restart("0/3000100")))
                .ok(new Operation.ConsumeChanges("primary", "s", null, false),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000200"), slot("standby1").physical().restart("0/3000100")))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("standby-barrier-holds-back-failover-consumers"));
    }

    // ---- synced-copy-times-out-only-with-its-slot

    /** standby1 with a 1 s idle_replication_slot_timeout and {@code copy}, idle for a minute when observed. */
    private static Node timingOut(Slot copy) {
        return standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("idle_replication_slot_timeout", "1")
                .with(copy.synced().inactiveSince("2026-11-22T02:59:00Z"));
    }

    @Test
    void aCopyTimedOutInRecoveryWhileItsSlotHasNotIsAViolation() {
        Operation restartpoint = new Operation.Checkpoint("standby1");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s")))
                        .ok(restartpoint, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s").invalidated("idle_timeout", false)))
                        .build(),
                "synced-copy-times-out-only-with-its-slot", "was invalidated idle_timeout in recovery");
        // idle for a minute past a 1 s timeout, the copy stays valid at the restartpoint: the check is not trivial
        holds(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s")))
                        .ok(restartpoint, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s")))
                        .build(),
                "synced-copy-times-out-only-with-its-slot");
    }

    @Test
    void aCopyTimesOutWithItsSlotOrOnceItsStandbyIsPromoted() {
        // the primary's slot timed out, and a sync copied that: legal at any step
        holds(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").invalidated("idle_timeout", false)), timingOut(slot("s")))
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").invalidated("idle_timeout", false)),
                                timingOut(slot("s").invalidated("idle_timeout", false)))
                        .build(),
                "synced-copy-times-out-only-with-its-slot");
        // promoted, its synced slots are ordinary and may time out
        Report promoted = check(new HistoryBuilder(PG18)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s")))
                .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("s").synced()))
                .ok(new Operation.Checkpoint("standby1"), primary("standby1", STANDBY_PORT).setting("idle_replication_slot_timeout", "1")
                        .with(slot("s").synced().invalidated("idle_timeout", false)))
                .build());
        assertEquals(0, promoted.exercised().get("synced-copy-times-out-only-with-its-slot"), promoted.findings().toString());
        // 17 has no idle timeout: not judged
        assertFalse(check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), timingOut(slot("s")))
                .build()).exercised().containsKey("synced-copy-times-out-only-with-its-slot"));
    }

    // ---- skip-reason-says-why-a-copy-waits

    /** A 19 sync of s, its slot on the primary at {@code remote} before and after, the copy after it {@code copy}. */
    private static History syncOn19(Slot remote, Slot remoteAgain, Slot copy) {
        return new HistoryBuilder(PG19)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(remote), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(remoteAgain), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(copy.synced()))
                .build();
    }

    @Test
    void aCopyBroughtToItsSlotShowsNoSkipReason() {
        holds(syncOn19(slot("s"), slot("s"), slot("s")), "skip-reason-says-why-a-copy-waits");
        violatesOnly(syncOn19(slot("s"), slot("s"), slot("s").skipped("wal_not_flushed")), "skip-reason-says-why-a-copy-waits",
                "shows slotsync_skip_reason wal_not_flushed, but nothing stopped the cycle");
    }

    @Test
    void aCopyLeftBehindShowsWhy() {
        // the slot consumed past what the standby flushed (0/3000200): the copy stays where it was
        Slot ahead = slot("s").confirmed("0/3000300");
        holds(syncOn19(ahead, slot("s").confirmed("0/3000300"), slot("s").confirmed("0/3000080").skipped("wal_not_flushed")),
                "skip-reason-says-why-a-copy-waits");
        violatesOnly(syncOn19(slot("s").confirmed("0/3000300"), slot("s").confirmed("0/3000300"), slot("s").confirmed("0/3000080")),
                "skip-reason-says-why-a-copy-waits", "past the WAL the standby has flushed");
        // the slot's restart_lsn behind that of the copy the cycle found
        Function<Slot, History> behindTheCopy = copy -> new HistoryBuilder(PG19)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/2FFFF00")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/2FFFF00")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(copy.synced()))
                .build();
        holds(behindTheCopy.apply(slot("s").skipped("wal_or_rows_removed")), "skip-reason-says-why-a-copy-waits");
        violatesOnly(behindTheCopy.apply(slot("s")), "skip-reason-says-why-a-copy-waits", "is behind the copy's");
        // a copy made in the cycle ahead of its slot may have been skipped for it, or moved there after the check
        Report made = check(syncOn19(slot("s").restart("0/2FFFF00"), slot("s").restart("0/2FFFF00"), slot("s").skipped("wal_or_rows_removed")));
        assertEquals(0, made.exercised().get("skip-reason-says-why-a-copy-waits"), made.findings().toString());
        // a copy found ahead of its slot, then moved past it by decoding to its confirmed_flush: brought there, no reason
        holds(new HistoryBuilder(PG19)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/3000010").confirmed("0/3000150")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").restart("0/3000010").confirmed("0/3000100").synced()))
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").restart("0/3000010").confirmed("0/3000150")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").restart("0/3000120").confirmed("0/3000150").synced()))
                        .build(),
                "skip-reason-says-why-a-copy-waits");
        // an invalidated copy is skipped for that
        violatesOnly(syncOn19(slot("s").invalidated("wal_removed", false), slot("s").invalidated("wal_removed", false),
                        slot("s").invalidated("wal_removed", false)), "skip-reason-says-why-a-copy-waits", "it is invalidated");
        // a slot a consumer moved during the cycle is not judged
        Report moved = check(syncOn19(slot("s"), slot("s").confirmed("0/3000180"), slot("s").skipped("wal_not_flushed")));
        assertEquals(0, moved.exercised().get("skip-reason-says-why-a-copy-waits"), moved.findings().toString());
    }

    @Test
    void aSkipIsCountedInTheSlotsStatistics() {
        Function<Slot, History> skipped = copy -> new HistoryBuilder(PG19)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").confirmed("0/3000080").skipped("wal_not_flushed").skipCount(3).synced()))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(copy.synced()))
                .build();
        holds(skipped.apply(slot("s").confirmed("0/3000080").skipped("wal_not_flushed").skipCount(4)), "skip-reason-says-why-a-copy-waits");
        violatesOnly(skipped.apply(slot("s").confirmed("0/3000080").skipped("wal_not_flushed").skipCount(3)), "skip-reason-says-why-a-copy-waits",
                "without counting it: slotsync_skip_count 3 before, 3 after");
        // a copy the cycle made counts from nothing
        holds(syncOn19(slot("s").confirmed("0/3000300"), slot("s").confirmed("0/3000300"),
                slot("s").confirmed("0/3000080").skipped("wal_not_flushed").skipCount(1)), "skip-reason-says-why-a-copy-waits");
    }

    // ---- retrying-sync-says-why

    @Test
    void aRetryingSyncThatDoesNotSayWhyIsAViolation() {
        Function<String, History> retried = line -> new HistoryBuilder(PG19)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).log(STARTED))
                .held(SYNC, BoundedWait.SYNC_NAP, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).log(line))
                .build();
        violatesOnly(retried.apply(STARTED), "retrying-sync-says-why", "says of no copy why it is not sync-ready");
        holds(retried.apply("2026-12-07 10:00:01.000 UTC [200] client backend: LOG:  skipping slot synchronization because the received slot sync"
                + " LSN 0/03000300 for slot \"s\" is ahead of the standby position 0/03000200"), "retrying-sync-says-why");
        // 18 does not retry: not judged
        assertFalse(check(new HistoryBuilder(PG18).ok(IDLE, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).log(STARTED))
                .build()).exercised().containsKey("retrying-sync-says-why"));
    }

    // ---- one-synchronizer-at-a-time

    @Test
    void aManualSyncBesideARunningWorkerMustBeRefused() {
        Node primary = primary("primary", PRIMARY_PORT).with(slot("s"));
        Node standby = workerStandby().syncWorker(300).with(slot("s").synced());
        violatesOnly(new HistoryBuilder(PG17).ok(IDLE, primary, standby).ok(SYNC, primary, standby).build(),
                "one-synchronizer-at-a-time", "succeeded while the slot sync worker (pid 300) ran");
        holds(new HistoryBuilder(PG17).ok(IDLE, primary, standby)
                        .step(SYNC, new Outcome.Failed("55000", "cannot synchronize replication slots concurrently"), primary, standby).build(),
                "one-synchronizer-at-a-time");
        // the call's connection failed first: that comes before the synchronizer's place
        holds(new HistoryBuilder(PG17).ok(IDLE, primary, standby)
                        .step(SYNC, new Outcome.Failed("08006", "could not connect to the primary server: refused"),
                                primary, standby).build(),
                "one-synchronizer-at-a-time");
        // a worker gone, or another one, by the end of the call may have let it through
        Report workerLeft = check(new HistoryBuilder(PG17).ok(IDLE, primary, standby)
                .ok(SYNC, primary, workerStandby().syncWorker(301).with(slot("s").synced())).build());
        assertEquals(0, workerLeft.exercised().get("one-synchronizer-at-a-time"), workerLeft.findings().toString());
    }

    // ---- sync-worker-logs-its-start-and-stop

    private static final String WORKER_STARTED = "2026-12-07 10:00:01.000 UTC [300] slotsync worker: LOG:  slot sync worker started";

    @Test
    void aWorkerThatStartedWithoutItsLineIsAViolation() {
        Function<String, History> started = line -> new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log(STARTED))
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300).log(line))
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300))
                .build();
        violatesOnly(started.apply(STARTED), "sync-worker-logs-its-start-and-stop", "a slot sync worker started on standby1");
        holds(started.apply(WORKER_STARTED), "sync-worker-logs-its-start-and-stop");
    }

    @Test
    void aWorkerLeavingOnAReloadSaysWhy() {
        Operation disable = new Operation.SetSetting("standby1", "sync_replication_slots", "off");
        Function<String, History> disabled = line -> new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300).log(STARTED))
                .ok(disable, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "off").log(line))
                .ok(IDLE, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "off"))
                .build();
        violatesOnly(disabled.apply(STARTED), "sync-worker-logs-its-start-and-stop", "left when a reload changed sync_replication_slots");
        holds(disabled.apply("2026-12-07 10:00:02.000 UTC [300] slotsync worker: LOG:  replication slot synchronization worker will stop because"
                + " \"sync_replication_slots\" is disabled"), "sync-worker-logs-its-start-and-stop");
        // a worker that left with an error may have left for it
        Report failed = check(disabled.apply("2026-12-07 10:00:02.000 UTC [300] slotsync worker: ERROR:  could not receive data"));
        assertTrue(failed.holds(), failed.findings().toString());
        // 17.9 says it in the older words
        violatesOnly(new HistoryBuilder("PostgreSQL 17.9 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit")
                        .stepFrom(disabled.apply("").steps().get(0))
                        .stepFrom(disabled.apply("2026-12-07 10:00:02.000 UTC [300] slotsync worker: LOG:  replication slot synchronization worker will"
                                + " stop because \"sync_replication_slots\" is disabled").steps().get(1))
                        .stepFrom(disabled.apply("").steps().get(2))
                        .build(),
                "sync-worker-logs-its-start-and-stop", "will shut down because");
        Operation feedbackOff = new Operation.SetSetting("standby1", "hot_standby_feedback", "off");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300).log(STARTED))
                        .ok(feedbackOff, primary("primary", PRIMARY_PORT), workerStandby().setting("hot_standby_feedback", "off"))
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().setting("hot_standby_feedback", "off"))
                        .build(),
                "sync-worker-logs-its-start-and-stop", "left when a reload changed a setting it depends on");
    }

    @Test
    void aPromotionStopsTheWorkerWithItsLine() {
        Function<String, History> promoted = line -> new HistoryBuilder(PG18)
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300).log(STARTED))
                .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).log(line))
                .build();
        violatesOnly(promoted.apply(STARTED), "sync-worker-logs-its-start-and-stop", "stopped as it was promoted");
        // the walreceiver's end at promotion is another process's error: no excuse
        violatesOnly(promoted.apply("2026-12-07 10:00:02.000 UTC [401] walreceiver: FATAL:  terminating walreceiver process due to administrator command"),
                "sync-worker-logs-its-start-and-stop", "stopped as it was promoted");
        holds(promoted.apply("2026-12-07 10:00:02.000 UTC [300] slotsync worker: LOG:  replication slot synchronization worker will stop"
                + " because promotion is triggered"), "sync-worker-logs-its-start-and-stop");
    }

    // ---- prepared-transaction-survives-promotion

    @Test
    void aPromotedStandbyKeepsThePreparedTransactionsItReplayed() {
        // a standby in recovery does not list what it replayed: its primary, last seen before it stopped, does
        Function<Node, History> promoted = after -> new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).prepared("slotcheck_7"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.StopNode("primary", false), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000300"))
                .ok(new Operation.Promote("standby1"), after)
                .build();
        violatesOnly(promoted.apply(primary("standby1", STANDBY_PORT)), "prepared-transaction-survives-promotion",
                "without the prepared transactions [slotcheck_7]");
        holds(promoted.apply(primary("standby1", STANDBY_PORT).prepared("slotcheck_7")), "prepared-transaction-survives-promotion");
        assertEquals(1, check(promoted.apply(primary("standby1", STANDBY_PORT).prepared("slotcheck_7")))
                .situations().get("promotion-with-a-prepared-transaction"));
        // a standby that had not replayed all its primary had flushed may lack it: not judged
        Report behind = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).prepared("slotcheck_7"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.StopNode("primary", false), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000100"))
                .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT))
                .build());
        assertEquals(0, behind.exercised().get("prepared-transaction-survives-promotion"), behind.findings().toString());
    }

    // ---- sync-finds-the-primary-slot-that-exists

    @Test
    void aSyncAsAnyRoleFindsThePrimarySlotThatIsThere() {
        String asTheRole = "host=127.0.0.1 port=" + PRIMARY_PORT + " user=" + Operation.ConnectAsReplicationRole.ROLE + " dbname="
                + Operation.ConnectAsReplicationRole.ROLE;
        Outcome misled = new Outcome.Failed("22023", "replication slot \"standby1\" specified by \"primary_slot_name\" does not exist on primary server");
        Function<Outcome, History> sync = outcome -> new HistoryBuilder(PG17)
                .ok(new Operation.ConnectAsReplicationRole("standby1"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("primary_conninfo", asTheRole))
                .step(SYNC, outcome, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("primary_conninfo", asTheRole))
                .build();
        violatesOnly(sync.apply(misled), "sync-finds-the-primary-slot-that-exists", "which had it as a physical slot before and after");
        holds(sync.apply(Outcome.ok()), "sync-finds-the-primary-slot-that-exists");
        assertEquals(1, check(sync.apply(Outcome.ok())).situations().get("sync-as-a-role-with-a-planted-operator"));
        // gone from the primary by the end of the call: the refusal may be right
        Report dropped = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .step(SYNC, misled, primary("primary", PRIMARY_PORT).without("standby1"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build());
        assertEquals(0, dropped.exercised().get("sync-finds-the-primary-slot-that-exists"), dropped.findings().toString());
    }

    // ---- sync-worker-waits-before-it-restarts

    private static final String SAME_NAME_ERROR = "2026-12-07 10:00:01.200 UTC [300] slotsync worker: ERROR:  exiting from slot synchronization"
            + " because same name slot \"s\" already exists on the standby";

    /** A worker that ended on an error, then {@code between}, then the next worker's start at {@code secondStart}. */
    private static History restartedAt(String secondStart, String... between) {
        Node second = workerStandby().syncWorker(301);
        for (String line : between) {
            second.log(line);
        }
        second.log(secondStart + " UTC [301] slotsync worker: LOG:  slot sync worker started");
        return new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log(STARTED))
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(300).log(WORKER_STARTED).log(SAME_NAME_ERROR))
                .ok(IDLE, primary("primary", PRIMARY_PORT), second)
                .build();
    }

    @Test
    void aWorkerThatEndedOnAnErrorComesBackNoSoonerThanTenSecondsLater() {
        violatesOnly(restartedAt("2026-12-07 10:00:02.000"), "sync-worker-waits-before-it-restarts", "started again 1.0 s after the one before");
        holds(restartedAt("2026-12-07 10:00:10.100"), "sync-worker-waits-before-it-restarts");
        // a restart on a parameter change, or a new server, may come at once: nothing to judge
        for (String reset : List.of("2026-12-07 10:00:01.500 UTC [300] slotsync worker: LOG:  replication slot synchronization worker will restart"
                + " because of a parameter change", "2026-12-07 10:00:01.500 UTC [100] postmaster: LOG:  starting PostgreSQL 17.12")) {
            Report report = check(restartedAt("2026-12-07 10:00:02.000", reset));
            assertTrue(report.holds(), report.findings().toString());
            assertEquals(0, report.exercised().get("sync-worker-waits-before-it-restarts"), reset);
        }
        // a log whose lines show no time is not judged
        Report untimed = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log("LOG:  slot sync worker started"))
                .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().syncWorker(301).log("LOG:  slot sync worker started"))
                .build());
        assertEquals(0, untimed.exercised().get("sync-worker-waits-before-it-restarts"));
    }

    // ---- barrier-warns-of-the-slot-it-waits-for

    private static final String BACKEND = "2026-12-07 10:00:01.000 UTC [200] client backend: WARNING:  ";
    private static final Operation CONSUME_S = new Operation.ConsumeChanges("primary", "s", null, false);

    /** A primary whose synchronized_standby_slots is {@code listed}, with the failover slot s and {@code slots}, its log read. */
    private static Node barrierPrimary(String listed, Slot... slots) {
        return primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", listed).with(slot("s")).with(slots).log(STARTED);
    }

    /** {@code listed} as it is before and after a consumer the barrier held, whose log then shows {@code lines}. */
    private static History heldWith(String listed, List<Slot> slots, String... lines) {
        return heldWith(listed, slots, slots, lines);
    }

    /** The same with the listed slots as {@code before} the call and as {@code after} it. */
    private static History heldWith(String listed, List<Slot> before, List<Slot> after, String... lines) {
        Node held = primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", listed).with(slot("s")).with(after.toArray(Slot[]::new));
        for (String line : lines) {
            held.log(BACKEND + line);
        }
        return new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary(listed, before.toArray(Slot[]::new)))
                .heldByTheBarrier(CONSUME_S, held)
                .build();
    }

    /** The listed standby's slot, behind the primary's WAL (flushed up to 0/3000200), no standby streaming through it. */
    private static Slot away() {
        return slot("standby1").physical().restart("0/3000100");
    }
    private static final String AWAY_WARNING = "replication slot \"standby1\" specified in parameter \"synchronized_standby_slots\" does not have active_pid";
    private static final String GONE_WARNING = "replication slot \"gone\" specified in parameter \"synchronized_standby_slots\" does not exist";

    @Test
    void consumerHeldByAStoppedStandbyWithoutTheWarningIsAViolation() {
        violatesOnly(heldWith("standby1", List.of(away())), "barrier-warns-of-the-slot-it-waits-for",
                "does not say \"replication slot \"%s\" specified in parameter \"synchronized_standby_slots\" does not have active_pid\" for standby1");
        holds(heldWith("standby1", List.of(away()), AWAY_WARNING), "barrier-warns-of-the-slot-it-waits-for");
    }

    // ---- documented-outcome: a subscription's options while it is enabled (§2 O12, O13)

    @Test
    void anEnabledSubscriptionsFailoverAlteredIsAViolation() {
        Node subscriber = primary("subscriber", 15999).subscription("sub1", PRIMARY_PORT);
        Function<Outcome, History> altered = outcome -> new HistoryBuilder(PG17)
                .ok(new Operation.AddSubscriber("subscriber"), primary("primary", PRIMARY_PORT), subscriber)
                .step(new Operation.AlterSubscriptionFailover("subscriber", "sub1", false, true), outcome, primary("primary", PRIMARY_PORT),
                        primary("subscriber", 15999).subscription("sub1", PRIMARY_PORT))
                .build();
        violatesOnly(altered.apply(Outcome.ok()), "documented-outcome", "cannot set %s for enabled subscription");
        holds(altered.apply(new Outcome.Failed("55000", "cannot set failover for enabled subscription")), "documented-outcome");
    }

    // ---- documented-outcome: a held consumer released by a reload (§1 item 14)

    @Test
    void aHeldConsumerGoesOnOnceAReloadEmptiesTheList() {
        Node emptied = primary("primary", PRIMARY_PORT).with(slot("s")).log(STARTED);
        Function<Outcome, History> released = outcome -> new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("gone"))
                .releasedFromTheBarrier(new Operation.ConsumeReleasedByReload("primary", "s", ""), outcome, emptied)
                .build();
        violatesOnly(released.apply(new Outcome.Failed("57014", "canceling statement due to statement timeout")), "documented-outcome",
                "the list was emptied by a reload");
        holds(released.apply(Outcome.ok()), "documented-outcome");
        assertEquals(1, check(released.apply(Outcome.ok())).situations().get("held-consumer-released-by-a-reload"));
        // a list that still names a slot leaves the call to the standbys: nothing is predicted of it
        Report stillListed = check(new HistoryBuilder(PG17).ok(IDLE, barrierPrimary("gone"))
                .releasedFromTheBarrier(new Operation.ConsumeReleasedByReload("primary", "s", "standby1"),
                        new Outcome.Failed("57014", "canceling statement due to statement timeout"),
                        primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", "standby1").with(slot("s")).log(STARTED))
                .build());
        assertTrue(stillListed.holds(), stillListed.findings().toString());
        assertEquals(0, stillListed.exercised().get("documented-outcome"));
    }

    @Test
    void aHeldConsumerGoesOnOnceTheStandbyItWaitsForIsStarted() {
        Operation released = new Operation.ConsumeReleasedByStandby("primary", "s", "standby1");
        Function<Outcome, History> started = outcome -> new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.StopNode("standby1", false), barrierPrimary("standby1"))
                .releasedFromTheBarrier(released, outcome, barrierPrimary("standby1"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build();
        violatesOnly(started.apply(new Outcome.Failed("57014", "canceling statement due to statement timeout")), "documented-outcome",
                "that standby was started");
        holds(started.apply(Outcome.ok()), "documented-outcome");
        assertEquals(1, check(started.apply(Outcome.ok())).situations().get("held-consumer-released-by-its-standby"));
        // with another slot listed too, the standby's return may not be enough: nothing is predicted
        Report twoListed = check(new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1,gone"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.StopNode("standby1", false), barrierPrimary("standby1,gone"))
                .releasedFromTheBarrier(released, new Outcome.Failed("57014", "canceling statement due to statement timeout"),
                        barrierPrimary("standby1,gone"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build());
        assertTrue(twoListed.holds(), twoListed.findings().toString());
    }

    @Test
    void eachProblemOfAListedSlotHasItsWarning() {
        holds(heldWith("gone", List.of(), GONE_WARNING), "barrier-warns-of-the-slot-it-waits-for");
        holds(heldWith("s2", List.of(slot("s2")),
                        "cannot specify logical replication slot \"s2\" in parameter \"synchronized_standby_slots\""),
                "barrier-warns-of-the-slot-it-waits-for");
        holds(heldWith("lost", List.of(slot("lost").physical().invalidated("wal_removed", null)),
                        "physical replication slot \"lost\" specified in parameter \"synchronized_standby_slots\" has been invalidated"),
                "barrier-warns-of-the-slot-it-waits-for");
        violatesOnly(heldWith("lost", List.of(slot("lost").physical().invalidated("wal_removed", null)), AWAY_WARNING),
                "barrier-warns-of-the-slot-it-waits-for", "has been invalidated\" for lost");
    }

    @Test
    void onlyTheFirstListedSlotThatHoldsTheConsumerIsReported() {
        // the check stops at the first slot short of the position: gone is reported, standby1 behind it never
        violatesOnly(heldWith("gone,standby1", List.of(away()), AWAY_WARNING), "barrier-warns-of-the-slot-it-waits-for", "for gone");
        // a standby streaming but behind holds the consumer silently, and the check stops there, before gone
        Report streamingFirst = check(heldWith("standby1,gone", List.of(away().active())));
        assertTrue(streamingFirst.holds(), streamingFirst.findings().toString());
        assertEquals(0, streamingFirst.exercised().get("barrier-warns-of-the-slot-it-waits-for"));
        // a listed standby that had already reached the primary's WAL passes, and the next one is reported
        holds(heldWith("standby1,gone", List.of(slot("standby1").physical().restart("0/3000200")), GONE_WARNING),
                "barrier-warns-of-the-slot-it-waits-for");
        // one streaming but behind when the call began, caught up by its end: its confirmation woke the consumer, which
        // then reported the next one (seen on 18.7 when the step before wrote WAL the standby had not yet confirmed)
        List<Slot> lagging = List.of(away().active());
        List<Slot> caughtUp = List.of(slot("standby1").physical().restart("0/3000200").active());
        violatesOnly(heldWith("standby1,gone", lagging, caughtUp), "barrier-warns-of-the-slot-it-waits-for", "for gone");
        holds(heldWith("standby1,gone", lagging, caughtUp, GONE_WARNING), "barrier-warns-of-the-slot-it-waits-for");
        // one that caught up only once its standby came back, not streaming all along, leaves the rest unpredicted
        Report returned = check(heldWith("standby1,gone", List.of(away()), caughtUp));
        assertTrue(returned.holds(), returned.findings().toString());
    }

    @Test
    void aConsumerNotHeldOrNotOfAFailoverSlotIsNotJudged() {
        Report returned = check(new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1", away()))
                .ok(CONSUME_S, barrierPrimary("standby1", away()))
                .build());
        assertTrue(returned.holds(), returned.findings().toString());
        assertEquals(0, returned.exercised().get("barrier-warns-of-the-slot-it-waits-for"), "a call that returned was not held");
        Report noFailover = check(new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1", away(), slot("s").noFailover()))
                .heldByTheBarrier(CONSUME_S, barrierPrimary("standby1", away(), slot("s").noFailover()))
                .build());
        assertEquals(0, noFailover.exercised().get("barrier-warns-of-the-slot-it-waits-for"), "the barrier holds failover slots only");
        // a server that logs no WARNINGs (log_min_messages error) cannot show them
        Report quiet = check(new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1", away()).setting("log_min_messages", "error"))
                .heldByTheBarrier(CONSUME_S, barrierPrimary("standby1", away()).setting("log_min_messages", "error"))
                .build());
        assertEquals(0, quiet.exercised().get("barrier-warns-of-the-slot-it-waits-for"), quiet.findings().toString());
        // a standby that came back during the call may have ended the wait's reason: not predicted
        Report returnedDuring = check(new HistoryBuilder(PG17)
                .ok(IDLE, barrierPrimary("standby1", away()))
                .heldByTheBarrier(CONSUME_S, barrierPrimary("standby1", away().active()))
                .build());
        assertEquals(0, returnedDuring.exercised().get("barrier-warns-of-the-slot-it-waits-for"));
    }

    // ---- documented-outcome: decoding after promotion

    @Test
    void syncReadyCopyThatCannotBeDecodedAfterPromotionIsAViolation() {
        HistoryBuilder promoted = new HistoryBuilder(PG17)
                .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("s").synced()));
        Operation decode = new Operation.ConsumeChanges("standby1", "s", null, false);
        violatesOnly(copy(promoted).step(decode, new Outcome.Failed("XX000", "could not find record while sending logically-decoded data")).build(),
                "documented-outcome", "although slot s was a sync-ready copy when standby1 left recovery");
        Report inUse = check(copy(promoted).step(decode, new Outcome.Failed("55006", "replication slot \"s\" is active for PID 77")).build());
        assertTrue(inUse.holds(), inUse.findings().toString());
    }

    // ---- worker-converges-when-quiet: obsolete copies

    @Test
    void copyOfADroppedSlotKeptByAQuietWorkerIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s")),
                                workerStandby().with(slot("s").synced(), slot("gone").synced()))
                        .build(),
                "worker-converges-when-quiet", "the copy of gone on standby1 is kept, but primary has no persistent failover slot of that name");
    }

    @Test
    void copyOfASlotInvalidatedOnThePrimaryIsKeptByAQuietWorker() {
        holds(new HistoryBuilder(PG17)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s"), slot("old").invalidated("wal_removed", false)),
                                workerStandby().with(slot("s").synced(), slot("old").synced().invalidated("wal_removed", false)))
                        .build(),
                "worker-converges-when-quiet");
    }

    // ---- synced-copy-mirrors-its-slot

    @Test
    void copyKeepingThePluginOfASlotMadeAgainIsAViolation() {
        Fixtures.Node primary = primary("primary", PRIMARY_PORT).with(slot("s").plugin("pgoutput").restart("0/3000100").confirmed("0/3000180"));
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                        .ok(SYNC, primary, standby("standby1", STANDBY_PORT, PRIMARY_PORT)
                                .with(slot("s").synced().restart("0/3000100").confirmed("0/3000180")))
                        .build(),
                "synced-copy-mirrors-its-slot", "plugin test_decoding (the primary's: pgoutput)");
    }

    @Test
    void from18ACycleLeavesTheConfigurationOfACopyAheadOfItsSlot() {
        // the copy's restart_lsn went past its slot's in a fast-forward: 18 copies nothing in that cycle, 17 the configuration
        Function<String, History> twoPhaseTurnedOn = version -> {
            Fixtures.Node primary = primary("primary", PRIMARY_PORT).with(slot("s").twoPhase().restart("0/3000100"));
            Fixtures.Node standby = standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().restart("0/3000150"));
            return new HistoryBuilder(version).ok(IDLE, primary, standby).ok(SYNC, primary, standby).build();
        };
        holds(twoPhaseTurnedOn.apply(PG18), "synced-copies-only-of-persistent-failover-slots");
        assertEquals(0, check(twoPhaseTurnedOn.apply(PG18)).exercised().get("synced-copy-mirrors-its-slot"));
        violatesOnly(twoPhaseTurnedOn.apply(PG17), "synced-copy-mirrors-its-slot", "two_phase false (the primary's: true)");
    }

    @Test
    void copyOfASlotThatChangedDuringTheCycleIsNotJudged() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").plugin("pgoutput")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .build());
        assertTrue(report.holds(), report.findings().toString());
    }

    @Test
    void quietWorkersCopyAtItsSlotMustMirrorTwoPhaseAt() {
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s").twoPhaseAt("0/3000080")),
                                workerStandby().with(slot("s").synced().twoPhaseAt("0/3000040")))
                        .build(),
                "synced-copy-mirrors-its-slot", "two_phase_at 0/3000040 (the primary's: 0/3000080)");
        holds(new HistoryBuilder(PG18)
                        .ok(CONVERGE, primary("primary", PRIMARY_PORT).with(slot("s").twoPhaseAt("0/3000080")),
                                workerStandby().with(slot("s").synced().twoPhaseAt("0/3000080")))
                        .build(),
                "synced-copy-mirrors-its-slot");
    }

    // ---- manual-sync-leaves-no-temporary-copy

    @Test
    void temporaryCopyLeftByAManualSyncIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().temporary()))
                        .build(),
                "manual-sync-leaves-no-temporary-copy", "leaving the temporary synced slots [s] behind");
    }

    @Test
    void temporaryCopiesAfterAManualSyncAreTheWorkersWhenItRuns() {
        History withWorker = new HistoryBuilder(PG18)
                .step(SYNC, new Outcome.Failed("55000", "cannot synchronize replication slots concurrently"),
                        primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced().heldBy(777)))
                .step(SYNC, new Outcome.Failed("55000", "skipping slot synchronization because the received slot sync LSN 0/3000300 for slot \"s\""
                                + " is ahead of the standby position 0/3000200"),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build();
        holds(withWorker, "manual-sync-leaves-no-temporary-copy");
        assertEquals(1, check(withWorker).exercised().get("manual-sync-leaves-no-temporary-copy"), "only the failure after syncing is judged");
    }

    // ---- inactive-since-follows-use

    @Test
    void slotInUseWithAnInactiveSinceIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").active()).with(slot("t").inactiveSince(null)))
                        .build(),
                "inactive-since-follows-use", "slot t on primary is not in use yet shows no inactive_since");
        Slot heldWithAValue = slot("s").active().inactiveSince("2026-12-07T10:00:00Z");
        violatesOnly(new HistoryBuilder(PG18).ok(IDLE, primary("primary", PRIMARY_PORT).with(heldWithAValue)).build(),
                "inactive-since-follows-use", "slot s on primary is in use (active_pid 4242) yet shows inactive_since");
    }

    @Test
    void in17AnAcquisitionMayBeReadBeforeItClearsInactiveSince() {
        // slot.c ReplicationSlotAcquire() of 17 sets active_pid and clears inactive_since under two spinlocks
        Node caughtAcquiring = primary("primary", PRIMARY_PORT).with(slot("s").active().inactiveSince("2026-12-07T10:00:00Z"));
        holds(new HistoryBuilder(PG17).ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").active().inactiveSince(null)))
                .ok(IDLE, caughtAcquiring).build(), "inactive-since-follows-use");
        violatesOnly(new HistoryBuilder(PG17).ok(IDLE, caughtAcquiring)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").active().inactiveSince("2026-12-07T10:00:00Z"))).build(),
                "inactive-since-follows-use", "slot s on primary is in use (active_pid 4242) yet shows inactive_since");
    }

    @Test
    void from18AnInvalidatedSlotMayShowNoInactiveSince() {
        Function<String, History> restartedWithAnInvalidatedSlot = version -> new HistoryBuilder(version)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s"), slot("old").invalidated("wal_removed", false).inactiveSince(null)))
                .build();
        holds(restartedWithAnInvalidatedSlot.apply(PG18), "inactive-since-follows-use");
        violatesOnly(restartedWithAnInvalidatedSlot.apply(PG17), "inactive-since-follows-use", "slot old on primary is not in use");
    }

    @Test
    void promotionStampsEveryIdleCopyWithOneCommonValue() {
        Fixtures.Node standby = standby("standby1", STANDBY_PORT, PRIMARY_PORT)
                .with(slot("a").synced().inactiveSince("2026-12-07T10:00:01Z"), slot("b").synced().inactiveSince("2026-12-07T10:00:02Z"));
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), standby)
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT)
                                .with(slot("a").synced().inactiveSince("2026-12-07T10:00:05Z"), slot("b").synced().inactiveSince("2026-12-07T10:00:05Z"),
                                        slot("sub1").synced().inactiveSince("2026-12-07T10:00:06Z"))
                                .subscription("sub1", STANDBY_PORT))
                        .build(),
                "inactive-since-follows-use");
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), standby)
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT)
                                .with(slot("a").synced().inactiveSince("2026-12-07T10:00:05Z"), slot("b").synced().inactiveSince("2026-12-07T10:00:02Z")))
                        .build(),
                "inactive-since-follows-use", "show 2 inactive_since values after its promotion");
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), standby)
                        .ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT)
                                .with(slot("a").synced().inactiveSince("2026-12-07T10:00:00Z"), slot("b").synced().inactiveSince("2026-12-07T10:00:00Z")))
                        .build(),
                "inactive-since-follows-use", "not later than the 2026-12-07T10:00:01Z it had before");
    }

    // ---- sync-logs-copies-made-ready-and-dropped

    private static final String STARTED = "2026-12-07 10:00:00.000 UTC [100] postmaster: LOG:  database system is ready to accept read-only connections";
    private static final String READY = "2026-12-07 10:00:01.000 UTC [101] slotsync worker: LOG:  newly created replication slot \"s\" is sync-ready now";
    private static final String DROPPED = "2026-12-07 10:00:02.000 UTC [101] slotsync worker: LOG:  dropped replication slot \"s\" of database with OID 5";

    @Test
    void copyMadeSyncReadyWithoutItsLogLineIsAViolation() {
        violatesOnly(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().log(STARTED))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                        .build(),
                "sync-logs-copies-made-ready-and-dropped", "the copy of s on standby1 was made sync-ready between two observations");
    }

    @Test
    void persistentCopyDroppedWithoutItsLogLineIsAViolation() {
        violatesOnly(new HistoryBuilder(PG18)
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log(STARTED).with(slot("s").synced()))
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby())
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby())
                        .build(),
                "sync-logs-copies-made-ready-and-dropped", "the copy of s on standby1 was dropped between two observations");
    }

    @Test
    void aLineReadWithTheNextObservationConfirmsTheChange() {
        holds(new HistoryBuilder(PG17)
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().log(STARTED))
                        .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log(READY))
                        .ok(IDLE, primary("primary", PRIMARY_PORT), workerStandby().log(DROPPED))
                        .build(),
                "sync-logs-copies-made-ready-and-dropped");
    }

    @Test
    void temporaryCopiesGoSilentlyAndARestartIsNoChangeToJudge() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().log(STARTED).with(slot("s").synced().heldBy(777)))
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby())
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                .ok(new Operation.StopNode("standby1", false), primary("primary", PRIMARY_PORT).with(slot("s")))
                .ok(new Operation.StartNode("standby1"), primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                .build());
        // the copy made sync-ready at step 3 is judged at step 5 (the first observation after it), where the restart ends the run
        assertTrue(report.holds(), report.findings().toString());
    }

    @Test
    void aNodeWhoseLogIsNotReadIsNotJudged() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby())
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), workerStandby().with(slot("s").synced()))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(0, report.exercised().get("sync-logs-copies-made-ready-and-dropped"));
    }

    // ---- the catalogue itself

    @Test
    void everyInvariantNamesItsGuaranteeAndSource() {
        for (Invariant invariant : Invariants.all()) {
            assertTrue(invariant.name().matches("[a-z0-9-]+"), invariant.name());
            assertTrue(invariant.guarantee().endsWith("."), invariant.name() + ": one sentence");
            assertTrue(invariant.source().contains("§"), invariant.name() + " cites the spec");
        }
    }

    @Test
    void anInvariantWithNothingToCheckIsReportedAsNeverExercised() {
        Report report = check(new HistoryBuilder(PG17).ok(IDLE, primary("primary", PRIMARY_PORT)).build());
        assertTrue(report.neverExercised().contains("synced-confirmed-flush-within-standby-flush"), report.exercised().toString());
    }

    private static HistoryBuilder copy(HistoryBuilder builder) {
        HistoryBuilder copy = new HistoryBuilder(builder.build().serverVersion());
        builder.build().steps().forEach(s -> copy.stepFrom(s));
        return copy;
    }
}
