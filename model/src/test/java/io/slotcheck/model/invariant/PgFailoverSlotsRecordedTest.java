package io.slotcheck.model.invariant;

import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Report;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model's judgement of histories recorded from a real pg_failover_slots 1.2.0 on IvorySQL 3.4 (PostgreSQL 16.4), the
 * extension's documented flow as the suite's pg-failover-slots scenarios run it: each holds and exercises the extension's
 * invariants (a copy still being made ahead of its slot, SQL decoding past the barrier: legal), and a single observation
 * changed to what a broken extension would show is caught by exactly the invariant it breaks.
 */
class PgFailoverSlotsRecordedTest {

    private static final String DIRECTORY = "/recorded/pg-failover-slots-1.2.0-on-16.4/";
    private static final String SLOT = "s1";

    private static History recorded(String name) {
        try (InputStream in = PgFailoverSlotsRecordedTest.class.getResourceAsStream(DIRECTORY + name + ".jsonl")) {
            return HistoryFormat.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Report check(History history) {
        return HistoryChecker.check(history, Invariants.all());
    }

    @Test
    void theRecordedFlowHoldsAndExercisesEveryInvariantOfTheExtension() {
        Map<String, Integer> exercised = new HashMap<>();
        for (String name : List.of("ready-copy", "named-slots", "barrier", "promotion")) {
            History history = recorded(name);
            assertEquals(SlotSyncMechanism.PG_FAILOVER_SLOTS, history.slotSync(), "the header says what kept the copies");
            Report report = check(history);
            assertTrue(report.holds(), name + ": " + report.findings());
            report.exercised().forEach((invariant, checks) -> exercised.merge(invariant, checks, Integer::sum));
            assertTrue(report.notApplying().contains("synced-confirmed-flush-within-standby-flush"),
                    "the server's own slot sync is not what is judged: " + report.notApplying());
        }
        Set<String> ofTheExtension = Invariants.all().stream().map(Invariant::name).filter(n -> n.startsWith("pg-failover-slots-"))
                .collect(Collectors.toSet());
        assertEquals(7, ofTheExtension.size());
        ofTheExtension.forEach(invariant -> assertTrue(exercised.getOrDefault(invariant, 0) > 0, invariant + " exercised: " + exercised));
    }

    @Test
    void aCopyAheadOfTheWalItsStandbyFlushedIsCaught() {
        History history = recorded("ready-copy");
        // beyond the standby's WAL is beyond the primary's too, here: both say so
        violates(atStep(history, 14, "standby1", slots -> replace(slots, SLOT, copy -> copy.withConfirmedFlushLsn(Lsn.parse("0/3036400")))),
                "pg-failover-slots-copy-within-standby-flush", "pg-failover-slots-copy-not-ahead-of-primary");
    }

    @Test
    void aMadeCopyAheadOfItsSlotIsCaughtButOneStillBeingMadeIsNot() {
        History history = recorded("ready-copy");
        assertEquals(null, history.steps().get(1).observation("standby1").orElseThrow().slot(SLOT).orElseThrow().confirmedFlushLsn(),
                "step 2 shows the copy being made, its restart_lsn past the slot's: legal");
        // and the next observation, where it is back, shows it moving back
        violates(atStep(history, 10, "standby1", slots -> replace(slots, SLOT, copy -> withRestartLsn(copy, Lsn.parse("0/3035DE0")))),
                "pg-failover-slots-copy-not-ahead-of-primary", "pg-failover-slots-copy-never-moves-back");
    }

    @Test
    void aCopyMovingBackIsCaught() {
        History history = recorded("ready-copy");
        History movedBack = atStep(history, 14, "standby1", slots -> replace(slots, SLOT, copy -> withRestartLsn(copy, Lsn.parse("0/3035850"))));
        violates(movedBack, "pg-failover-slots-copy-never-moves-back");
    }

    @Test
    void aCopyOfADroppedSlotKeptAfterTheWorkerCaughtUpIsCaught() {
        History history = recorded("named-slots");
        Lsn standbyPosition = history.steps().get(5).observation("standby1").orElseThrow().flushLsn();
        SlotRow stale = new SlotRow(SLOT, "test_decoding", "logical", 5L, "postgres", false, false, null, null, 740L, standbyPosition,
                standbyPosition, "reserved", null, false, null, null, false, null, null, null, null, null, null);
        violates(atStep(history, 6, "standby1", slots -> add(slots, stale)), "pg-failover-slots-copies-only-of-named-slots");
    }

    @Test
    void aWorkerThatNeverCopiesANamedSlotIsCaught() {
        History history = recorded("named-slots");
        History neverCopied = atStep(history, 4, "standby1", slots -> List.of());
        List<Step> steps = new ArrayList<>(neverCopied.steps());
        Step wait = steps.get(3);
        steps.set(3, new Step(wait.index(), wait.operation(), new Outcome.Unknown("timed out after 30 s"), wait.observations()));
        violates(new History(history.target(), history.serverVersion(), history.slotSync(), history.seed(), steps),
                "pg-failover-slots-worker-copies-every-named-slot");
    }

    @Test
    void aWalsenderSendingPastTheListedStandbyIsCaughtAndSqlDecodingIsNotHeld() {
        History history = recorded("barrier");
        assertTrue(check(history).holds(), "step 14 decodes with SQL past the stopped standby: not held, legal");
        violates(atStep(history, 8, "primary", slots -> replace(slots, SLOT, slot -> slot.withConfirmedFlushLsn(Lsn.parse("0/3035D70")))),
                "pg-failover-slots-barrier-holds-walsenders");
    }

    @Test
    void aReadyCopyLostAtPromotionIsCaught() {
        History history = recorded("promotion");
        violates(atStep(history, 14, "standby1", slots -> slots.stream().filter(s -> !s.slotName().equals(SLOT)).toList()),
                "pg-failover-slots-ready-copy-survives-promotion");
    }

    @Test
    void aSubscriptionFollowsItsReadyCopyAcrossAFailoverAndAMissingTransactionIsCaught() {
        // a campaign's sequence (seed 16, sequence 13): the copy of the subscription's slot ready, the standby promoted, the
        // primary killed, the subscription pointed at the new primary, which then writes
        History history = recorded("subscription-across-a-failover");
        Report report = check(history);
        assertTrue(report.holds(), report.findings().toString());
        List.of("each-transaction-applied-once", "caught-up-subscriber-matches-its-publisher", "pg-failover-slots-ready-copy-survives-promotion")
                .forEach(invariant -> assertTrue(report.exercised().get(invariant) > 0, invariant + " exercised: " + report.exercised()));
        List<Step> steps = new ArrayList<>(history.steps());
        Step caughtUp = steps.get(15);
        NodeSnapshot subscriber = caughtUp.observation("subscriber").orElseThrow();
        assertEquals(6, subscriber.transactions().size(), "two written on each side of the failover, and the first two");
        Map<String, NodeSnapshot> observations = new HashMap<>(caughtUp.observations());
        observations.put("subscriber", new NodeSnapshot(subscriber.node(), subscriber.host(), subscriber.takenAt(), subscriber.serverVersion(),
                subscriber.serverVersionNum(), subscriber.inRecovery(), subscriber.timeline(), subscriber.currentLsn(), subscriber.flushLsn(),
                subscriber.receiveLsn(), subscriber.replayLsn(), subscriber.slots(), subscriber.replication(), subscriber.walReceiver(),
                subscriber.settings(), subscriber.logLines(), subscriber.transactions().subList(0, 5), subscriber.subscriptions(),
                subscriber.syncWorkerPid(), subscriber.preparedTransactions()));
        steps.set(15, new Step(caughtUp.index(), caughtUp.operation(), caughtUp.outcome(), observations));
        violates(new History(history.target(), history.serverVersion(), history.slotSync(), history.seed(), steps),
                "caught-up-subscriber-matches-its-publisher");
    }

    /** The checker finds {@code first} at the mutated step, and nothing but {@code invariants} in all. */
    private static void violates(History history, String first, String... others) {
        Report report = check(history);
        Set<String> violated = report.findings().stream().map(f -> f.invariant().name()).collect(Collectors.toSet());
        Set<String> expected = new HashSet<>(List.of(others));
        expected.add(first);
        assertEquals(expected, violated, "violations: " + report.findings());
        assertEquals(first, report.findings().get(0).invariant().name(), "the first violation: " + report.findings());
        assertTrue(!report.findings().get(0).violation().evidence().isEmpty(), "evidence is shown");
    }

    /** {@code history} with {@code node}'s slots at step {@code index} (from 1) changed by {@code change}. */
    private static History atStep(History history, int index, String node, UnaryOperator<List<SlotRow>> change) {
        List<Step> steps = new ArrayList<>(history.steps());
        Step step = steps.get(index - 1);
        Map<String, NodeSnapshot> observations = new HashMap<>(step.observations());
        NodeSnapshot seen = observations.get(node);
        observations.put(node, seen.withSlots(change.apply(seen.slots())));
        steps.set(index - 1, new Step(step.index(), step.operation(), step.outcome(), observations, step.waits(), step.actionMillis(),
                step.observationMillis()));
        return new History(history.target(), history.serverVersion(), history.slotSync(), history.seed(), steps);
    }

    private static List<SlotRow> replace(List<SlotRow> slots, String name, UnaryOperator<SlotRow> change) {
        return slots.stream().map(slot -> slot.slotName().equals(name) ? change.apply(slot) : slot).toList();
    }

    private static List<SlotRow> add(List<SlotRow> slots, SlotRow slot) {
        List<SlotRow> more = new ArrayList<>(slots);
        more.add(slot);
        return more;
    }

    private static SlotRow withRestartLsn(SlotRow slot, Lsn restartLsn) {
        return new SlotRow(slot.slotName(), slot.plugin(), slot.slotType(), slot.datoid(), slot.database(), slot.temporary(), slot.active(),
                slot.activePid(), slot.xmin(), slot.catalogXmin(), restartLsn, slot.confirmedFlushLsn(), slot.walStatus(), slot.safeWalSize(),
                slot.twoPhase(), slot.twoPhaseAt(), slot.inactiveSince(), slot.conflicting(), slot.invalidationReason(), slot.failover(),
                slot.synced(), slot.slotsyncSkipReason(), slot.slotsyncSkipCount(), slot.slotsyncLastSkip());
    }
}
