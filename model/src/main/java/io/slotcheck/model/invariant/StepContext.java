package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.NodeModel;
import io.slotcheck.model.version.VersionProfile;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One step of a history with what came before it: what invariants are checked against.
 *
 * @param stateBefore the model's state after the steps before this one
 */
public record StepContext(List<Step> steps, int position, VersionProfile profile, ModelState stateBefore) {

    public Step step() {
        return steps.get(position);
    }

    public Operation operation() {
        return step().operation();
    }

    public Collection<NodeSnapshot> observations() {
        return step().observations().values();
    }

    public Optional<NodeSnapshot> now(String node) {
        return step().observation(node);
    }

    /** The latest observation of {@code node} before this step. */
    public Optional<NodeSnapshot> before(String node) {
        return stateBefore.node(node).map(NodeModel::lastSeen);
    }

    /** Whether the node crashed (kill -9, immediate stop) after its previous observation, up to this step. */
    public boolean crashedSinceBefore(String node) {
        return stepsSinceBefore(node).stream().anyMatch(s -> s.operation().crashes(node));
    }

    /** Whether the node's server was restarted (or crashed, or promoted) after its previous observation. */
    public boolean restartedSinceBefore(String node) {
        return stepsSinceBefore(node).stream().anyMatch(s -> s.operation().crashes(node) || s.operation().restarts(node));
    }

    /**
     * The most WAL {@code node} has shown flushed on its current timeline, up to this step: WAL once flushed stays on its
     * disk, while a standby just started shows only what it has replayed again so far.
     */
    public Lsn walFlushedSoFar(NodeSnapshot node) {
        Lsn most = node.flushLsn();
        for (Step earlier : steps.subList(0, position)) {
            Optional<NodeSnapshot> seen = earlier.observation(node.node()).filter(o -> o.timeline() == node.timeline() && o.flushLsn() != null);
            if (seen.isPresent() && (most == null || seen.get().flushLsn().isAfter(most))) {
                most = seen.get().flushLsn();
            }
        }
        return most;
    }

    /**
     * The slot {@code slot} as {@code node} showed it the last time it was seen out of recovery before this step: a
     * promoted standby that rejoined as a standby keeps the slots of its own history (its timeline forked off).
     */
    public Optional<SlotRow> slotWhenLastOutOfRecovery(String node, String slot) {
        for (int earlier = position - 1; earlier >= 0; earlier--) {
            Optional<NodeSnapshot> seen = steps.get(earlier).observation(node).filter(o -> !o.inRecovery());
            if (seen.isPresent()) {
                return seen.get().slot(slot);
            }
        }
        return Optional.empty();
    }

    /** Whether the node crashed at any step so far. */
    public boolean everCrashed(String node) {
        return steps.subList(0, position + 1).stream().anyMatch(s -> s.operation().crashes(node));
    }

    /** The node {@code standby} streams from, as last observed up to this step. */
    public Optional<NodeSnapshot> upstreamOf(NodeSnapshot standby) {
        ModelState after = stateBefore.next(step());
        return after.node(standby.node()).flatMap(after::upstreamOf).map(NodeModel::lastSeen);
    }

    /** The upstream of {@code standby} as observed at this very step (not an older observation of it). */
    public Optional<NodeSnapshot> upstreamNow(NodeSnapshot standby) {
        return upstreamOf(standby).filter(upstream -> step().observations().containsKey(upstream.node()));
    }

    /** A standby and its primary, both observed right after a pg_sync_replication_slots() that succeeded. */
    public record SyncCycle(NodeSnapshot standby, NodeSnapshot primary) {
    }

    /** The sync cycle this step completed, if it is a successful manual sync whose standby and primary were observed. */
    public Optional<SyncCycle> completedSyncCycle() {
        if (!(operation() instanceof Operation.SyncSlots sync) || !(step().outcome() instanceof Outcome.Ok)) {
            return Optional.empty();
        }
        return now(sync.node()).flatMap(standby -> upstreamNow(standby).map(primary -> new SyncCycle(standby, primary)));
    }

    /** The steps after the node's previous observation, up to and including this one. */
    public List<Step> stepsSinceBefore(String node) {
        return steps.subList(observedBefore(steps, node, position) + 1, position + 1);
    }

    /** The position of the latest step before {@code position} that observed {@code node}, or -1. */
    static int observedBefore(List<Step> steps, String node, int position) {
        for (int i = position - 1; i >= 0; i--) {
            if (steps.get(i).observations().containsKey(node)) {
                return i;
            }
        }
        return -1;
    }
}
