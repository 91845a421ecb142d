package io.slotcheck.model.invariant;

import io.slotcheck.model.Xid;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * The copies of {@code standby} whose catalog_xmin its feedback has had time to report to {@code primary}: each seen
     * at an earlier step and held still since, with the standby streaming from it with hot_standby_feedback on, no fault
     * in effect on either and no server restarted, for two status intervals and a second before the primary's slots were
     * read (walreceiver.c XLogWalRcvSendHSFeedback() sends once per wal_receiver_status_interval), or through a wait for
     * that feedback ({@link Operation.AwaitStandbyFeedback}). An invalidated copy is left out: the standby's horizon skips
     * it ("invalidated slots need not apply", slot.c ReplicationSlotsComputeRequiredXmin()), so once anything recomputes
     * that horizon its catalog_xmin is no longer reported.
     */
    static List<SlotRow> reportedCopies(StepContext step, NodeSnapshot standby, NodeSnapshot primary) {
        Optional<Duration> interval = statusInterval(standby);
        if (interval.isEmpty() || !feedingBack(standby)) {
            return List.of();
        }
        Duration needed = awaited(step, standby) ? Duration.ZERO : interval.get().multipliedBy(2).plusSeconds(1);
        List<ModelState> states = statesThrough(step);
        return standby.slots().stream().filter(StandbyFeedback::reportable)
                .filter(copy -> stillSince(step, states, standby, primary.node(), copy)
                        .filter(since -> since.isBefore(standby.takenAt()) && !since.plus(needed).isAfter(primary.takenAt())).isPresent())
                .toList();
    }

    /**
     * The valid copies of {@code standby} whose catalog_xmin the physical slot it streams through on {@code primary} does
     * not hold (that slot is missing, holds none, or a newer one), described: what a wait for the feedback waits to see
     * emptied.
     */
    public static List<String> unheldCopies(NodeSnapshot standby, NodeSnapshot primary) {
        Optional<SlotRow> physical = physicalSlot(standby, primary);
        return standby.slots().stream().filter(StandbyFeedback::reportable).filter(copy -> !held(copy, physical))
                .map(copy -> copy.slotName() + " at catalog_xmin " + copy.catalogXmin() + " (" + describePhysicalSlot(standby, primary) + ")")
                .toList();
    }

    /** The physical slot on {@code primary} that {@code standby}'s primary_slot_name names. */
    static Optional<SlotRow> physicalSlot(NodeSnapshot standby, NodeSnapshot primary) {
        return primary.slot(standby.settings().getOrDefault("primary_slot_name", "")).filter(SlotRow::isPhysical);
    }

    /** That slot and the catalog_xmin it holds, for evidence. */
    static String describePhysicalSlot(NodeSnapshot standby, NodeSnapshot primary) {
        return standby.settings().getOrDefault("primary_slot_name", "") + " on " + primary.node() + ": "
                + physicalSlot(standby, primary).map(p -> "catalog_xmin " + p.catalogXmin()).orElse("no such physical slot");
    }

    /** Whether {@code physical} holds a catalog_xmin no newer than {@code copy}'s. */
    static boolean held(SlotRow copy, Optional<SlotRow> physical) {
        return physical.map(SlotRow::catalogXmin).filter(held -> !new Xid(copy.catalogXmin()).precedes(new Xid(held))).isPresent();
    }

    private static boolean reportable(SlotRow copy) {
        return copy.isSynced() && copy.catalogXmin() != null && copy.invalidationReason() == null;
    }

    private static boolean awaited(StepContext step, NodeSnapshot standby) {
        return step.operation() instanceof Operation.AwaitStandbyFeedback await && await.node().equals(standby.node())
                && !(step.step().outcome() instanceof Outcome.Failed);
    }

    /** When the standby's observations began to show {@code copy} as it is now, streaming and feeding back throughout. */
    private static Optional<Instant> stillSince(StepContext step, List<ModelState> states, NodeSnapshot standby, String primary, SlotRow copy) {
        List<Step> steps = step.steps();
        Instant since = null;
        for (int i = step.position(); i >= 0; i--) {
            if (faultInEffect(states.get(i + 1), standby.node(), primary)) {
                break;
            }
            Step earlier = steps.get(i);
            Optional<NodeSnapshot> seen = earlier.observation(standby.node());
            if (seen.isPresent()) {
                boolean same = feedingBack(seen.get()) && seen.get().timeline() == standby.timeline()
                        && Objects.equals(seen.get().settings().get("primary_slot_name"), standby.settings().get("primary_slot_name"))
                        && seen.get().slot(copy.slotName()).filter(c -> c.isSynced() && Objects.equals(c.catalogXmin(), copy.catalogXmin())).isPresent();
                if (!same) {
                    break;
                }
                since = seen.get().takenAt();
            }
            // what a step did reaches the observation after it: a fault or a restart there ends the stretch before it
            Operation operation = earlier.operation();
            if (operation.fault().isPresent() || steps.get(i).observations().keySet().stream().anyMatch(n -> operation.restarts(n) || operation.crashes(n))) {
                break;
            }
        }
        return Optional.ofNullable(since);
    }

    /** The model's state before each step up to {@code step}'s, and after it. */
    private static List<ModelState> statesThrough(StepContext step) {
        List<ModelState> states = new ArrayList<>();
        ModelState state = ModelState.initial();
        states.add(state);
        for (Step each : step.steps().subList(0, step.position() + 1)) {
            state = state.next(each);
            states.add(state);
        }
        return states;
    }

    /** Either node not running, paused in part or cut off: feedback may not flow. */
    private static boolean faultInEffect(ModelState state, String... nodes) {
        return Stream.of(nodes).map(state::node).flatMap(Optional::stream)
                .anyMatch(node -> !node.running() || node.pausedProcess() != null || node.linkImpaired());
    }

    private static boolean feedingBack(NodeSnapshot standby) {
        return standby.inRecovery() && "on".equals(standby.settings().get("hot_standby_feedback"))
                && !standby.settings().getOrDefault("primary_slot_name", "").isEmpty()
                && standby.walReceiver().filter(receiver -> "streaming".equals(receiver.status())).isPresent();
    }

    /** wal_receiver_status_interval; none when feedback is not sent on a timer. */
    static Optional<Duration> statusInterval(NodeSnapshot standby) {
        return standby.durationSetting("wal_receiver_status_interval", ChronoUnit.SECONDS).filter(interval -> !interval.isZero());
    }
}
