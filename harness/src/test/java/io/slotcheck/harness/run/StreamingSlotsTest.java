package io.slotcheck.harness.run;

import io.slotcheck.model.operation.Operation;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Settings that name a standby by its node name the slot it streams through, and nothing else. */
class StreamingSlotsTest {

    private final StreamingSlots slots = new StreamingSlots(Map.of("standby1", "db2"));

    @Test
    void aSettingNamingAStandbyNamesTheSlotItStreamsThrough() {
        assertEquals(new Operation.SetSetting("primary", "synchronized_standby_slots", "db2"),
                slots.naming(new Operation.SetSetting("primary", "synchronized_standby_slots", "standby1")));
        assertEquals(new Operation.SetSetting("standby1", "primary_slot_name", "db2"),
                slots.naming(new Operation.SetSetting("standby1", "primary_slot_name", "standby1")));
    }

    @Test
    void otherValuesSettingsAndOperationsAreLeftAsTheyAre() {
        Operation missing = new Operation.SetSetting("standby1", "primary_slot_name", "nosuchslot");
        Operation other = new Operation.SetSetting("standby1", "hot_standby_feedback", "standby1");
        Operation drop = new Operation.DropSlot("primary", "standby1");
        assertEquals(missing, slots.naming(missing));
        assertEquals(other, slots.naming(other));
        assertEquals(drop, slots.naming(drop));
    }
}
