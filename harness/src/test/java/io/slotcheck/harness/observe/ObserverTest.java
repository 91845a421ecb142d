package io.slotcheck.harness.observe;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObserverTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    private final Observer observer = clusters.observer();

    @Test
    void primarySnapshotShowsItsWalItsStandbyAndThePhysicalSlot() {
        Cluster cluster = clusters.startPair("17");
        NodeSnapshot primary = observer.snapshot(cluster.primary());

        assertFalse(primary.inRecovery());
        assertEquals(17, primary.majorVersion());
        assertTrue(primary.serverVersion().startsWith("PostgreSQL 17"), primary.serverVersion());
        assertEquals(1, primary.timeline());
        assertNotNull(primary.currentLsn());
        assertFalse(primary.flushLsn().isAfter(primary.currentLsn()), "flushed WAL is never ahead of written WAL");
        assertEquals("streaming", primary.replication().get(0).state());
        assertEquals("standby1", primary.replication().get(0).applicationName());
        SlotRow physical = primary.slot("standby1").orElseThrow();
        assertEquals("physical", physical.slotType());
        assertTrue(physical.active());
        assertEquals(Boolean.FALSE, physical.failover(), "PG17 has the failover column; physical slots are never failover");
        assertEquals("logical", primary.settings().get("wal_level"));
        assertEquals("off", primary.settings().get("sync_replication_slots"));
    }

    @Test
    void standbySnapshotShowsRecoveryPositionsAndItsWalReceiver() {
        Cluster cluster = clusters.startPair("17");
        NodeSnapshot standby = observer.snapshot(cluster.standby());

        assertTrue(standby.inRecovery());
        assertNull(standby.currentLsn());
        assertNotNull(standby.replayLsn());
        assertNotNull(standby.receiveLsn());
        assertFalse(standby.flushLsn().isBefore(standby.replayLsn()), "the standby's flush position covers what it replayed");
        assertEquals("streaming", standby.walReceiver().orElseThrow().status());
        assertEquals("standby1", standby.walReceiver().orElseThrow().slotName());
        assertEquals(1, standby.timeline());
        assertEquals("standby1", standby.settings().get("primary_slot_name"));
        assertTrue(standby.settings().get("primary_conninfo").contains("dbname=postgres"), standby.settings().get("primary_conninfo"));
    }

    @Test
    void keepsOneSessionPerServerLifeAndReconnectsAfterARestartOrACrash() {
        Cluster cluster = clusters.startPair("17");
        Node primary = cluster.primary();
        String first = observer.snapshot(primary).serverVersion();
        // the sessions other than the asking one: a new session of the second snapshot would be a pid not there before
        // (the one that asked the first time may still be listed while it exits)
        String otherSessions = "SELECT coalesce(string_agg(pid::text, ','), '') FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()";
        Set<String> before = Set.of(primary.queryValue(otherSessions).split(","));
        observer.snapshot(primary);
        Set<String> after = Set.of(primary.queryValue(otherSessions).split(","));
        assertTrue(before.containsAll(after), "a second snapshot reuses the session of the first: " + before + " then " + after);

        primary.restart();
        assertEquals(first, observer.snapshot(primary).serverVersion(), "a snapshot after a restart");
        primary.kill9();
        primary.start();
        assertEquals(first, observer.snapshot(primary).serverVersion(), "a snapshot after a crash");
    }

    @Test
    void eachSnapshotCarriesOnlyTheLogLinesWrittenSinceThePreviousOne() {
        Cluster cluster = clusters.startPair("17");
        assertTrue(observer.snapshot(cluster.primary()).logLines().stream().anyMatch(l -> l.contains("ready to accept connections")),
                "the first snapshot has the server's start");

        cluster.primary().execute("DO $$ BEGIN RAISE LOG 'slotcheck-marker-1'; END $$");
        NodeSnapshot second = observer.snapshot(cluster.primary());
        NodeSnapshot third = observer.snapshot(cluster.primary());

        assertTrue(second.logLines().stream().anyMatch(l -> l.contains("slotcheck-marker-1")), String.join("\n", second.logLines()));
        assertTrue(second.logLines().stream().noneMatch(l -> l.contains("ready to accept connections")));
        assertTrue(third.logLines().stream().noneMatch(l -> l.contains("slotcheck-marker-1")));
    }

    @Test
    void columnsAVersionLacksReadAsNull() {
        Cluster pg16 = clusters.startPair("16");
        Cluster pg18 = clusters.startPair("18");

        SlotRow slot16 = observer.snapshot(pg16.primary()).slot("standby1").orElseThrow();
        assertNull(slot16.failover(), "16 has no failover column");
        assertNull(slot16.synced(), "16 has no synced column");
        assertNull(slot16.invalidationReason());

        pg18.primary().execute("SELECT pg_create_logical_replication_slot('two_phase_slot', 'test_decoding', false, true, true)");
        SlotRow slot18 = observer.snapshot(pg18.primary()).slot("two_phase_slot").orElseThrow();
        assertTrue(slot18.twoPhase());
        assertNotNull(slot18.twoPhaseAt(), "18 shows two_phase_at for a two_phase slot");
        assertEquals(Boolean.TRUE, slot18.failover());
    }
}
