package io.slotcheck.scenarios;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.observe.HistoryRecorder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Report;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recorded history of real servers, checked by the model online and offline: failover slot sync, the
 * synchronized_standby_slots barrier, every operation PostgreSQL must refuse on a standby, a configuration error,
 * crash and promotion. The check must hold,
 * must have exercised the invariants it claims, and must catch a single mutated observation.
 */
class RecordedHistoryConformanceTest {

    private static final Duration SYNC_BOUND = Duration.ofSeconds(30);
    private static final List<String> MUST_BE_EXERCISED = List.of(
            "synced-confirmed-flush-within-standby-flush", "synced-copies-only-of-persistent-failover-slots",
            "synced-positions-never-retreat", "primary-confirmed-flush-never-retreats", "no-temporary-synced-slot-out-of-recovery",
            "synced-copy-not-ahead-of-primary", "synced-slots-are-failover-logical-slots", "conflicting-follows-invalidation-reason",
            "no-rows-removed-while-feedback-holds", "invalidation-propagates", "persistent-copy-catches-up-in-a-cycle",
            "standby-barrier-holds-back-failover-consumers", "documented-outcome");
    /** Six refusals, the decoding after promotion, and the unknown slot in synchronized_standby_slots. */
    private static final int DOCUMENTED_OUTCOMES = 8;

    @RegisterExtension
    final Clusters clusters = new Clusters();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(strings = {"17", "18"})
    void recordedFailoverHistoryConformsOnlineAndOffline(String version) throws IOException {
        Cluster cluster = clusters.startPair(version);
        History history;
        try (HistoryRecorder recorder = new HistoryRecorder(cluster, "embedded " + version)) {
            history = recordFailover(cluster, recorder);
        }

        Report online = HistoryChecker.check(history, Invariants.all());
        assertTrue(online.holds(), String.join("\n", online.findings().stream().map(Object::toString).toList()));
        System.out.println("exercised on PostgreSQL " + version + ": " + online.exercised());
        for (String invariant : MUST_BE_EXERCISED) {
            assertTrue(online.exercised().get(invariant) > 0, invariant + " was exercised: " + online.exercised());
        }

        assertEquals(DOCUMENTED_OUTCOMES, online.exercised().get("documented-outcome"), "every refused operation and the accepted"
                + " unknown standby slot were judged against the documented outcome");

        Path file = Path.of("target", "histories", "failover-pg" + version + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, HistoryFormat.write(history));
        Report offline = HistoryChecker.check(HistoryFormat.read(Files.readString(file)), Invariants.all());
        assertEquals(online.findings(), offline.findings());
        assertEquals(online.exercised(), offline.exercised());

        Report mutated = HistoryChecker.check(withCopyAheadOfStandbyFlush(history), Invariants.all());
        assertFalse(mutated.holds(), "a synced copy moved past the standby's flushed WAL is caught");
        assertEquals("synced-confirmed-flush-within-standby-flush", mutated.findings().get(0).invariant().name());
    }

    private static History recordFailover(Cluster cluster, HistoryRecorder recorder) {
        Node primary = cluster.primary();
        Node standby = cluster.standby();
        recorder.step(new Operation.WriteTransactions("primary", 1, true), () -> primary.execute("CREATE TABLE t (id int PRIMARY KEY)"));
        recorder.step(new Operation.CreateLogicalSlot("primary", "lslot", "test_decoding", false, false, true),
                () -> primary.execute("SELECT pg_create_logical_replication_slot('lslot', 'test_decoding', false, false, true)"));
        recorder.step(new Operation.WriteTransactions("primary", 10, false), () -> primary.execute("INSERT INTO t SELECT generate_series(1, 10)"));
        logStandbySnapshot(recorder, primary, standby);
        recorder.step(new Operation.ConsumeChanges("primary", "lslot", null, false),
                () -> primary.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)"));
        syncUntilReady(recorder, primary, standby);

        // 17.7+ and 18.1+ accept a slot that does not exist (and report it when a walsender waits)
        recorder.step(new Operation.SetSetting("primary", "synchronized_standby_slots", "no_such_slot"),
                () -> primary.setAndReload(Map.of("synchronized_standby_slots", "no_such_slot")));
        // the barrier: with standby1 listed, the consumer gets nothing standby1 has not flushed
        recorder.step(new Operation.SetSetting("primary", "synchronized_standby_slots", "standby1"),
                () -> primary.setAndReload(Map.of("synchronized_standby_slots", "standby1")));
        recorder.step(new Operation.WriteTransactions("primary", 3, false), () -> primary.execute("INSERT INTO t SELECT generate_series(101, 103)"));
        recorder.step(new Operation.ConsumeChanges("primary", "lslot", null, false),
                () -> primary.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)"));
        logStandbySnapshot(recorder, primary, standby);
        recorder.step(new Operation.SyncSlots("standby1"), () -> standby.execute("SELECT pg_sync_replication_slots()"));

        // what a standby must refuse, each with its documented error
        String standbyLsn = standby.lsn().toString();
        refused(recorder.step(new Operation.DropSlot("standby1", "lslot"), () -> standby.execute("SELECT pg_drop_replication_slot('lslot')")));
        refused(recorder.step(new Operation.ConsumeChanges("standby1", "lslot", null, false),
                () -> standby.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)")));
        refused(recorder.step(new Operation.AdvanceSlot("standby1", "lslot", Lsn.parse(standbyLsn)),
                () -> standby.execute("SELECT pg_replication_slot_advance('lslot', '" + standbyLsn + "')")));
        refused(recorder.step(new Operation.CreateLogicalSlot("standby1", "mine", "test_decoding", false, false, true),
                () -> standby.execute("SELECT pg_create_logical_replication_slot('mine', 'test_decoding', false, false, true)")));
        refused(recorder.step(new Operation.SyncSlots("primary"), () -> primary.execute("SELECT pg_sync_replication_slots()")));
        String withoutDbname = primary.connectionString(null) + " application_name=standby1";
        recorder.step(new Operation.SetSetting("standby1", "primary_conninfo", withoutDbname),
                () -> standby.setAndReload(Map.of("primary_conninfo", withoutDbname)));
        refused(recorder.step(new Operation.SyncSlots("standby1"), () -> standby.execute("SELECT pg_sync_replication_slots()")));
        String withDbname = primary.connectionString("postgres") + " application_name=standby1";
        recorder.step(new Operation.SetSetting("standby1", "primary_conninfo", withDbname),
                () -> standby.setAndReload(Map.of("primary_conninfo", withDbname)));

        // failover: the persistent copy is usable on the new primary
        recorder.step(new Operation.WriteTransactions("primary", 5, false), () -> primary.execute("INSERT INTO t SELECT generate_series(11, 15)"));
        recorder.step(new Operation.StopNode("primary", true), () -> primary.stop(io.slotcheck.harness.cluster.StopMode.IMMEDIATE));
        recorder.step(new Operation.Promote("standby1"), standby::promote);
        assertInstanceOf(Outcome.Ok.class, recorder.step(new Operation.ConsumeChanges("standby1", "lslot", null, false),
                () -> standby.queryRows("SELECT data FROM pg_logical_slot_get_changes('lslot', NULL, NULL)")).outcome());
        return recorder.history();
    }

    private static void logStandbySnapshot(HistoryRecorder recorder, Node primary, Node standby) {
        recorder.step(new Operation.LogStandbySnapshot("primary"), () -> {
            primary.execute("SELECT pg_log_standby_snapshot()");
            primary.waitForWalFlush();
            primary.waitForCatchup(standby);
        });
    }

    private static void syncUntilReady(HistoryRecorder recorder, Node primary, Node standby) {
        Waits.until("lslot synced and persistent on standby1", SYNC_BOUND, () -> {
            logStandbySnapshot(recorder, primary, standby);
            return recorder.step(new Operation.SyncSlots("standby1"), () -> standby.execute("SELECT pg_sync_replication_slots()"))
                    .observation("standby1").flatMap(s -> s.slot("lslot")).map(SlotRow::isFailoverReady).orElse(false);
        }, Boolean::booleanValue);
    }

    private static void refused(Step step) {
        assertInstanceOf(Outcome.Failed.class, step.outcome(), "PostgreSQL refuses " + step.operation());
    }

    /** The same history, but in the last observation of standby1 with a synced slot, that copy claims WAL the standby lacks. */
    private static History withCopyAheadOfStandbyFlush(History history) {
        List<Step> steps = new ArrayList<>(history.steps());
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            NodeSnapshot standby = step.observations().get("standby1");
            if (standby != null && standby.inRecovery() && standby.slot("lslot").filter(SlotRow::isSynced).isPresent()) {
                Lsn beyond = new Lsn(standby.flushLsn().value() + 1);
                List<SlotRow> slots = standby.slots().stream()
                        .map(s -> s.slotName().equals("lslot") ? s.withConfirmedFlushLsn(beyond) : s).toList();
                Map<String, NodeSnapshot> observations = new LinkedHashMap<>(step.observations());
                observations.put("standby1", standby.withSlots(slots));
                steps.set(i, new Step(step.index(), step.operation(), step.outcome(), observations));
                return new History(history.target(), history.serverVersion(), history.slotSync(), history.seed(), steps);
            }
        }
        throw new AssertionError("the history has no synced copy to mutate");
    }
}
