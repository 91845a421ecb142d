package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The databases a history dropped on a primary (§1 item 28): with each, its OIDs as slots of it showed them before, and
 * the primary's flushed WAL right after the drop, which a standby has to replay to have dropped its copies too.
 */
final class DroppedDatabases {

    private DroppedDatabases() {
    }

    /** A {@code DROP DATABASE} that succeeded on {@code primary} at {@code position}. */
    record Drop(int position, NodeSnapshot primary, String database, Set<Long> datoids, Lsn flushedAfter) {

        /** Whether {@code slot} belongs to the dropped database. */
        boolean owns(SlotRow slot) {
            return slot.datoid() != null && datoids.contains(slot.datoid());
        }
    }

    /** The drops up to and including {@code step}'s. */
    static List<Drop> upTo(StepContext step) {
        List<Step> steps = step.steps();
        List<Drop> drops = new ArrayList<>();
        for (int i = 0; i <= step.position(); i++) {
            Step each = steps.get(i);
            if (each.operation() instanceof Operation.DropDatabase drop && each.outcome() instanceof Outcome.Ok) {
                int position = i;
                each.observation(drop.node()).filter(primary -> !primary.inRecovery() && primary.flushLsn() != null)
                        .ifPresent(primary -> drops.add(new Drop(position, primary, drop.database(), datoids(steps, position, drop.database()),
                                primary.flushLsn())));
            }
        }
        return drops;
    }

    /** The OIDs slots of {@code database} showed in the observations before {@code position}. */
    private static Set<Long> datoids(List<Step> steps, int position, String database) {
        return steps.subList(0, position).stream().flatMap(s -> s.observations().values().stream())
                .flatMap(node -> node.slots().stream()).filter(slot -> database.equals(slot.database()))
                .map(SlotRow::datoid).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** Whether {@code copy} (as {@code from} showed it) went with a database dropped by {@code step} or earlier. */
    static boolean wentWithItsDatabase(StepContext step, SlotRow copy) {
        return upTo(step).stream().anyMatch(drop -> drop.owns(copy) || drop.database().equals(copy.database()));
    }

    /** The standby's upstream now, if it is the primary that dropped the database and on the same timeline. */
    static Optional<NodeSnapshot> sameLineage(StepContext step, NodeSnapshot standby, Drop drop) {
        return step.upstreamOf(standby).filter(upstream -> upstream.node().equals(drop.primary().node())
                && upstream.timeline() == drop.primary().timeline());
    }
}
