package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.Xid;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Expected;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.SlotSync;
import io.slotcheck.model.state.NodeModel;
import io.slotcheck.model.state.NodeStatus;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The situations of the catalogue's invariants (see {@link Situation}): the steps at which a server that broke one would
 * show it. Each is decided from the model's state before the step (the nodes as last observed, their status and links as
 * the operations left them) and the step itself. Section numbers refer to {@code spec/postgresql-slotsync.md}.
 */
final class Situations {

    private Situations() {
    }

    // ------------------------------------------------------------------ a standby behind its primary's slots (§1 item 3)

    static Situation syncWhileStandbyBehindAFailoverSlot() {
        return new Situation("sync-while-standby-behind-a-failover-slot",
                "pg_sync_replication_slots() on a standby that has not flushed the WAL up to a failover slot's confirmed_flush_lsn"
                        + " on its primary (its walreceiver stopped or its link cut, the slot consumed past it)",
                step -> step.operation() instanceof Operation.SyncSlots sync && standbyAndPrimaryBefore(step, sync.node())
                        .filter(pair -> SlotSync.slotAheadOfStandby(pair.standby(), pair.primary()).isPresent()).isPresent());
    }

    static Situation workerWhileStandbyBehindAFailoverSlot() {
        return new Situation("worker-while-standby-behind-a-failover-slot",
                "a standby whose slot sync worker is to run, observed behind a failover slot's confirmed_flush_lsn on its primary",
                step -> standbysNow(step).anyMatch(standby -> SlotSync.workerConfigured(standby)
                        && step.upstreamNow(standby).flatMap(primary -> SlotSync.slotAheadOfStandby(standby, primary)).isPresent()));
    }

    // ------------------------------------------------------------------ what a cycle copies and drops (§1 items 1, 2, 12)

    static Situation syncAfterFailoverSlotDropped() {
        return new Situation("sync-after-failover-slot-dropped",
                "a sync cycle completes on a standby holding a persistent copy of a slot its primary no longer has",
                step -> step.completedSyncCycle().filter(cycle -> persistentCopiesBefore(step, cycle.standby())
                        .anyMatch(copy -> cycle.primary().slot(copy.slotName()).isEmpty())).isPresent());
    }

    static Situation syncAfterFailoverTurnedOff() {
        return new Situation("sync-after-failover-turned-off",
                "a sync cycle completes on a standby holding a persistent copy of a slot whose failover its primary turned off",
                step -> step.completedSyncCycle().filter(cycle -> persistentCopiesBefore(step, cycle.standby())
                        .anyMatch(copy -> cycle.primary().slot(copy.slotName()).filter(slot -> !slot.isFailover()).isPresent())).isPresent());
    }

    static Situation syncWithANonFailoverSlot() {
        return new Situation("sync-with-a-non-failover-slot",
                "a sync cycle completes while the primary has a logical slot without failover, which must get no copy",
                step -> step.completedSyncCycle().filter(cycle -> cycle.primary().slots().stream()
                        .anyMatch(slot -> slot.isLogical() && !slot.isFailover())).isPresent());
    }

    static Situation syncWithPrimarySlotInvalidated() {
        return new Situation("sync-with-primary-slot-invalidated",
                "a sync cycle completes while a failover slot of the primary is invalidated and the standby has a copy of it",
                step -> step.completedSyncCycle().filter(cycle -> SlotInvariants.synced(cycle.standby()).stream()
                        .anyMatch(copy -> cycle.primary().slot(copy.slotName()).filter(slot -> slot.invalidationReason() != null)
                                .isPresent())).isPresent());
    }

    static Situation syncWithCopyInvalidatedOnTheStandbyOnly() {
        return new Situation("sync-with-copy-invalidated-on-standby-only",
                "a sync cycle completes on a standby whose copy was invalidated there (WAL removed, rows removed) while the"
                        + " primary's slot is valid",
                step -> step.completedSyncCycle().filter(cycle -> copiesBefore(step, cycle.standby())
                        .anyMatch(copy -> copy.invalidationReason() != null
                                && cycle.primary().slot(copy.slotName()).filter(slot -> slot.invalidationReason() == null).isPresent()))
                        .isPresent());
    }

    // ------------------------------------------------------------------ positions (§1 items 4 and 5)

    static Situation syncWhilePrimarySlotBehindItsCopy() {
        return new Situation("sync-while-primary-slot-behind-its-copy",
                "pg_sync_replication_slots() while a persistent copy is ahead of its primary slot in confirmed_flush_lsn,"
                        + " restart_lsn or catalog_xmin (after the primary crashed, or a fast-forward), which no cycle may take back",
                step -> step.operation() instanceof Operation.SyncSlots sync && standbyAndPrimaryBefore(step, sync.node())
                        .filter(pair -> pair.standby().slots().stream().filter(copy -> copy.isSynced() && !copy.temporary())
                                .anyMatch(copy -> pair.primary().slot(copy.slotName()).filter(remote -> behind(remote, copy)).isPresent()))
                        .isPresent());
    }

    static Situation syncMovesAPersistentCopy() {
        return new Situation("sync-moves-a-persistent-copy",
                "a sync cycle completes on a standby whose persistent copy was behind its primary slot",
                step -> step.completedSyncCycle().filter(cycle -> persistentCopiesBefore(step, cycle.standby())
                        .anyMatch(copy -> cycle.primary().slot(copy.slotName()).map(SlotRow::confirmedFlushLsn)
                                .filter(remote -> copy.confirmedFlushLsn() != null && remote.isAfter(copy.confirmedFlushLsn())).isPresent()))
                        .isPresent());
    }

    static Situation syncWithASkipToShow() {
        return new Situation("sync-with-a-skip-to-show",
                "a sync cycle completes on 19 leaving a copy that has a reason to show why it was not brought to its slot (invalidated,"
                        + " its slot past the standby's flushed WAL, or behind the copy)",
                step -> step.completedSyncCycle().filter(cycle -> SlotInvariants.synced(cycle.standby()).stream()
                        .anyMatch(copy -> SyncSkipReason.expected(step, cycle, copy).filter(expected -> !expected.allows(null)).isPresent()))
                        .isPresent());
    }

    static Situation syncWithACopyBehindItsSlot() {
        return new Situation("sync-with-a-copy-behind-its-slot",
                "pg_sync_replication_slots() succeeds while a copy (temporary or persistent) is behind its primary slot, which was"
                        + " consumed since: the copy may move up to it, never past it",
                step -> step.completedSyncCycle().filter(cycle -> copiesBefore(step, cycle.standby())
                        .anyMatch(copy -> step.before(cycle.primary().node()).flatMap(primary -> primary.slot(copy.slotName()))
                                .map(SlotRow::confirmedFlushLsn)
                                .filter(remote -> copy.confirmedFlushLsn() != null && remote.isAfter(copy.confirmedFlushLsn())).isPresent()))
                        .isPresent());
    }

    static Situation syncWithAPersistentCopyBehindItsIdleSlot() {
        return new Situation("sync-with-a-persistent-copy-behind-its-idle-slot",
                "a sync cycle completes while a persistent copy may be updated to its idle primary slot and is behind it",
                step -> step.completedSyncCycle().filter(cycle -> persistentCopiesBefore(step, cycle.standby()).anyMatch(copy ->
                        cycle.primary().slot(copy.slotName())
                                .filter(remote -> step.before(cycle.primary().node()).flatMap(p -> p.slot(copy.slotName()))
                                        .filter(was -> Objects.equals(was.confirmedFlushLsn(), remote.confirmedFlushLsn())).isPresent())
                                .filter(remote -> SlotSync.updateAllowed(copy, remote, cycle.standby())
                                        && !remote.confirmedFlushLsn().equals(copy.confirmedFlushLsn()))
                                .isPresent())).isPresent());
    }

    static Situation staleAcknowledgement() {
        return new Situation("stale-acknowledgement",
                "a consumer acknowledges a position before its slot's confirmed_flush_lsn on a primary",
                step -> step.operation() instanceof Operation.Acknowledge ack && ack.stale() && step.before(ack.node())
                        .filter(node -> !node.inRecovery())
                        .flatMap(node -> node.slot(ack.slot())).filter(slot -> slot.isLogical() && slot.confirmedFlushLsn() != null)
                        .isPresent());
    }

    // ------------------------------------------------------------------ promotion (§1 items 7 and 18)

    static Situation promotionWithATemporaryCopy() {
        return new Situation("promotion-with-a-temporary-copy",
                "a standby is promoted while it holds a temporary synced copy (not sync-ready yet)",
                step -> promotedWith(step, (standby, copy) -> copy.temporary()));
    }

    static Situation promotionWithAPersistentCopy() {
        return new Situation("promotion-with-a-persistent-copy",
                "a standby is promoted while it holds a persistent synced copy",
                step -> promotedWith(step, (standby, copy) -> !copy.temporary()));
    }

    static Situation promotionWithCopiesToStamp() {
        return new Situation("promotion-with-copies-to-stamp",
                "a standby is promoted with persistent synced copies no one uses, which the promotion stamps with one inactive_since",
                step -> SlotInvariants.promotedStamps(step).isPresent());
    }

    static Situation persistentSlotInUse() {
        return new Situation("persistent-slot-in-use",
                "a persistent slot is observed in use (a walsender, a decoding call or a synchronizer holds it)",
                step -> step.observations().stream().flatMap(node -> node.slots().stream()).anyMatch(slot -> slot.active() && !slot.temporary()));
    }

    static Situation promotionWithTheWorkerRunning() {
        return new Situation("promotion-with-the-sync-worker-running",
                "a standby is promoted while its slot sync worker runs and holds copies",
                step -> promotedWith(step, (standby, copy) -> SlotSync.workerConfigured(standby)));
    }

    // ------------------------------------------------------------------ invalidation and catalog rows (§1 items 12, 13, 25)

    static Situation slotInvalidated(String reason) {
        return new Situation("slot-invalidated-" + reason.replace('_', '-'),
                "a slot is observed invalidated for " + reason,
                step -> step.observations().stream().flatMap(node -> node.slots().stream())
                        .anyMatch(slot -> reason.equals(slot.invalidationReason())));
    }

    static Situation catalogVacuumWithFeedback() {
        return new Situation("catalog-vacuum-with-feedback",
                "catalogs vacuumed on the primary after catalog changes, while a standby with hot_standby_feedback holds copies",
                step -> step.operation() instanceof Operation.VacuumCatalogs vacuum
                        && step.before(vacuum.node()).filter(primary -> !primary.inRecovery()).isPresent()
                        && catalogChangedEarlier(step) && standbysBefore(step).anyMatch(standby ->
                        "on".equals(standby.settings().get("hot_standby_feedback")) && !SlotInvariants.synced(standby).isEmpty()));
    }

    static Situation copyOfATwoPhaseSlot() {
        return new Situation("copy-of-a-two-phase-slot", "a synced copy of a two_phase slot is observed",
                VersionProfile::syncsTwoPhaseAt,
                step -> step.observations().stream().flatMap(node -> SlotInvariants.synced(node).stream()).anyMatch(SlotRow::twoPhase));
    }

    static Situation syncAfterASlotWasMadeAgainOtherwise() {
        return new Situation("sync-after-a-slot-was-made-again-otherwise",
                "a manual sync cycle completes, or the worker is waited for, while a copy differs in configuration (plugin, database,"
                        + " two_phase, two_phase_at) from the failover slot of its name the primary made again since",
                step -> syncedStandby(step).flatMap(node -> standbyAndPrimaryBefore(step, node)).filter(pair ->
                        SlotInvariants.synced(pair.standby()).stream().anyMatch(copy -> pair.primary().slot(copy.slotName())
                                .filter(SlotSync::sentBySyncQuery)
                                .filter(remote -> !SlotSync.configurationDifferences(copy, remote, step.profile().syncsTwoPhaseAt()).isEmpty())
                                .isPresent())).isPresent());
    }

    static Situation syncOfATwoPhaseSlot() {
        return new Situation("sync-of-a-two-phase-slot",
                "a manual sync cycle completes, or the worker is waited for, while the primary has a two_phase failover slot",
                step -> syncedStandby(step).flatMap(node -> standbyAndPrimaryBefore(step, node))
                        .filter(pair -> pair.primary().slots().stream().anyMatch(slot -> SlotSync.sentBySyncQuery(slot) && slot.twoPhase()))
                        .isPresent());
    }

    /** The standby a manual sync that succeeded, or a wait for the worker's convergence, is about. */
    private static Optional<String> syncedStandby(StepContext step) {
        return step.operation() instanceof Operation.SyncSlots sync && ok(step) ? Optional.of(sync.node())
                : step.operation() instanceof Operation.AwaitConvergence await ? Optional.of(await.node()) : Optional.empty();
    }

    // ------------------------------------------------------------------ what a manual sync leaves (§1 items 6, 7)

    static Situation manualSyncMakingANewCopy() {
        return new Situation("manual-sync-making-a-new-copy",
                "pg_sync_replication_slots() ends on a standby that had no persistent copy of a failover slot of its primary",
                step -> step.operation() instanceof Operation.SyncSlots sync && SlotInvariants.endedAfterSyncing(step)
                        && standbyAndPrimaryBefore(step, sync.node()).filter(pair -> pair.primary().slots().stream()
                        .filter(SlotSync::sentBySyncQuery)
                        .anyMatch(remote -> pair.standby().slot(remote.slotName()).filter(copy -> !copy.temporary()).isEmpty())).isPresent());
    }

    static Situation manualSyncThatCouldNotMakeACopyReady() {
        return new Situation("manual-sync-that-could-not-make-a-copy-ready",
                "pg_sync_replication_slots() logs that it could not make a copy sync-ready, or fails once it has begun to copy",
                step -> step.operation() instanceof Operation.SyncSlots sync && SlotInvariants.endedAfterSyncing(step)
                        && (step.step().outcome() instanceof Outcome.Failed || step.now(sync.node()).filter(standby -> standby.logLines().stream()
                        .anyMatch(line -> step.profile().text(Message.SYNC_COULD_LOSE_DATA).foundIn(line))).isPresent()));
    }

    // ------------------------------------------------------------------ what the synchronizer logs (§1 items 6, 12)

    static Situation copyMadeSyncReady() {
        return new Situation("copy-made-sync-ready",
                "a standby's copy turned persistent between two observations, its server running in recovery throughout",
                step -> step.observations().stream().anyMatch(now -> LogInvariants.judgedChange(step, now)
                        .filter(change -> !change.copiesMadeReady().isEmpty()).isPresent()));
    }

    static Situation persistentCopyDropped() {
        return new Situation("persistent-copy-dropped",
                "a standby's persistent copy went between two observations, its server running in recovery throughout",
                step -> step.observations().stream().anyMatch(now -> LogInvariants.judgedChange(step, now)
                        .filter(change -> !change.persistentCopiesGone().isEmpty()).isPresent()));
    }

    // ------------------------------------------------------------------ the sync worker (§1 items 5, 6, 21)

    static Situation databaseDroppedWithACopy() {
        return new Situation("database-dropped-with-a-copy",
                "DROP DATABASE on a primary while a standby of it has a synced copy of a slot of that database",
                step -> step.operation() instanceof Operation.DropDatabase drop
                        && step.before(drop.node()).filter(node -> !node.inRecovery()).isPresent()
                        && step.stateBefore().nodes().values().stream().filter(NodeModel::inRecovery)
                        .anyMatch(standby -> standby.lastSeen().slots().stream()
                                .anyMatch(copy -> copy.isSynced() && drop.database().equals(copy.database()))));
    }

    static Situation copyOfAFailoverSlot() {
        return new Situation("copy-of-a-failover-slot",
                "pg_copy_logical_replication_slot() of a failover slot, which the copy must not inherit",
                step -> copyOf(step, node -> true, SlotRow::isFailover));
    }

    static Situation copyOfASyncedCopy() {
        return new Situation("copy-of-a-synced-copy",
                "pg_copy_logical_replication_slot() of a synced copy on its standby: the copy is the standby's own slot",
                step -> copyOf(step, NodeSnapshot::inRecovery, SlotRow::isSynced));
    }

    /** A copy the model does not predict refused, made on a node {@code where} accepts of a source {@code source} accepts. */
    private static boolean copyOf(StepContext step, Predicate<NodeSnapshot> where, Predicate<SlotRow> source) {
        return step.operation() instanceof Operation.CopyLogicalSlot copying && step.before(copying.node()).filter(where)
                .flatMap(node -> node.slot(copying.source())).filter(source).isPresent()
                && !(step.operation().expect(step.stateBefore(), step.profile()) instanceof Expected.FailsWith);
    }

    static Situation copyStandingStillWhileStreaming() {
        return new Situation("copy-standing-still-while-streaming",
                "a copy has stood still for two status intervals, or through a wait for the feedback, while its standby streamed with"
                        + " hot_standby_feedback on",
                step -> step.observations().stream().filter(NodeSnapshot::inRecovery).anyMatch(standby -> step.upstreamNow(standby)
                        .filter(primary -> !StandbyFeedback.reportedCopies(step, standby, primary).isEmpty()).isPresent()));
    }

    static Situation quietClusterToConverge() {
        return new Situation("quiet-cluster-to-converge",
                "the healed cluster is waited for with failover slots the worker must copy and bring up to date",
                step -> step.operation() instanceof Operation.AwaitConvergence await && step.now(await.node())
                        .flatMap(standby -> step.upstreamNow(standby).filter(primary -> !SlotSync.convergenceTargets(standby, primary).isEmpty()))
                        .isPresent());
    }

    /**
     * Reached whether the worker dropped the copy already or not: a worker that never drops one shows it here, one that
     * does may have done so before the wait began.
     */
    static Situation quietClusterWithAnObsoleteCopy() {
        return new Situation("quiet-cluster-with-an-obsolete-copy",
                "the cluster is waited for after a slot the standby had a copy of was dropped, or its failover turned off, on another node"
                        + " since the standby's previous wait",
                step -> step.operation() instanceof Operation.AwaitConvergence await && copiedSlotLeftSince(step, await.node()));
    }

    private static boolean copiedSlotLeftSince(StepContext step, String standby) {
        List<Step> steps = step.steps();
        for (int i = step.position() - 1; i >= 0 && !(steps.get(i).operation() instanceof Operation.AwaitConvergence previous
                && previous.node().equals(standby)); i--) {
            Operation operation = steps.get(i).operation();
            String left = operation instanceof Operation.DropSlot drop ? drop.slot()
                    : operation instanceof Operation.AlterSlotFailover alter && !alter.failover() ? alter.slot() : null;
            if (left != null && !operation.node().equals(standby) && steps.get(i).outcome() instanceof Outcome.Ok
                    && observationBefore(steps, i, standby).flatMap(node -> node.slot(left)).filter(SlotRow::isSynced).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static Optional<NodeSnapshot> observationBefore(List<Step> steps, int position, String node) {
        int seen = StepContext.observedBefore(steps, node, position);
        return seen < 0 ? Optional.empty() : steps.get(seen).observation(node);
    }

    // ------------------------------------------------------------------ the barrier (§1 item 14)

    static Situation barrierWithStandbyDown() {
        return new Situation("barrier-with-standby-down",
                "a failover slot consumed on a primary past what a standby listed in synchronized_standby_slots has, that standby stopped",
                step -> consumedPastListedStandby(step, standby -> standby.down()));
    }

    static Situation barrierWithStandbyCutOff() {
        return new Situation("barrier-with-standby-cut-off",
                "a failover slot consumed on a primary past what a listed standby has, that standby paused, off the network, its"
                        + " link cut or slowed, or its walreceiver stopped",
                step -> consumedPastListedStandby(step, standby -> standby.status() == NodeStatus.PAUSED
                        || standby.status() == NodeStatus.ISOLATED || standby.linkImpaired() || standby.pausedProcess() != null));
    }

    static Situation nonFailoverSlotConsumedPastTheBarrier() {
        return new Situation("non-failover-slot-consumed-past-the-barrier",
                "a slot without failover consumed on a primary past what a listed standby has, that standby stopped, paused or cut"
                        + " off: the barrier must not hold it",
                step -> step.operation() instanceof Operation.ConsumeChanges
                        && consumedPastListedStandby(step, consumption(step, slot -> !slot.isFailover()),
                        standby -> !standby.running() || standby.linkImpaired() || standby.pausedProcess() != null));
    }

    static Situation heldConsumerReleasedByAReload() {
        return new Situation("held-consumer-released-by-a-reload",
                "a failover slot's consumer on a primary, seen held by synchronized_standby_slots, when a reload empties the list",
                step -> step.operation() instanceof Operation.ConsumeReleasedByReload && step.step().heldOn(BoundedWait.STANDBY_CONFIRMATION)
                        && step.before(step.operation().node()).isPresent()
                        && step.operation().expect(step.stateBefore(), step.profile()) instanceof Expected.Succeeds);
    }

    static Situation heldConsumerReleasedByItsStandby() {
        return new Situation("held-consumer-released-by-its-standby",
                "a failover slot's consumer on a primary, seen held by the one standby synchronized_standby_slots lists, when that"
                        + " stopped standby is started",
                step -> step.operation() instanceof Operation.ConsumeReleasedByStandby && step.step().heldOn(BoundedWait.STANDBY_CONFIRMATION)
                        && step.before(step.operation().node()).isPresent()
                        && step.operation().expect(step.stateBefore(), step.profile()) instanceof Expected.Succeeds);
    }

    static Situation barrierListingNoPhysicalSlot() {
        return new Situation("barrier-listing-no-physical-slot",
                "a failover slot consumed on a primary whose synchronized_standby_slots names no physical slot of it",
                step -> failoverConsumption(step).filter(primary -> primary.synchronizedStandbySlots().stream()
                        .anyMatch(listed -> primary.slot(listed).filter(SlotRow::isPhysical).isEmpty())).isPresent());
    }

    static Situation promotionWithAPreparedTransaction() {
        return new Situation("promotion-with-a-prepared-transaction",
                "a standby promoted once it has replayed the PREPARE of a transaction its primary had not committed",
                step -> DataInvariants.preparedAndReplayed(step).isPresent());
    }

    // ------------------------------------------------------------------ who the sync connects as (§3)

    static Situation syncAsARoleWithAPlantedOperator() {
        return new Situation("sync-as-a-role-with-a-planted-operator",
                "pg_sync_replication_slots() on a standby whose primary_conninfo connects as a replication role without superuser,"
                        + " that has planted an = operator on its search_path",
                step -> upstreamSlotThroughTheSync(step).isPresent() && step.before(step.operation().node())
                        .map(standby -> Operation.ConnectAsReplicationRole.connectsAsTheRole(standby.settings().get("primary_conninfo")))
                        .orElse(false));
    }

    /**
     * For a manual sync on a standby whose upstream primary was observed before and after it: the slot primary_slot_name
     * names, where the primary had it as a physical slot both times.
     */
    static Optional<String> upstreamSlotThroughTheSync(StepContext step) {
        if (!(step.operation() instanceof Operation.SyncSlots sync)) {
            return Optional.empty();
        }
        return standbyAndPrimaryBefore(step, sync.node()).flatMap(pair -> Optional.ofNullable(pair.standby().settings().get("primary_slot_name"))
                .filter(slot -> pair.primary().slot(slot).filter(SlotRow::isPhysical).isPresent()
                        && step.now(pair.primary().node()).flatMap(now -> now.slot(slot)).filter(SlotRow::isPhysical).isPresent()));
    }

    // ------------------------------------------------------------------ the worker's comings and goings (§1 items 18, 21)

    static Situation manualSyncWhileTheWorkerRuns() {
        return new Situation("manual-sync-while-the-worker-runs",
                "pg_sync_replication_slots() on a standby whose slot sync worker, the same process, ran before and after the call",
                step -> workerRunningThrough(step).isPresent());
    }

    /** The pid of the slot sync worker seen on a manual sync's standby before the call and after it, the same process. */
    static Optional<Integer> workerRunningThrough(StepContext step) {
        if (!(step.operation() instanceof Operation.SyncSlots sync)) {
            return Optional.empty();
        }
        Optional<Integer> before = step.before(sync.node()).filter(NodeSnapshot::inRecovery).map(NodeSnapshot::syncWorkerPid);
        return before.filter(pid -> step.now(sync.node()).map(NodeSnapshot::syncWorkerPid).filter(pid::equals).isPresent());
    }

    static Situation manualSyncRetrying() {
        return new Situation("manual-sync-retrying", "a 19 manual sync seen napping between retries, a copy not yet sync-ready",
                step -> LogInvariants.retryingSync(step).isPresent());
    }

    static Situation syncWorkerStarted() {
        return workerLine("sync-worker-started", "a slot sync worker seen to start on a standby whose log is read", Message.SYNC_WORKER_STARTED);
    }

    static Situation syncWorkerLeftOnAReload() {
        return workerLine("sync-worker-left-on-a-reload",
                "a slot sync worker seen to leave after a reload turned sync_replication_slots off or changed primary_conninfo,"
                        + " primary_slot_name or hot_standby_feedback", Message.SYNC_WORKER_STOPS_WHEN_DISABLED,
                Message.SYNC_WORKER_RESTARTS_ON_PARAMETER_CHANGE);
    }

    static Situation syncWorkerStoppedByPromotion() {
        return workerLine("sync-worker-stopped-by-promotion", "a standby promoted while its slot sync worker runs",
                Message.SYNC_WORKER_STOPS_AT_PROMOTION);
    }

    static Situation syncWorkerStartedAgain() {
        return new Situation("sync-worker-started-again",
                "a slot sync worker seen in the log to start after another had, with no parameter change or server start between",
                step -> step.observations().stream().anyMatch(now -> !LogInvariants.WorkerRestart.seen(step, now).isEmpty()));
    }

    private static Situation workerLine(String name, String description, Message... lines) {
        return new Situation(name, description, step -> LogInvariants.WorkerLine.expected(step).stream()
                .anyMatch(expected -> expected.messages().stream().anyMatch(List.of(lines)::contains)));
    }

    // ------------------------------------------------------------------ the idle timeout (§1 item 23)

    static Situation restartpointWithACopyIdlePastTheTimeout() {
        return new Situation("restartpoint-with-a-copy-idle-past-the-timeout",
                "a checkpoint asked of a standby in recovery (a restartpoint) whose idle_replication_slot_timeout a valid copy has"
                        + " been idle for longer",
                step -> step.operation() instanceof Operation.Checkpoint checkpoint && step.before(checkpoint.node())
                        .filter(standby -> standby.inRecovery() && standby.slots().stream()
                                .anyMatch(slot -> slot.isSynced() && slot.invalidationReason() == null && idlePastTheTimeout(standby, slot)))
                        .isPresent());
    }

    /**
     * Whether {@code slot} had been idle for longer than {@code node}'s idle_replication_slot_timeout when {@code node}
     * was observed (the server's inactive_since against slotcheck's clock: the same clock on this machine and in its
     * containers).
     */
    static boolean idlePastTheTimeout(NodeSnapshot node, SlotRow slot) {
        return slot.inactiveSince() != null && slot.restartLsn() != null
                && node.durationSetting("idle_replication_slot_timeout", ChronoUnit.SECONDS).filter(timeout -> !timeout.isZero())
                .filter(timeout -> slot.inactiveSince().plus(timeout).isBefore(node.takenAt())).isPresent();
    }

    // ------------------------------------------------------------------ what the barrier reports (§1 item 15)

    static Situation heldByAListedNameOfNoPhysicalSlot() {
        return heldWithWarning("held-by-a-listed-name-of-no-physical-slot",
                "a failover slot's consumer held on a primary whose synchronized_standby_slots names first a slot that does not exist or is"
                        + " logical", Message.STANDBY_SLOT_MISSING, Message.STANDBY_SLOT_LOGICAL);
    }

    static Situation heldByAListedStandbyAway() {
        return heldWithWarning("held-by-a-listed-standby-away",
                "a failover slot's consumer held on a primary by a listed physical slot behind it that no standby streams through",
                Message.STANDBY_SLOT_INACTIVE);
    }

    static Situation heldByAnInvalidatedListedSlot() {
        return heldWithWarning("held-by-an-invalidated-listed-slot",
                "a failover slot's consumer held on a primary by a listed physical slot that is invalidated", Message.STANDBY_SLOT_INVALIDATED);
    }

    private static Situation heldWithWarning(String name, String description, Message... warnings) {
        return new Situation(name, description, step -> LogInvariants.heldByTheBarrier(step)
                .flatMap(primary -> LogInvariants.BarrierWarning.expected(step, primary))
                .filter(warning -> List.of(warnings).contains(warning.message())).isPresent());
    }

    // ------------------------------------------------------------------ subscribers (§2 O10, O12; §1 item 18)

    static Situation subscriptionCreatedWithFailover() {
        return new Situation("subscription-created-with-failover", "CREATE SUBSCRIPTION ... WITH (failover = true) succeeds",
                step -> step.operation() instanceof Operation.CreateSubscription create && create.failover() && ok(step));
    }

    static Situation subscriptionFailoverAltered() {
        return new Situation("subscription-failover-altered", "ALTER SUBSCRIPTION ... SET (failover) of a disabled subscription succeeds",
                step -> step.operation() instanceof Operation.AlterSubscriptionFailover && ok(step));
    }

    static Situation subscriberAppliesAfterAFailover() {
        return new Situation("subscriber-applies-after-a-failover",
                "a subscriber with transactions applied is observed after a standby was promoted",
                step -> promotedEarlier(step) && step.observations().stream()
                        .anyMatch(node -> !node.subscriptions().isEmpty() && !node.transactions().isEmpty()));
    }

    static Situation subscriberCaughtUpAfterAFailover() {
        return new Situation("subscriber-caught-up-after-a-failover",
                "a subscriber has caught up with its publisher after a standby was promoted",
                step -> step.operation() instanceof Operation.AwaitSubscriberCatchUp && ok(step) && promotedEarlier(step));
    }

    // ------------------------------------------------------------------ documented outcomes (§1 items 3, 8, 9, 10, 11, 18, 19, 20; §3)

    /** The model predicts that {@code kind} is refused with {@code message} (first of the errors it allows). */
    static Situation refusal(String name, Class<? extends Operation> kind, Message message, String description) {
        return refusal(name, kind, message, description, profile -> true);
    }

    static Situation refusal(String name, Class<? extends Operation> kind, Message message, String description,
                             Predicate<VersionProfile> appliesTo) {
        return new Situation(name, description, appliesTo, step -> kind.isInstance(step.operation())
                && step.before(step.operation().node()).isPresent()
                && step.operation().expect(step.stateBefore(), step.profile()) instanceof Expected.FailsWith fails
                && fails.anyOf().get(0) == message);
    }

    static Situation decodingAPromotedCopy() {
        return new Situation("decoding-a-promoted-copy",
                "a copy that was sync-ready when its standby was promoted is decoded on the new primary",
                step -> step.operation() instanceof Operation.ConsumeChanges && step.before(step.operation().node()).isPresent()
                        && step.operation().expect(step.stateBefore(), step.profile()) instanceof Expected.Succeeds);
    }

    // ------------------------------------------------------------------ helpers

    record StandbyAndPrimary(NodeSnapshot standby, NodeSnapshot primary) {
    }

    /** The standby {@code node} and its upstream as last observed before the step, when it is in recovery and they were. */
    static Optional<StandbyAndPrimary> standbyAndPrimaryBefore(StepContext step, String node) {
        return step.stateBefore().node(node).filter(NodeModel::inRecovery).flatMap(standby -> step.stateBefore().upstreamOf(standby)
                .filter(primary -> primary.lastSeen() != null && !primary.inRecovery())
                .map(primary -> new StandbyAndPrimary(standby.lastSeen(), primary.lastSeen())));
    }

    private static Stream<NodeSnapshot> standbysNow(StepContext step) {
        return step.observations().stream().filter(NodeSnapshot::inRecovery);
    }

    private static Stream<NodeSnapshot> standbysBefore(StepContext step) {
        return step.stateBefore().nodes().values().stream().filter(NodeModel::inRecovery).map(NodeModel::lastSeen);
    }

    /** The synced copies {@code standby} had when last observed before the step. */
    private static Stream<SlotRow> copiesBefore(StepContext step, NodeSnapshot standby) {
        return step.before(standby.node()).stream().flatMap(before -> SlotInvariants.synced(before).stream());
    }

    private static Stream<SlotRow> persistentCopiesBefore(StepContext step, NodeSnapshot standby) {
        return copiesBefore(step, standby).filter(copy -> !copy.temporary());
    }

    /** Whether {@code remote} is behind {@code copy} in a position a cycle must not take back (§1 item 4). */
    private static boolean behind(SlotRow remote, SlotRow copy) {
        return isBefore(remote.confirmedFlushLsn(), copy.confirmedFlushLsn()) || isBefore(remote.restartLsn(), copy.restartLsn())
                || remote.catalogXmin() != null && copy.catalogXmin() != null
                && new Xid(remote.catalogXmin()).precedes(new Xid(copy.catalogXmin()));
    }

    private static boolean isBefore(Lsn a, Lsn b) {
        return a != null && b != null && a.isBefore(b);
    }

    private interface CopyTest {
        boolean test(NodeSnapshot standby, SlotRow copy);
    }

    /** A promotion that succeeded, of a standby last observed holding a copy that passes {@code test}. */
    private static boolean promotedWith(StepContext step, CopyTest test) {
        return step.operation() instanceof Operation.Promote promote && ok(step) && step.before(promote.node())
                .filter(NodeSnapshot::inRecovery)
                .filter(standby -> SlotInvariants.synced(standby).stream().anyMatch(copy -> test.test(standby, copy))).isPresent();
    }

    /** The primary, as last observed, on which this step consumes (decodes or advances) a failover slot. */
    private static Optional<NodeSnapshot> failoverConsumption(StepContext step) {
        return consumption(step, SlotRow::isFailover);
    }

    /** The primary, as last seen, where this step consumes (not peeks) or advances a logical slot that {@code kind} accepts. */
    private static Optional<NodeSnapshot> consumption(StepContext step, Predicate<SlotRow> kind) {
        Operation operation = step.operation();
        String slot = operation instanceof Operation.ConsumeChanges consume && !consume.peek() ? consume.slot()
                : operation instanceof Operation.AdvanceSlot advance ? advance.slot() : null;
        return step.before(operation.node()).filter(node -> slot != null && !node.inRecovery())
                .filter(node -> node.slot(slot).filter(SlotRow::isLogical).filter(kind).isPresent());
    }

    /**
     * A failover slot consumed on a primary that has written past what a standby listed in its synchronized_standby_slots
     * has flushed (its physical slot's restart_lsn), that standby in the state {@code test} names.
     */
    private static boolean consumedPastListedStandby(StepContext step, Predicate<NodeModel> test) {
        return consumedPastListedStandby(step, failoverConsumption(step), test);
    }

    private static boolean consumedPastListedStandby(StepContext step, Optional<NodeSnapshot> consumption, Predicate<NodeModel> test) {
        return consumption.filter(primary -> primary.synchronizedStandbySlots().stream().anyMatch(listed ->
                primary.slot(listed).filter(SlotRow::isPhysical).map(SlotRow::restartLsn)
                        .filter(flushed -> primary.currentLsn() != null && primary.currentLsn().isAfter(flushed)).isPresent()
                        && step.stateBefore().nodes().values().stream().filter(node -> node.role() == Role.STANDBY)
                        .filter(node -> listed.equals(node.settings().get("primary_slot_name"))).anyMatch(test))).isPresent();
    }

    private static boolean catalogChangedEarlier(StepContext step) {
        return step.steps().subList(0, step.position()).stream().map(Step::operation)
                .anyMatch(op -> op instanceof Operation.WriteTransactions write && write.catalogChange());
    }

    private static boolean promotedEarlier(StepContext step) {
        return step.steps().subList(0, step.position()).stream()
                .anyMatch(s -> s.operation() instanceof Operation.Promote && s.outcome() instanceof Outcome.Ok);
    }

    private static boolean ok(StepContext step) {
        return step.step().outcome() instanceof Outcome.Ok;
    }
}
