package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;

import java.util.List;
import java.util.Optional;

/**
 * What a standby's hot_standby_feedback promises its synced copies: with feedback on through a physical slot, the
 * primary keeps the catalog rows the copies' catalog_xmin needs (§1 item 13), so none is invalidated for removed rows
 * unless its slot on the primary was.
 */
public final class StandbyFeedback {

    private StandbyFeedback() {
    }

    /** Whether {@code node} had hot_standby_feedback on and a primary_slot_name in every observation up to {@code position}. */
    public static boolean heldThroughout(List<Step> steps, int position, String node) {
        return steps.subList(0, position + 1).stream()
                .map(s -> s.observation(node))
                .flatMap(Optional::stream)
                .allMatch(n -> "on".equals(n.settings().get("hot_standby_feedback"))
                        && !String.valueOf(n.settings().getOrDefault("primary_slot_name", "")).isEmpty());
    }

    /** Whether {@code copy} was invalidated for removed rows while {@code primary}'s slot of its name was not. */
    public static boolean rowsRemovedFromUnderIt(SlotRow copy, Optional<NodeSnapshot> primary) {
        return "rows_removed".equals(copy.invalidationReason()) && primary.flatMap(p -> p.slot(copy.slotName()))
                .map(original -> !"rows_removed".equals(original.invalidationReason())).orElse(true);
    }
}
