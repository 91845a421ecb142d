package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.LogLineTime;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.MessageTemplate;
import io.slotcheck.model.version.VersionProfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the servers log about slot sync, as outcomes the model predicts from the slots it sees change and the
 * observations confirm. A line is written just after the change it reports, so it may be read with the next
 * observation: a change between a node's two previous observations is judged at the third, with the lines of the last
 * two. A node whose log shows nothing at all (a server slotcheck cannot read the log of), or whose log_min_messages keeps
 * out the level of the line, is not judged. A consumer the
 * barrier holds warns as soon as it begins to wait, a second and more before slotcheck cancels it: its warning is looked
 * for in the lines read right after.
 */
final class LogInvariants {

    private LogInvariants() {
    }

    static Invariant syncLogsCopiesMadeReadyAndDropped() {
        return new Invariant("sync-logs-copies-made-ready-and-dropped", Consequence.MISREPORTED_STATE,
                "A synchronizer logs each copy it makes sync-ready (\"newly created replication slot ... is sync-ready now\") and"
                        + " each persistent copy it drops (\"dropped replication slot ... of database with OID ...\"): a standby that"
                        + " stayed in recovery and whose copy turned persistent, or whose persistent copy went, shows the line.",
                "§1 items 6 and 12; slotsync.c update_and_persist_local_synced_slot(), drop_local_obsolete_slots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.copyMadeSyncReady(),
                        Situations.persistentCopyDropped()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        judgedChange(step, now).ifPresent(change -> {
                            for (SlotRow ready : change.copiesMadeReady()) {
                                requireLogged(findings, step, change, ready, Message.SYNC_SLOT_READY, "was made sync-ready");
                            }
                            // replaying DROP DATABASE drops its copies too, and that is no synchronizer's to log (§1 item 28)
                            for (SlotRow dropped : change.persistentCopiesGone()) {
                                if (!DroppedDatabases.wentWithItsDatabase(step, dropped)) {
                                    requireLogged(findings, step, change, dropped, Message.SYNC_DROPPED_SLOT, "was dropped");
                                }
                            }
                        });
                    }
                    return findings.verdict();
                });
    }

    static Invariant syncWorkerLogsItsStartAndStop() {
        return new Invariant("sync-worker-logs-its-start-and-stop", Consequence.MISREPORTED_STATE,
                "The slot sync worker logs its start (\"slot sync worker started\"), its exit when sync_replication_slots is turned off,"
                        + " its restart when primary_conninfo, primary_slot_name or hot_standby_feedback changes, and its stop when its"
                        + " standby is promoted, each in its version's words: a worker seen to come or go without its line leaves an"
                        + " operator unable to tell why copies stopped being made.",
                "§1 items 18 and 21, §2 O16 to O19; slotsync.c ReplSlotSyncWorkerMain(), slotsync_reread_config(), ProcessSlotSyncMessage()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWorkerStarted(),
                        Situations.syncWorkerLeftOnAReload(),
                        Situations.syncWorkerStoppedByPromotion()),
                step -> {
                    Findings findings = new Findings();
                    for (WorkerLine expected : WorkerLine.expected(step)) {
                        findings.require(expected.logged(step.profile()),
                                () -> expected.what() + ", but the log of " + expected.node() + " does not say \""
                                        + String.join("\" or \"", expected.messages().stream().map(m -> step.profile().text(m).text()).toList()) + "\"",
                                () -> List.of(expected.node() + ": slot sync worker " + expected.before() + " before, " + expected.after() + " after",
                                        expected.node() + ": " + expected.lines().size() + " log lines read meanwhile, none of them that line"));
                    }
                    return findings.verdict();
                });
    }

    static Invariant syncWorkerWaitsBeforeItRestarts() {
        return new Invariant("sync-worker-waits-before-it-restarts", Consequence.UNDOCUMENTED_OUTCOME,
                "The postmaster starts the slot sync worker at most once in 10 seconds: a worker that ended on an error (a slot of the"
                        + " same name in its way, the primary out of reach) is followed by the next no sooner than 10 s after it"
                        + " started, so a lasting problem is retried, not spun on. Only the worker's restart on a parameter change,"
                        + " and a new start of the server, may bring the next one sooner.",
                "§1 items 11 and 21; slotsync.c SlotSyncWorkerCanRestart() (SLOTSYNC_RESTART_INTERVAL_SEC), slotsync_reread_config()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWorkerStartedAgain()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        for (WorkerRestart restart : WorkerRestart.seen(step, now)) {
                            findings.require(restart.seconds() >= WorkerRestart.LEAST_SECONDS,
                                    () -> "the slot sync worker of " + restart.node() + " started again " + restart.seconds()
                                            + " s after the one before, with no parameter change or server start between: the"
                                            + " postmaster waits 10 s between its starts",
                                    () -> List.of(restart.node() + ": " + restart.first(), restart.node() + ": " + restart.second()));
                        }
                    }
                    return findings.verdict();
                });
    }

    /**
     * Two successive starts of a node's slot sync worker as its log shows them, nothing between them that resets the
     * postmaster's clock for the worker: a restart on a parameter change, a server start or reinitialization.
     */
    record WorkerRestart(String node, String first, String second, double seconds) {

        /**
         * The 10 s of SLOTSYNC_RESTART_INTERVAL_SEC, counted by time() in whole seconds, less the second that rounds off
         * and one more for the worker to log its start.
         */
        static final double LEAST_SECONDS = 8;

        private static final List<String> SERVER_STARTS = List.of("starting PostgreSQL", "all server processes terminated; reinitializing");

        /** The restarts whose second start is among the lines read with {@code now}, on a standby whose log is read. */
        static List<WorkerRestart> seen(StepContext step, NodeSnapshot now) {
            MessageTemplate started = step.profile().text(Message.SYNC_WORKER_STARTED);
            MessageTemplate restarting = step.profile().text(Message.SYNC_WORKER_RESTARTS_ON_PARAMETER_CHANGE);
            if (!logsLogLines(now) || now.logLines().stream().noneMatch(started::foundIn)) {
                return List.of();
            }
            List<WorkerRestart> restarts = new ArrayList<>();
            String lastStart = null;
            for (int position = 0; position <= step.position(); position++) {
                Step read = step.steps().get(position);
                if (read.operation().crashes(now.node()) || read.operation().restarts(now.node())) {
                    lastStart = null;
                }
                for (String line : read.observation(now.node()).map(NodeSnapshot::logLines).orElse(List.of())) {
                    if (restarting.foundIn(line) || SERVER_STARTS.stream().anyMatch(line::contains)) {
                        lastStart = null;
                    } else if (started.foundIn(line)) {
                        String previous = lastStart;
                        if (previous != null && position == step.position()) {
                            between(previous, line).ifPresent(seconds -> restarts.add(new WorkerRestart(now.node(), previous, line, seconds)));
                        }
                        lastStart = line;
                    }
                }
            }
            return restarts;
        }

        /** The seconds from {@code first}'s time to {@code second}'s, where both lines show one. */
        private static Optional<Double> between(String first, String second) {
            return LogLineTime.of(first).flatMap(from -> LogLineTime.of(second).map(to -> Duration.between(from, to).toMillis() / 1000.0));
        }
    }

    /**
     * A line the slot sync worker must have logged: when it appeared (the line comes first, then the process shows in
     * pg_stat_activity), left on a reload that changed what it depends on, or stopped at a promotion. A worker that left
     * while an error was logged may have left for it, without the line: not judged.
     */
    record WorkerLine(String node, List<Message> messages, String what, Integer before, Integer after, List<String> lines) {

        /** A log line prefix's process id, as {@code log_line_prefix} {@code [%p]} shows it. */
        private static final Pattern PROCESS_ID = Pattern.compile("\\[\\d+\\]");

        boolean logged(VersionProfile profile) {
            return lines.stream().anyMatch(line -> messages.stream().anyMatch(m -> profile.text(m).foundIn(line)));
        }

        static List<WorkerLine> expected(StepContext step) {
            List<WorkerLine> expected = new ArrayList<>();
            for (NodeSnapshot now : step.observations()) {
                judgedChange(step, now).ifPresent(change -> {
                    Integer was = change.from().syncWorkerPid();
                    Integer is = change.to().syncWorkerPid();
                    if (is != null && !is.equals(was)) {
                        List<String> lines = new ArrayList<>(change.from().logLines());
                        lines.addAll(change.lines());
                        expected.add(new WorkerLine(now.node(), List.of(Message.SYNC_WORKER_STARTED), "a slot sync worker started on " + now.node(),
                                was, is, lines));
                    }
                    List<Message> reasons = reloadReasons(change.from(), change.to());
                    if (was != null && !was.equals(is) && !reasons.isEmpty() && withoutErrorsOf(was, change.lines())) {
                        expected.add(new WorkerLine(now.node(), reasons, "the slot sync worker of " + now.node() + " left when a reload changed "
                                + (reasons.contains(Message.SYNC_WORKER_STOPS_WHEN_DISABLED) ? "sync_replication_slots" : "a setting it depends on"),
                                was, is, change.lines()));
                    }
                });
            }
            if (step.operation() instanceof Operation.Promote promote && step.step().outcome() instanceof Outcome.Ok
                    && logRead(step.steps(), promote.node(), step.position())) {
                step.before(promote.node()).filter(before -> before.inRecovery() && before.syncWorkerPid() != null).ifPresent(before ->
                        step.now(promote.node()).filter(after -> !after.inRecovery() && logsLogLines(after)
                                && withoutErrorsOf(before.syncWorkerPid(), after.logLines())).ifPresent(after ->
                                expected.add(new WorkerLine(promote.node(), List.of(Message.SYNC_WORKER_STOPS_AT_PROMOTION),
                                        "the slot sync worker of " + promote.node() + " stopped as it was promoted", before.syncWorkerPid(),
                                        after.syncWorkerPid(), after.logLines()))));
            }
            return expected;
        }

        /** What a worker logs as it leaves on a reload from {@code from}'s settings to {@code to}'s (slotsync_reread_config()). */
        private static List<Message> reloadReasons(NodeSnapshot from, NodeSnapshot to) {
            List<Message> reasons = new ArrayList<>();
            if ("on".equals(from.settings().get("sync_replication_slots")) && "off".equals(to.settings().get("sync_replication_slots"))) {
                reasons.add(Message.SYNC_WORKER_STOPS_WHEN_DISABLED);
            }
            if (Stream.of("primary_conninfo", "primary_slot_name", "hot_standby_feedback")
                    .anyMatch(setting -> !Objects.equals(from.settings().get(setting), to.settings().get(setting)))) {
                reasons.add(Message.SYNC_WORKER_RESTARTS_ON_PARAMETER_CHANGE);
            }
            return reasons;
        }

        /**
         * Whether no error in {@code lines} may be worker {@code pid}'s: none names its process or its backend type, and,
         * where the lines show no process ids at all, there is no error.
         */
        private static boolean withoutErrorsOf(Integer pid, List<String> lines) {
            boolean processesShown = lines.stream().anyMatch(line -> PROCESS_ID.matcher(line).find());
            return lines.stream().filter(line -> line.contains("ERROR:  ") || line.contains("FATAL:  ") || line.contains("PANIC:  "))
                    .noneMatch(line -> !processesShown || line.contains("[" + pid + "]") || line.contains("slotsync worker"));
        }
    }

    static Invariant retryingSyncSaysWhy() {
        return new Invariant("retrying-sync-says-why", Consequence.MISREPORTED_STATE,
                "From 19 pg_sync_replication_slots() retries until every slot it fetched is sync-ready; while it naps between"
                        + " retries, its standby's log says why a copy is not ready: the slot past what the standby has flushed"
                        + " (\"skipping slot synchronization because ...\") or a copy that could not be brought to it"
                        + " (\"could not synchronize replication slot ...\").",
                "§5.3, §1 items 3 and 6; slotsync.c SyncReplicationSlots(), update_local_synced_slot(), update_and_persist_local_synced_slot()",
                VersionProfile::manualSyncRetriesUntilReady,
                List.of(Situations.manualSyncRetrying()),
                step -> {
                    Findings findings = new Findings();
                    retryingSync(step).ifPresent(standby -> findings.require(standby.logLines().stream().anyMatch(line ->
                                    Stream.of(Message.SYNC_LSN_AHEAD, Message.SYNC_COULD_LOSE_DATA).anyMatch(m -> step.profile().text(m).foundIn(line))),
                            () -> step.operation() + " napped between retries until cancelled, but the log of " + standby.node()
                                    + " says of no copy why it is not sync-ready",
                            () -> List.of(standby.node() + ": " + standby.logLines().size() + " log lines read since the step before, none of"
                                    + " them a skipped or failed synchronization")));
                    return findings.verdict();
                });
    }

    /** The standby after a manual sync seen napping between retries until cancelled, its log read. */
    static Optional<NodeSnapshot> retryingSync(StepContext step) {
        return step.operation() instanceof Operation.SyncSlots sync
                && step.step().heldOn(BoundedWait.SYNC_NAP)
                && logRead(step.steps(), sync.node(), step.position())
                ? step.now(sync.node()).filter(standby -> standby.inRecovery() && logsLogLines(standby)) : Optional.empty();
    }

    static Invariant barrierWarnsOfTheSlotItWaitsFor() {
        return new Invariant("barrier-warns-of-the-slot-it-waits-for", Consequence.MISREPORTED_STATE,
                "A consumer of a failover slot on a primary that synchronized_standby_slots holds back warns, about once a second,"
                        + " of the first listed slot that keeps it waiting when that slot does not exist, is logical, is invalidated, or is"
                        + " behind with no standby streaming through it: the log names the slot and what is wrong with it. A listed"
                        + " standby that streams but lags keeps it waiting silently.",
                "§1 item 15; slot.c StandbySlotsHaveCaughtup(), WaitForStandbyConfirmation()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.heldByAListedNameOfNoPhysicalSlot(),
                        Situations.heldByAListedStandbyAway(),
                        Situations.heldByAnInvalidatedListedSlot()),
                step -> {
                    Findings findings = new Findings();
                    heldByTheBarrier(step).ifPresent(primary -> BarrierWarning.expected(step, primary).ifPresent(warning ->
                            findings.require(primary.logLines().stream().anyMatch(warning::foundIn),
                                    () -> step.operation() + " waited for the standbys in synchronized_standby_slots until cancelled, but the log"
                                            + " of " + primary.node() + " does not say \"" + step.profile().text(warning.message()).text()
                                            + "\" for " + warning.slot(),
                                    () -> List.of(primary.node() + ": synchronized_standby_slots = " + String.join(",", primary.synchronizedStandbySlots()),
                                            primary.node() + ": " + warning.slot() + ": " + describeListed(primary.slot(warning.slot())),
                                            primary.node() + ": " + primary.logLines().size() + " log lines read since the step before"))));
                    return findings.verdict();
                });
    }

    /**
     * The primary after a step that consumed or advanced a failover slot there and was seen waiting on the barrier until
     * cancelled, its list the same before and after, and its log read.
     */
    static Optional<NodeSnapshot> heldByTheBarrier(StepContext step) {
        Operation operation = step.operation();
        String slot = operation instanceof Operation.ConsumeChanges consume ? consume.slot()
                : operation instanceof Operation.AdvanceSlot advance ? advance.slot() : null;
        Optional<NodeSnapshot> before = step.before(operation.node());
        boolean held = step.step().heldOn(BoundedWait.STANDBY_CONFIRMATION);
        if (slot == null || !held || before.isEmpty() || before.get().slot(slot).filter(SlotRow::isFailover).isEmpty()
                || !logRead(step.steps(), operation.node(), step.position())) {
            return Optional.empty();
        }
        return step.now(operation.node()).filter(now -> !now.inRecovery() && !now.synchronizedStandbySlots().isEmpty()
                && now.synchronizedStandbySlots().equals(before.get().synchronizedStandbySlots()) && logsWarnings(now));
    }

    /** Whether the server writes WARNINGs to its log: log_min_messages at warning or below (its default; unknown where not shown). */
    private static boolean logsWarnings(NodeSnapshot node) {
        String level = logMinMessages(node);
        return level.startsWith("debug") || List.of("info", "notice", "warning").contains(level);
    }

    /** Whether the server writes LOG lines to its log: all but log_min_messages fatal or panic (LOG ranks above ERROR there). */
    private static boolean logsLogLines(NodeSnapshot node) {
        return !List.of("fatal", "panic").contains(logMinMessages(node));
    }

    private static String logMinMessages(NodeSnapshot node) {
        return node.settings().getOrDefault("log_min_messages", "warning");
    }

    /** The warning a held consumer must log: which slot, and what is wrong with it. */
    record BarrierWarning(Message message, String slot, VersionProfile profile) {

        boolean foundIn(String line) {
            return profile.text(message).foundIn(line) && line.contains("\"" + slot + "\"");
        }

        /**
         * StandbySlotsHaveCaughtup() reads the list in order and reports the first slot that has not reached the position
         * waited for, if it is missing, logical, invalidated or without a process, then stops. Predicted only where the
         * observations before and after the step agree on each slot up to that one, and every slot before it had reached all
         * the WAL the primary had flushed after it: already before the step, or by its end with a standby streaming through it.
         */
        static Optional<BarrierWarning> expected(StepContext step, NodeSnapshot primary) {
            NodeSnapshot before = step.before(primary.node()).orElseThrow();
            Lsn waitedFor = lowestPositionWaitedFor(step.operation(), before);
            for (String listed : primary.synchronizedStandbySlots()) {
                Optional<SlotRow> was = before.slot(listed);
                Optional<SlotRow> is = primary.slot(listed);
                Message problem = was.isEmpty() && is.isEmpty() ? Message.STANDBY_SLOT_MISSING
                        : was.isEmpty() || is.isEmpty() ? null
                        : was.get().isLogical() && is.get().isLogical() ? Message.STANDBY_SLOT_LOGICAL
                        : !was.get().isPhysical() || !is.get().isPhysical() ? null
                        : was.get().invalidationReason() != null && is.get().invalidationReason() != null ? Message.STANDBY_SLOT_INVALIDATED
                        : was.get().invalidationReason() != null || is.get().invalidationReason() != null ? null
                        : !was.get().active() && !is.get().active() && behind(is.get(), waitedFor) ? Message.STANDBY_SLOT_INACTIVE
                        : null;
                if (problem != null) {
                    return Optional.of(new BarrierWarning(problem, listed, step.profile()));
                }
                boolean caughtUp = was.isPresent() && is.isPresent() && was.get().isPhysical() && was.get().invalidationReason() == null
                        && is.get().invalidationReason() == null
                        && (!behind(was.get(), primary.flushLsn()) || streamedUpTo(was.get(), is.get(), primary.flushLsn()));
                if (!caughtUp) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** At least the WAL the primary had flushed before the call, or the position asked for if lower. */
        private static Lsn lowestPositionWaitedFor(Operation operation, NodeSnapshot before) {
            Lsn asked = operation instanceof Operation.ConsumeChanges consume ? consume.upto()
                    : operation instanceof Operation.AdvanceSlot advance ? advance.to() : null;
            return asked != null && asked.isBefore(before.flushLsn()) ? asked : before.flushLsn();
        }

        /**
         * A standby streaming through the slot all along that confirmed the position by the end: each confirmation it
         * sends wakes the held consumer (PhysicalWakeupLogicalWalSnd()), whose next check goes past the slot.
         */
        private static boolean streamedUpTo(SlotRow was, SlotRow is, Lsn position) {
            return was.active() && is.active() && !behind(is, position);
        }

        private static boolean behind(SlotRow physical, Lsn position) {
            return physical.restartLsn() == null || physical.restartLsn().isBefore(position);
        }
    }

    private static void requireLogged(Findings findings, StepContext step, Change change, SlotRow copy, Message message, String what) {
        String node = change.to().node();
        findings.require(change.logged(step.profile(), message, copy.slotName()),
                () -> "the copy of " + copy.slotName() + " on " + node + " " + what + " between two observations, but its log does not say \""
                        + step.profile().text(message).text() + "\" for it",
                () -> List.of(node + " at " + change.from().takenAt() + ": " + describe(change.from().slot(copy.slotName())),
                        node + " at " + change.to().takenAt() + ": " + describe(change.to().slot(copy.slotName())),
                        node + ": " + change.lines().size() + " log lines read since, none of them that line"));
    }

    private static String describeListed(Optional<SlotRow> slot) {
        return slot.map(s -> s.slotType() + " slot, " + (s.active() ? "active" : "no process on it") + ", restart_lsn " + s.restartLsn()
                + (s.invalidationReason() == null ? "" : ", invalidated " + s.invalidationReason())).orElse("no such slot");
    }

    private static String describe(Optional<SlotRow> slot) {
        return slot.map(s -> s.slotName() + (s.isSynced() ? " synced" : "") + (s.temporary() ? " temporary" : " persistent"))
                .orElse("no such slot");
    }

    /**
     * Two successive observations of a standby that stayed in recovery, its server running all along, and the log lines
     * read with the second and with the observation after it.
     */
    record Change(NodeSnapshot from, NodeSnapshot to, List<String> lines) {

        /** Copies persistent in {@code to} that {@code from} did not show persistent. */
        List<SlotRow> copiesMadeReady() {
            return persistentCopies(to).filter(copy -> from.slot(copy.slotName()).filter(SlotRow::temporary).isPresent()
                    || from.slot(copy.slotName()).isEmpty()).toList();
        }

        /** Copies persistent in {@code from} that {@code to} does not show persistent: dropped (and maybe made again). */
        List<SlotRow> persistentCopiesGone() {
            return persistentCopies(from).filter(copy -> to.slot(copy.slotName()).filter(s -> s.isSynced() && !s.temporary()).isEmpty())
                    .toList();
        }

        boolean logged(VersionProfile profile, Message message, String slot) {
            return lines.stream().anyMatch(line -> profile.text(message).foundIn(line) && line.contains("\"" + slot + "\""));
        }

        private static Stream<SlotRow> persistentCopies(NodeSnapshot node) {
            return node.slots().stream().filter(slot -> slot.isSynced() && !slot.temporary());
        }
    }

    /** The change between the node's two observations before this step, if it is one to judge now (see the class comment). */
    static Optional<Change> judgedChange(StepContext step, NodeSnapshot now) {
        List<Step> steps = step.steps();
        int previous = StepContext.observedBefore(steps, now.node(), step.position());
        int earlier = previous < 0 ? -1 : StepContext.observedBefore(steps, now.node(), previous);
        if (earlier < 0 || !now.inRecovery() || !logsLogLines(now)) {
            return Optional.empty();
        }
        NodeSnapshot from = steps.get(earlier).observation(now.node()).orElseThrow();
        NodeSnapshot to = steps.get(previous).observation(now.node()).orElseThrow();
        boolean ranThrough = steps.subList(earlier + 1, step.position() + 1).stream()
                .noneMatch(s -> s.operation().crashes(now.node()) || s.operation().restarts(now.node()));
        if (!from.inRecovery() || !to.inRecovery() || !ranThrough || !logRead(steps, now.node(), step.position())) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>(to.logLines());
        lines.addAll(now.logLines());
        return Optional.of(new Change(from, to, lines));
    }

    /** Whether slotcheck reads the node's log: some observation of it so far came with lines. */
    private static boolean logRead(List<Step> steps, String node, int upTo) {
        return steps.subList(0, upTo + 1).stream()
                .anyMatch(s -> s.observation(node).map(o -> !o.logLines().isEmpty()).orElse(false));
    }
}
