package io.slotcheck.harness.run;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.SlotRow;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A test double of a server that lies, to check slotcheck itself: seen through it, a primary reports each logical
 * slot's confirmed_flush_lsn one byte lower at every observation, which the model must catch as a retreat. Used by the
 * engine's tests and by {@code ./slotcheck bench --shrink}.
 */
final class LyingPrimary {

    private LyingPrimary() {
    }

    /** A new lens for one cluster: it remembers what it reported for each primary slot and reports one byte less each time. */
    static UnaryOperator<Step> retreatingConfirmedFlush() {
        Map<String, Lsn> reported = new HashMap<>();
        return Mutant.observations(snapshot -> {
            if (snapshot.inRecovery()) {
                return snapshot;
            }
            List<SlotRow> slots = snapshot.slots().stream().map(slot -> {
                if (!slot.isLogical() || slot.confirmedFlushLsn() == null) {
                    return slot;
                }
                Lsn lie = reported.containsKey(slot.slotName()) ? new Lsn(reported.get(slot.slotName()).value() - 1) : slot.confirmedFlushLsn();
                reported.put(slot.slotName(), lie);
                return slot.withConfirmedFlushLsn(lie);
            }).toList();
            return snapshot.withSlots(slots);
        });
    }
}
