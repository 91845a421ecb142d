package io.slotcheck.model.operation;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the pg_failover_slots worker copies, drops and waits for, as its source decides it. */
class PgFailoverSlotsTest {

    private static final NodeSnapshot PRIMARY = primary("primary", PRIMARY_PORT).flush("0/3000500")
            .with(slot("app_1").plugin("pgoutput").restart("0/3000100").confirmed("0/3000400"),
                    slot("app_2").plugin("test_decoding").restart("0/3000200").confirmed("0/3000400"),
                    slot("etl").plugin("test_decoding").restart("0/3000300").confirmed("0/3000400"))
            .snapshot();

    private static List<String> named(String filter) {
        NodeSnapshot standby = standby("standby1", STANDBY_PORT, PRIMARY_PORT).snapshot()
                .withSettings(filter == null ? Map.of() : Map.of(PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, filter));
        return PgFailoverSlots.slotsToCopy(standby, PRIMARY).stream().map(SlotRow::slotName).toList();
    }

    @Test
    void filtersNameSlotsByNameLikeOrPlugin() {
        assertEquals(List.of("app_1", "app_2", "etl"), named(null), "the default, name_like:%, is every logical slot");
        assertEquals(List.of("etl"), named("etl"), "a bare entry is a name");
        assertEquals(List.of("app_1", "app_2"), named("name_like:app%"));
        assertEquals(List.of("app_1", "app_2"), named("name_like:app\\__"), "_ is one character; \\_ a literal one");
        assertEquals(List.of("app_1", "etl"), named("name:etl, plugin:pgoutput"), "entries add up");
        assertEquals(List.of(), named(""), "an empty list copies nothing");
    }

    @Test
    void aCycleCopiesNothingWhileTheStandbyIsBehindTheOldestSlotButStillDrops() {
        NodeSnapshot behind = standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000050")
                .with(slot("gone").plugin("test_decoding").restart("0/3000050").confirmed("0/3000050")).snapshot();
        assertEquals(List.of("extra slot gone"), PgFailoverSlots.pendingWork(behind, PRIMARY));
        NodeSnapshot caughtUp = standby("standby1", STANDBY_PORT, PRIMARY_PORT).flush("0/3000500")
                .with(slot("app_1").plugin("pgoutput").restart("0/3000100").confirmed("0/3000400")).snapshot();
        assertEquals(List.of("no copy of app_2", "no copy of etl"), PgFailoverSlots.pendingWork(caughtUp, PRIMARY));
        NodeSnapshot keeping = caughtUp.withSettings(Map.of(PgFailoverSlots.DROP_EXTRA_SLOTS, "off", PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "app_1"));
        assertEquals(List.of(), PgFailoverSlots.pendingWork(keeping.withSlots(List.of(keeping.slots().get(0),
                slot("mine").plugin("test_decoding").restart("0/3000100").confirmed("0/3000100").row())), PRIMARY), "drop_extra_slots off keeps it");
    }

    @Test
    void aCopyIsReadyOnceMadeAndReleased() {
        SlotRow beingMade = slot("s").restart("0/3000100").beingMade().row();
        assertFalse(PgFailoverSlots.isMade(beingMade), "no confirmed_flush_lsn until the primary's slot passed the reservation");
        SlotRow held = slot("s").restart("0/3000100").confirmed("0/3000200").active().row();
        assertTrue(PgFailoverSlots.isMade(held) && !PgFailoverSlots.isReady(held), "held by a cycle");
        assertTrue(PgFailoverSlots.isReady(slot("s").restart("0/3000100").confirmed("0/3000200").row()));
    }

    @Test
    void theBarrierLetsWalsendersSendWhatEveryListedSlotFlushed() {
        // standby1's physical slot is at 0/3000000, as the fixture makes it
        NodeSnapshot primary = primary("primary", PRIMARY_PORT).with(slot("standby2").physical().restart("0/3000200"),
                slot("s").restart("0/3000100").confirmed("0/3000300")).snapshot();
        assertEquals(Optional.empty(), PgFailoverSlots.barrierPosition(primary), "no list, no barrier");
        assertEquals(Optional.of(Lsn.parse("0/3000000")),
                PgFailoverSlots.barrierPosition(primary.withSettings(Map.of(PgFailoverSlots.STANDBY_SLOT_NAMES, "standby1, standby2"))),
                "the oldest of the listed physical slots' restart_lsn");
        assertEquals(Optional.of(Lsn.parse("0/3000300")),
                PgFailoverSlots.barrierPosition(primary.withSettings(Map.of(PgFailoverSlots.STANDBY_SLOT_NAMES, "s"))),
                "a listed logical slot counts by its confirmed_flush_lsn");
        assertEquals(Optional.of(Lsn.INVALID), PgFailoverSlots.barrierPosition(primary.withSettings(Map.of(PgFailoverSlots.STANDBY_SLOT_NAMES, "nowhere"))),
                "a listed slot that is not there holds everything");
    }
}
