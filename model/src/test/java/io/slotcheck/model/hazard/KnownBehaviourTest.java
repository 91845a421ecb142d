package io.slotcheck.model.hazard;

import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.hazard.KnownBehaviour.Sighting;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PG18;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KnownBehaviourTest {

    private static final Operation SYNC = new Operation.SyncSlots("standby1");

    @Test
    void aManualSyncStoppedByALeftoverSlotIsSighted() {
        assertEquals(List.of(new Sighting(2, KnownBehaviour.LEFTOVER_SLOT_BLOCKS_SYNC)), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .step(SYNC, new Outcome.Failed("55000",
                                "exiting from slot synchronization because same name slot \"s\" already exists on the standby"),
                        primary("primary", PRIMARY_PORT), standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build()));
    }

    @Test
    void theWorkerLoggingAMissingDbnameIsSighted() {
        assertEquals(List.of(new Sighting(1, KnownBehaviour.CONNINFO_WITHOUT_DBNAME)), KnownBehaviour.sightings(new HistoryBuilder(PG18)
                .ok(new Operation.SetSetting("standby1", "sync_replication_slots", "on"), primary("primary", PRIMARY_PORT),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).log("2026-11-22 07:00:00 UTC [42] FATAL:  replication slot"
                                + " synchronization requires \"dbname\" to be specified in \"primary_conninfo\""))
                .build()));
    }

    @Test
    void promotingWhileACopyIsTemporaryIsSightedButNotAfterItBecameSyncReady() {
        Operation promote = new Operation.Promote("standby1");
        assertEquals(List.of(new Sighting(2, KnownBehaviour.PROMOTED_BEFORE_SYNC_READY)), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().temporary()))
                .ok(promote, standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build()));
        assertEquals(List.of(), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(promote, standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build()));
    }

    private static final String PG16 = "PostgreSQL 16.4 (IvorySQL 3.4) on x86_64-pc-linux-gnu, compiled by gcc 12.2.0, 64-bit";

    @Test
    void theExtensionMakingOneCopyWhileAnotherSlotHasNoneIsSightedWhereItKeepsTheCopies() {
        Operation wait = new Operation.AwaitConvergence("standby1", 3);
        HistoryBuilder held = new HistoryBuilder(PG16).slotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS)
                .ok(wait, primary("primary", PRIMARY_PORT).with(slot("s1").restart("0/3000100"), slot("s2").restart("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000300").with(slot("s1").restart("0/3000200").beingMade()));
        assertEquals(List.of(new Sighting(1, KnownBehaviour.PG_FAILOVER_SLOTS_COPY_BEING_MADE_HOLDS_BACK_THE_OTHERS)), KnownBehaviour.sightings(held.build()));
        assertEquals(List.of(), KnownBehaviour.sightings(new HistoryBuilder(PG16).slotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS)
                .ok(wait, primary("primary", PRIMARY_PORT).with(slot("s1").restart("0/3000100"), slot("s2").restart("0/3000100")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000300")
                                .with(slot("s1").restart("0/3000200").beingMade(), slot("s2").restart("0/3000100").beingMade()))
                .build()), "every slot has its copy, made or being made");
    }

    @Test
    void promotingWhileTheExtensionIsStillMakingACopyIsSightedButNotOnceItIsReady() {
        Operation promote = new Operation.Promote("standby1");
        Operation wait = new Operation.AwaitConvergence("standby1", 3);
        assertEquals(List.of(new Sighting(2, KnownBehaviour.PG_FAILOVER_SLOTS_PROMOTED_WITH_A_COPY_BEING_MADE)), KnownBehaviour.sightings(
                new HistoryBuilder(PG16).slotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS)
                        .ok(wait, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").beingMade()))
                        .ok(promote, standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                        .build()));
        assertEquals(List.of(), KnownBehaviour.sightings(new HistoryBuilder(PG16).slotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS)
                .ok(wait, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s")))
                .ok(promote, standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .build()));
    }

    @Test
    void theWorkerStoppedByACopyAheadOfItsRecoveredSlotIsSighted() {
        assertEquals(List.of(new Sighting(1, KnownBehaviour.COPY_AHEAD_OF_RECOVERED_SLOT_STOPS_SYNC)), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(new Operation.AwaitConvergence("standby1", 30), primary("primary", PRIMARY_PORT).with(slot("s1").confirmed("0/3034FB0")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s1").synced().confirmed("0/3034FE8"))
                                .log("2026-11-22 10:39:00.803 UTC [5426] slotsync worker: ERROR:  cannot synchronize local slot \"s1\""))
                .build()));
    }

    @Test
    void aCopyLosingItsRowsAfterThePrimaryCrashedIsSightedOnceAndNotWithoutTheCrash() {
        var invalidated = standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().invalidated("rows_removed", true));
        var vacuum = new Operation.VacuumCatalogs("primary");
        assertEquals(List.of(new Sighting(4, KnownBehaviour.FEEDBACK_HORIZON_LOST_IN_A_PRIMARY_CRASH)), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(new Operation.CrashNode("primary"), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(new Operation.StartNode("primary"), primary("primary", PRIMARY_PORT).with(slot("s")),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(vacuum, primary("primary", PRIMARY_PORT).with(slot("s")), invalidated)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")), invalidated)
                .build()));
        assertEquals(List.of(), KnownBehaviour.sightings(new HistoryBuilder(PG17)
                .ok(SYNC, primary("primary", PRIMARY_PORT).with(slot("s")), standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced()))
                .ok(vacuum, primary("primary", PRIMARY_PORT).with(slot("s")), invalidated)
                .build()));
    }
}
