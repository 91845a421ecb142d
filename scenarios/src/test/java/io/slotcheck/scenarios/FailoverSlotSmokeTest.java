package io.slotcheck.scenarios;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeSqlException;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.observe.Observer;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke tests of the foundation, straight from the seeds: a failover slot synced manually and by the worker,
 * a failover that keeps every change after the synced {@code confirmed_flush_lsn}, and the documented error for
 * a standby whose {@code primary_conninfo} lacks dbname. On PostgreSQL 17 and 18.
 */
class FailoverSlotSmokeTest {

    private static final Duration SYNC_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final Clusters clusters = new Clusters();

    private final Observer observer = clusters.observer();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void manualSyncMakesAPersistentSyncedCopy(String version) {
        Cluster cluster = clusters.startPair(version);
        Node primary = cluster.primary();
        Node standby = cluster.standby();
        primary.execute("SELECT pg_create_logical_replication_slot('lslot', 'test_decoding', false, false, true)");

        syncManuallyUntilReady(primary, standby, "lslot");

        SlotRow copy = observer.snapshot(standby).slot("lslot").orElseThrow();
        SlotRow original = observer.snapshot(primary).slot("lslot").orElseThrow();
        assertTrue(copy.isSynced(), "synced");
        assertFalse(copy.temporary(), "temporary");
        assertTrue(copy.isFailover(), "failover");
        assertEquals("test_decoding", copy.plugin());
        assertEquals(original.confirmedFlushLsn(), copy.confirmedFlushLsn(), "confirmed_flush_lsn of an idle slot after a cycle");
        assertFalse(original.isSynced(), "the primary's own slot is not a synced copy");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void syncWorkerCopiesANewSlotWithoutAManualCall(String version) {
        Cluster cluster = clusters.startPair(version);
        Node primary = cluster.primary();
        Node standby = cluster.standby();
        long logOffset = standby.log().offset();
        standby.setAndReload(Map.of("sync_replication_slots", "on"));
        standby.waitForLog(Pattern.compile("slot sync worker started"), logOffset, Node.DEFAULT_BOUND);

        primary.execute("SELECT pg_create_logical_replication_slot('auto_slot', 'pgoutput', false, false, true)",
                "SELECT pg_log_standby_snapshot()");
        standby.waitForSlotSyncReady("auto_slot", SYNC_BOUND);

        NodeSnapshot snapshot = observer.snapshot(standby);
        SlotRow copy = snapshot.slot("auto_slot").orElseThrow();
        assertEquals("pgoutput", copy.plugin());
        assertFalse(copy.confirmedFlushLsn().isAfter(snapshot.flushLsn()),
                "a synced slot's confirmed_flush_lsn " + copy.confirmedFlushLsn() + " is never ahead of the standby's flushed WAL " + snapshot.flushLsn());
        assertEquals("1", standby.queryValue("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'slotsync worker'"));
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void promotedStandbyDecodesEveryChangeCommittedAfterConfirmedFlush(String version) {
        Cluster cluster = clusters.startPair(version);
        Node primary = cluster.primary();
        Node standby = cluster.standby();
        primary.execute("CREATE TABLE t (id int PRIMARY KEY)",
                "SELECT pg_create_logical_replication_slot('lslot', 'test_decoding', false, false, true)",
                "INSERT INTO t SELECT generate_series(1, 10)",
                "SELECT pg_log_standby_snapshot()");
        primary.waitForWalFlush();
        // a consumer takes rows 1..10 and the snapshot record after them: confirmed_flush_lsn and catalog_xmin move
        // past them. Only then can the copy be persisted: a new copy needs the primary's catalog_xmin to be no older
        // than what the standby can guarantee, or the sync logs "could lead to data loss" and retries.
        assertEquals(12, primary.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)").size());
        syncManuallyUntilReady(primary, standby, "lslot");
        primary.execute("INSERT INTO t SELECT generate_series(11, 20)");
        Lsn confirmedOnPrimary = Lsn.parse(primary.queryValue("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'lslot'"));
        Waits.until("the synced copy of lslot to reach the primary's confirmed_flush_lsn " + confirmedOnPrimary, SYNC_BOUND, () -> {
            syncOnce(primary, standby);
            return observer.snapshot(standby).slot("lslot").filter(SlotRow::isFailoverReady).map(SlotRow::confirmedFlushLsn).orElse(null);
        }, confirmedOnPrimary::equals);

        primary.stop(StopMode.IMMEDIATE);
        standby.promote();

        SlotRow afterPromotion = observer.snapshot(standby).slot("lslot").orElseThrow();
        assertTrue(afterPromotion.isSynced() && !afterPromotion.temporary(), "the copy stays synced and persistent after promotion");
        List<String> changes = standby.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)")
                .stream().map(row -> row.get(0)).toList();
        List<String> inserts = changes.stream().filter(c -> c.startsWith("table public.t: INSERT")).toList();
        assertEquals(IntStream.rangeClosed(11, 20).mapToObj(i -> "table public.t: INSERT: id[integer]:" + i).toList(), inserts,
                "every change committed after confirmed_flush_lsn, none before it; all decoded: " + changes);

        standby.execute("INSERT INTO t VALUES (21)");
        assertEquals(List.of("table public.t: INSERT: id[integer]:21"),
                standby.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL) WHERE data LIKE 'table%'")
                        .stream().map(row -> row.get(0)).toList(), "the new primary keeps decoding new changes");
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void standbyWithoutDbnameInPrimaryConninfoGetsTheDocumentedError(String version) {
        Cluster cluster = clusters.startPair(version);
        Node primary = cluster.primary();
        Node standby = cluster.standby();
        standby.setAndReload(Map.of("primary_conninfo", primary.connectionString(null) + " application_name=standby1"));

        NodeSqlException error = assertThrows(NodeSqlException.class, () -> standby.execute("SELECT pg_sync_replication_slots()"));
        assertEquals("replication slot synchronization requires \"dbname\" to be specified in \"primary_conninfo\"", error.serverMessage());
        assertEquals("22023", error.sqlState(), "ERRCODE_INVALID_PARAMETER_VALUE");
    }

    /** The seeds' recipe: log a standby snapshot, let the standby replay it, run one sync cycle; repeat until ready. */
    private void syncManuallyUntilReady(Node primary, Node standby, String slot) {
        Waits.until(slot + " synced and persistent on " + standby.name() + " after manual syncs", SYNC_BOUND, () -> {
            syncOnce(primary, standby);
            return observer.snapshot(standby).slot(slot).map(SlotRow::isFailoverReady).orElse(false);
        }, Boolean::booleanValue);
    }

    private static void syncOnce(Node primary, Node standby) {
        primary.execute("SELECT pg_log_standby_snapshot()");
        primary.waitForWalFlush();
        primary.waitForCatchup(standby);
        standby.execute("SELECT pg_sync_replication_slots()");
    }
}
