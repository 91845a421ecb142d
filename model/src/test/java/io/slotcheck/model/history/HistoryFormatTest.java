package io.slotcheck.model.history;

import io.slotcheck.model.Fixtures.HistoryBuilder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.HistoryFormat.HistoryFormatException;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryFormatTest {

    /** A legal history touching every kind of value: slots, positions, outcomes, log lines, a failed step. */
    static History legal() {
        return new HistoryBuilder(PG17)
                .ok(new Operation.CreateLogicalSlot("primary", "s", "test_decoding", false, false, true),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100"), slot("standby1").physical()),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT))
                .ok(new Operation.SyncSlots("standby1"),
                        primary("primary", PRIMARY_PORT).with(slot("s").confirmed("0/3000100"), slot("standby1").physical()),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000100"))
                                .log("2026-11-22 03:00:01.000 UTC [99] client backend: LOG:  newly created replication slot \"s\" is sync-ready now"),
                        primary("subscriber", 5434).subscription("sub1", PRIMARY_PORT).transactions(1, 2, 3))
                .step(new Operation.DropSlot("standby1", "s"), new Outcome.Failed("55000", "cannot drop replication slot \"s\""),
                        standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000200").with(slot("s").synced().confirmed("0/3000100")))
                .step(new Operation.ConsumeChanges("primary", "s", Lsn.parse("0/3000180"), false), new Outcome.Unknown("timed out after 30 s"))
                .build();
    }

    @Test
    void aHistoryReadsBackAsItWasWritten() {
        History history = legal();
        String text = HistoryFormat.write(history);

        assertTrue(text.startsWith("{\"format\":\"slotcheck-history\",\"format_version\":1,"), text);
        assertTrue(text.contains("\"type\":\"create_logical_slot\""), text);
        assertTrue(text.contains("\"confirmed_flush_lsn\":\"0/3000100\""), text);
        assertEquals(5, text.lines().count());
        assertEquals(history, HistoryFormat.read(text));
    }

    @Test
    void aHistoryOfTheExtensionSaysSoAndOneOfTheServersOwnSlotSyncSaysNothing() {
        History extension = new HistoryBuilder(PG17).slotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS)
                .ok(new Operation.Checkpoint("primary"), primary("primary", PRIMARY_PORT)).build();
        String text = HistoryFormat.write(extension);
        assertTrue(text.lines().findFirst().orElseThrow().contains("\"slot_sync\":\"pg_failover_slots\""), text);
        assertEquals(extension, HistoryFormat.read(text));
        assertFalse(HistoryFormat.write(legal()).lines().findFirst().orElseThrow().contains("slot_sync"), "histories of before read the same");
        assertEquals(SlotSyncMechanism.BUILT_IN, HistoryFormat.read(HistoryFormat.write(legal())).slotSync());
        HistoryFormatException unknown = assertThrows(HistoryFormatException.class,
                () -> HistoryFormat.read(text.replace("\"slot_sync\":\"pg_failover_slots\"", "\"slot_sync\":\"repmgr\"")));
        assertEquals("line 1: unknown slot sync 'repmgr' (known: built-in, pg_failover_slots)", unknown.getMessage());
    }

    @Test
    void theOfflineCheckGivesTheSameVerdictsAsTheOnlineOne() {
        History history = legal();
        HistoryChecker.Report online = HistoryChecker.check(history, Invariants.all());
        HistoryChecker.Report offline = HistoryChecker.check(HistoryFormat.read(HistoryFormat.write(history)), Invariants.all());

        assertTrue(online.holds(), online.findings().toString());
        assertEquals(online.findings(), offline.findings());
        assertEquals(online.exercised(), offline.exercised());
    }

    @Test
    void mutatingOneFieldIntoAnIllegalValueIsCaught() {
        String text = HistoryFormat.write(legal());
        // the synced copy claims a confirmed_flush_lsn beyond what its standby flushed (0/3000200)
        String mutated = text.replace("\"synced\":true,\"slotsync_skip_reason\":null", "\"synced\":true,\"slotsync_skip_reason\":null,\"x\":0")
                .replace("\"confirmed_flush_lsn\":\"0/3000100\",\"wal_status\":\"reserved\",\"safe_wal_size\":null,\"two_phase\":false,"
                        + "\"two_phase_at\":null,\"inactive_since\":\"2026-11-22T03:00:00Z\",\"conflicting\":false,\"invalidation_reason\":null,"
                        + "\"failover\":true,\"synced\":true",
                        "\"confirmed_flush_lsn\":\"0/3000900\",\"wal_status\":\"reserved\",\"safe_wal_size\":null,\"two_phase\":false,"
                                + "\"two_phase_at\":null,\"inactive_since\":\"2026-11-22T03:00:00Z\",\"conflicting\":false,\"invalidation_reason\":null,"
                                + "\"failover\":true,\"synced\":true");
        assertFalse(mutated.equals(text), "the mutation applied");

        HistoryChecker.Report report = HistoryChecker.check(HistoryFormat.read(mutated), Invariants.all());

        assertFalse(report.holds());
        assertEquals("synced-confirmed-flush-within-standby-flush", report.findings().get(0).invariant().name());
    }

    @Test
    void aTransactionRepeatedOnASubscriberByMutationIsCaught() {
        String text = HistoryFormat.write(legal());
        String mutated = text.replace("\"transactions\":[1,2,3]", "\"transactions\":[1,2,2,3]");
        assertFalse(mutated.equals(text), "the mutation applied");

        HistoryChecker.Report report = HistoryChecker.check(HistoryFormat.read(mutated), Invariants.all());

        assertEquals(List.of("each-transaction-applied-once"), report.findings().stream().map(f -> f.invariant().name()).toList());
    }

    @Test
    void aHistoryWrittenBeforeRowsWereObservedReadsWithNone() {
        String older = HistoryFormat.write(legal()).replaceAll(",\"transactions\":\\[[0-9,]*\\],\"subscriptions\":\\[[^\\]]*\\]", "");
        assertFalse(older.contains("\"transactions\""), older);

        History read = HistoryFormat.read(older);

        assertEquals(List.of(), read.steps().get(1).observation("subscriber").orElseThrow().transactions());
        assertEquals(List.of(), read.steps().get(1).observation("subscriber").orElseThrow().subscriptions());
    }

    @Test
    void aBrokenFileIsRefusedWithItsLineAndField() {
        String text = HistoryFormat.write(legal());
        assertEquals("the file is empty: a history starts with a header line",
                assertThrows(HistoryFormatException.class, () -> HistoryFormat.read("")).getMessage());
        assertTrue(assertThrows(HistoryFormatException.class, () -> HistoryFormat.read("{\"format\":\"other\"}")).getMessage()
                .startsWith("line 1: not a slotcheck history"));
        assertTrue(assertThrows(HistoryFormatException.class, () -> HistoryFormat.read(text.replace("\"format_version\":1", "\"format_version\":9")))
                .getMessage().contains("format_version 9 is not one this slotcheck reads"));
        String badLsn = text.replace("\"flush_lsn\":\"0/3000200\"", "\"flush_lsn\":\"zero\"");
        String message = assertThrows(HistoryFormatException.class, () -> HistoryFormat.read(badLsn)).getMessage();
        assertTrue(message.matches("line \\d: observations\\.\\w+\\.flush_lsn: not an LSN: .zero."), message);
        String unknownOperation = text.replace("create_logical_slot", "make_coffee");
        assertTrue(assertThrows(HistoryFormatException.class, () -> HistoryFormat.read(unknownOperation)).getMessage()
                .contains("unknown operation type 'make_coffee'"));
        assertTrue(assertThrows(HistoryFormatException.class, () -> HistoryFormat.read(text + "{not json\n")).getMessage()
                .startsWith("line 6: not JSON"));
    }

    @Test
    void theFormatDocumentNamesEveryOperationType() throws java.io.IOException {
        String document = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "history-format.md"));
        for (Class<?> operation : Operation.class.getPermittedSubclasses()) {
            String type = io.slotcheck.model.json.RecordCodec.typeNameOf(operation);
            assertTrue(document.contains("`" + type + "`"), "docs/history-format.md names the operation type " + type);
        }
    }
}
