package io.slotcheck.model.invariant;

import io.slotcheck.model.Fixtures;
import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Report;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.ServerProcess;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

/** Situations: where a broken server would show an invariant's violation, counted from the history alone. */
class SituationCatalogueTest {

    private static final Operation SYNC = new Operation.SyncSlots("standby1");
    private static final Operation IDLE = new Operation.Checkpoint("primary");
    private static final Operation PAUSE_WALRECEIVER = new Operation.PauseProcess("standby1", ServerProcess.WALRECEIVER);
    private static final String AHEAD = "skipping slot synchronization because the received slot sync LSN 0/3000300 for slot \"s\""
            + " is ahead of the standby position 0/3000200";

    private static Report check(History history) {
        return HistoryChecker.check(history, Invariants.all());
    }

    @Test
    void everyInvariantHasSituationsWithUniqueNames() {
        Set<String> names = new HashSet<>();
        for (Invariant invariant : Invariants.all()) {
            assertFalse(invariant.situations().isEmpty(), invariant.name() + " names where a broken server would show it");
            for (Situation situation : invariant.situations()) {
                assertTrue(names.add(situation.name()), situation.name() + " is named once");
                assertTrue(situation.name().matches("[a-z0-9-]+"), situation.name());
            }
        }
    }

    @Test
    void situationsOfAVersionAreThoseOfItsInvariantsThatArise() {
        Set<String> on17 = check(new HistoryBuilder(PG17).ok(IDLE, primary("primary", PRIMARY_PORT)).build()).situations().keySet();
        Set<String> on18 = check(new HistoryBuilder(PG18).ok(IDLE, primary("primary", PRIMARY_PORT)).build()).situations().keySet();
        Set<String> on17_5 = check(new HistoryBuilder(PG17_5).ok(IDLE, primary("primary", PRIMARY_PORT)).build()).situations().keySet();
        assertTrue(on18.contains("copy-of-a-two-phase-slot") && !on17.contains("copy-of-a-two-phase-slot"), "two_phase_at is synced from 18");
        assertTrue(on17_5.contains("standby-slots-naming-no-physical-slot") && !on17.contains("standby-slots-naming-no-physical-slot"),
                "refused by ALTER SYSTEM before 17.7 only");
        assertTrue(on17_5.contains("stale-acknowledgement"), "17.5 is checked against the guarantee 17.6 restored, where it would break");
    }

    // ---- a sync while the standby is behind a failover slot (§1 item 3)

    private static HistoryBuilder standbyBehindWithItsWalreceiverStopped(String version) {
        return new HistoryBuilder(version)
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000400"), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(PAUSE_WALRECEIVER, primary("primary", PRIMARY_PORT).flush("0/3000400").with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"));
    }

    @Test
    void aManualSyncWhileTheStandbyIsBehindIsReachedAndMustBeRefusedIn17And18() {
        for (String version : List.of(PG17, PG18)) {
            Report refused = check(standbyBehindWithItsWalreceiverStopped(version)
                    .step(SYNC, new Outcome.Failed("55000", AHEAD), primary("primary", PRIMARY_PORT),
                            standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                    .build());
            assertTrue(refused.holds(), refused.findings().toString());
            assertEquals(1, refused.situations().get("sync-while-standby-behind-a-failover-slot"));
            assertEquals(1, refused.situations().get("sync-refused-while-standby-behind"));

            Report synced = check(standbyBehindWithItsWalreceiverStopped(version)
                    .ok(SYNC, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                    .build());
            assertEquals(Set.of("documented-outcome"), synced.findings().stream().map(f -> f.invariant().name()).collect(Collectors.toSet()),
                    "a 17/18 server that syncs past its flushed WAL is caught even where it made no copy to see");
            assertTrue(synced.findings().get(0).violation().explanation().contains("is ahead of the standby position"),
                    synced.findings().get(0).toString());
        }
    }

    @Test
    void from19AManualSyncWhileTheStandbyStaysBehindRetriesUntilCancelled() {
        Report retried = check(standbyBehindWithItsWalreceiverStopped(PG19)
                .held(SYNC, BoundedWait.SYNC_NAP, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                .build());
        assertTrue(retried.findings().stream().noneMatch(f -> f.invariant().name().equals("documented-outcome")), retried.findings().toString());
        assertEquals(1, retried.situations().get("sync-retrying-while-standby-behind"));
        Report gaveUp = check(standbyBehindWithItsWalreceiverStopped(PG19)
                .ok(SYNC, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                .build());
        assertTrue(gaveUp.findings().stream().anyMatch(f -> f.invariant().name().equals("documented-outcome")
                        && f.violation().explanation().contains("canceling statement due to user request")), gaveUp.findings().toString());
        // a copy sync-ready already is skipped and left where it is: nothing to retry, the call returns
        Report leftBehind = check(new HistoryBuilder(PG19)
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000400"),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100")))
                .ok(PAUSE_WALRECEIVER, primary("primary", PRIMARY_PORT).flush("0/3000400").with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000100")))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000100")))
                .build());
        assertTrue(leftBehind.findings().stream().noneMatch(f -> f.invariant().name().equals("documented-outcome")), leftBehind.findings().toString());
        assertEquals(0, leftBehind.situations().get("sync-retrying-while-standby-behind"));
    }

    @Test
    void withItsWalreceiverRunningTheStandbyMayCatchUpBeforeTheCall() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000400").with(slot("s").confirmed("0/3000300")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200"))
                .ok(SYNC, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000400"))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(1, report.situations().get("sync-while-standby-behind-a-failover-slot"), "reached: the copy must not pass the flush");
        assertEquals(0, report.situations().get("sync-refused-while-standby-behind"), "no refusal predicted");
    }

    @Test
    void aSyncWithTheStandbyCaughtUpReachesNeither() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().confirmed("0/3000100")))
                .build());
        assertEquals(0, report.situations().get("sync-while-standby-behind-a-failover-slot"));
        assertTrue(report.exercised().get("synced-confirmed-flush-within-standby-flush") > 0, "checked where nothing could go wrong");
        assertTrue(report.neverReached().contains("sync-while-standby-behind-a-failover-slot"), "which is no coverage of it");
    }

    // ---- promotion (§1 items 7 and 18)

    @Test
    void aPromotionReachesTheSituationsOfTheCopiesItsStandbyHeld() {
        HistoryBuilder before = new HistoryBuilder(PG17).ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s"), slot("t")),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on")
                        .with(slot("s").synced().heldBy(77), slot("t").synced()));
        Report promoted = check(copy(before).ok(new Operation.Promote("standby1"), primary("standby1", STANDBY_PORT).with(slot("t").synced())).build());
        assertEquals(1, promoted.situations().get("promotion-with-a-temporary-copy"));
        assertEquals(1, promoted.situations().get("promotion-with-a-persistent-copy"));
        assertEquals(1, promoted.situations().get("promotion-with-the-sync-worker-running"));

        Report failed = check(copy(before).step(new Operation.Promote("standby1"), new Outcome.Failed("55000", "server is not in standby mode"))
                .build());
        assertEquals(0, failed.situations().get("promotion-with-a-temporary-copy"), "no promotion, nothing to show");
    }

    // ---- the barrier (§1 item 14)

    @Test
    void consumingPastAStoppedListedStandbyReachesTheBarrierSituation() {
        Operation consume = new Operation.ConsumeChanges("primary", "s", null, false);
        HistoryBuilder history = new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).flush("0/3000400").setting("synchronized_standby_slots", "standby1")
                        .with(slot("s").confirmed("0/3000000"), slot("standby1").physical().restart("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.StopNode("standby1", false), primary("primary", PRIMARY_PORT).flush("0/3000400")
                        .setting("synchronized_standby_slots", "standby1")
                        .with(slot("s").confirmed("0/3000000"), slot("standby1").physical().restart("0/3000100")));
        Report report = check(history.step(consume, new Outcome.Unknown("cancelled at 5 s"), primary("primary", PRIMARY_PORT)
                .flush("0/3000400").setting("synchronized_standby_slots", "standby1")
                .with(slot("s").confirmed("0/3000100"), slot("standby1").physical().restart("0/3000100"))).build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(1, report.situations().get("barrier-with-standby-down"));
        assertEquals(0, report.situations().get("barrier-with-standby-cut-off"));
    }

    @Test
    void aHeldConsumerReachesTheSituationOfWhatHoldsItFirst() {
        Function<String, Report> heldBy = listed -> {
            Fixtures.Node primary = primary("primary", PRIMARY_PORT).setting("synchronized_standby_slots", listed)
                    .with(slot("s"), slot("standby1").physical().restart("0/3000100"), slot("lost").physical().invalidated("wal_removed", null))
                    .log("2026-12-07 10:00:00.000 UTC [100] postmaster: LOG:  database system is ready to accept connections");
            return check(new HistoryBuilder(PG17).ok(IDLE, primary)
                    .heldByTheBarrier(new Operation.ConsumeChanges("primary", "s", null, false), primary).build());
        };
        assertEquals(List.of(1, 0, 0), reached(heldBy.apply("gone,standby1")));
        assertEquals(List.of(0, 1, 0), reached(heldBy.apply("standby1,lost")));
        assertEquals(List.of(0, 0, 1), reached(heldBy.apply("lost")));
    }

    private static List<Integer> reached(Report report) {
        return Stream.of("held-by-a-listed-name-of-no-physical-slot", "held-by-a-listed-standby-away", "held-by-an-invalidated-listed-slot")
                .map(report.situations()::get).toList();
    }

    // ---- predicted refusals

    @Test
    void aPredictedRefusalIsReachedWhateverTheServerAnswers() {
        HistoryBuilder base = new HistoryBuilder(PG17).ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()));
        Operation drop = new Operation.DropSlot("standby1", "s");
        Report refused = check(copy(base).step(drop, new Outcome.Failed("55000", "cannot drop replication slot \"s\"")).build());
        Report dropped = check(copy(base).ok(drop).build());
        assertEquals(1, refused.situations().get("drop-synced-copy-on-standby"));
        assertEquals(1, dropped.situations().get("drop-synced-copy-on-standby"));
        assertFalse(dropped.holds(), "and the server that dropped it is caught there");
    }

    private static HistoryBuilder copy(HistoryBuilder builder) {
        HistoryBuilder copy = new HistoryBuilder(builder.build().serverVersion());
        builder.build().steps().forEach(copy::stepFrom);
        return copy;
    }

    // ---- what a cycle copies, what a manual sync leaves, what the worker drops (§1 items 2, 7, 12)

    @Test
    void aSlotMadeAgainWithAnotherPluginIsReachedByTheNextCycle() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s").plugin("pgoutput")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s").plugin("pgoutput")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().plugin("pgoutput")))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(1, report.situations().get("sync-after-a-slot-was-made-again-otherwise"));
        assertEquals(0, report.situations().get("manual-sync-making-a-new-copy"), "the copy was there, persistent");
    }

    @Test
    void aManualSyncThatLogsItCouldNotMakeACopyReadyIsReached() {
        Report report = check(new HistoryBuilder(PG18)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT)
                        .log("2026-12-07 10:00:00.000 UTC [90] client backend: LOG:  could not synchronize replication slot \"s\""))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(1, report.situations().get("manual-sync-making-a-new-copy"));
        assertEquals(1, report.situations().get("manual-sync-that-could-not-make-a-copy-ready"));
    }

    @Test
    void aQuietClusterWithACopyOfADroppedSlotIsReachedThoughTheWorkerDroppedItAlready() {
        Report report = check(new HistoryBuilder(PG17)
                .ok(IDLE, primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on").with(slot("s").synced()))
                .ok(new Operation.DropSlot("primary", "s"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on"))
                .ok(new Operation.AwaitConvergence("standby1", 30), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).setting("sync_replication_slots", "on"))
                .build());
        assertTrue(report.holds(), report.findings().toString());
        assertEquals(1, report.situations().get("quiet-cluster-with-an-obsolete-copy"));
    }
}
