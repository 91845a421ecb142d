package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.Xid;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The guarantees of the pg_failover_slots extension (EnterpriseDB, 1.x), which gives a standby copies of its primary's
 * logical slots where the server has no failover slots of its own (PostgreSQL 16 and earlier, IvorySQL 3). Sources are
 * functions of {@code pg_failover_slots.c} and its README; the copies are plain logical slots (see {@link PgFailoverSlots}).
 */
final class PgFailoverSlotsInvariants {

    private PgFailoverSlotsInvariants() {
    }

    static Invariant copyWithinStandbyFlush() {
        return new Invariant("pg-failover-slots-copy-within-standby-flush", Consequence.LOST_CHANGES,
                "A copy's confirmed_flush_lsn is never ahead of the WAL its standby has flushed: the worker caps the primary's"
                        + " value at what the walreceiver flushed.",
                "field-failures §4.2; pg_failover_slots.c synchronize_failover_slots(): confirmed_lsn capped at GetWalRcvFlushRecPtr()",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(standbyBehindASlotItCopies()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        Optional<NodeSnapshot> primary = step.upstreamOf(standby);
                        if (!standby.inRecovery() || primary.isEmpty()) {
                            continue;
                        }
                        Lsn flushed = step.walFlushedSoFar(standby);
                        for (SlotRow copy : copiesOf(step, standby, primary.get())) {
                            findings.require(copy.confirmedFlushLsn() == null || flushed == null || !copy.confirmedFlushLsn().isAfter(flushed),
                                    () -> "the copy of " + copy.slotName() + " on " + standby.node() + " claims confirmed_flush_lsn "
                                            + copy.confirmedFlushLsn() + ", beyond the " + flushed + " of WAL the standby has flushed:"
                                            + " after failover its consumer would skip changes the new primary never had",
                                    () -> List.of(standby.node() + ": " + copy.slotName() + " confirmed_flush_lsn " + copy.confirmedFlushLsn(),
                                            standby.node() + ": flushed WAL " + flushed));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant copyNotAheadOfPrimary() {
        return new Invariant("pg-failover-slots-copy-not-ahead-of-primary", Consequence.LOST_CHANGES,
                "A copy, once made, is never ahead of its slot on the primary, as read after the copy: not its restart_lsn (the"
                        + " worker moves every copy to the oldest restart_lsn of the slots it copies at most), not its catalog_xmin,"
                        + " and not its confirmed_flush_lsn while the primary's never went back (unless it was consumed on the standby:"
                        + " the extension's copies are not read-only, as the server's own are).",
                "field-failures §4.2; pg_failover_slots.c synchronize_failover_slots(), synchronize_one_slot()",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(madeCopyBehindItsSlot()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        // the primary's slot moves on while the readings are taken: only a reading after the copy's bounds it
                        Optional<NodeSnapshot> primary = step.upstreamNow(standby)
                                .filter(p -> !p.inRecovery() && !p.takenAt().isBefore(standby.takenAt()));
                        if (!standby.inRecovery() || primary.isEmpty() || step.everCrashed(primary.get().node())) {
                            continue;
                        }
                        for (SlotRow copy : copiesOf(step, standby, primary.get()).stream().filter(PgFailoverSlots::isMade)
                                .filter(copy -> !consumedOnTheStandby(step, standby.node(), copy.slotName())).toList()) {
                            SlotRow original = primary.get().slot(copy.slotName()).orElseThrow();
                            findings.require(notAfter(copy.restartLsn(), original.restartLsn())
                                            && (copy.catalogXmin() == null || original.catalogXmin() == null
                                            || !new Xid(original.catalogXmin()).precedes(new Xid(copy.catalogXmin())))
                                            && (primaryWentBack(step, primary.get().node(), original)
                                            || notAfter(copy.confirmedFlushLsn(), original.confirmedFlushLsn())),
                                    () -> "the copy of " + copy.slotName() + " on " + standby.node() + " is ahead of the slot on "
                                            + primary.get().node() + ": restart_lsn " + copy.restartLsn() + " / " + original.restartLsn()
                                            + ", catalog_xmin " + copy.catalogXmin() + " / " + original.catalogXmin()
                                            + ", confirmed_flush_lsn " + copy.confirmedFlushLsn() + " / " + original.confirmedFlushLsn(),
                                    () -> List.of(standby.node() + ": " + describe(copy), primary.get().node() + ": " + describe(original)));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant copyNeverMovesBack() {
        return new Invariant("pg-failover-slots-copy-never-moves-back", Consequence.DUPLICATED_CHANGES,
                "On a standby in recovery, a made copy's restart_lsn and catalog_xmin never move backwards: the worker refuses an"
                        + " update that would (\"synchronization would move it backward\"), unless the copy was dropped and made again.",
                "field-failures §4.2; pg_failover_slots.c synchronize_one_slot()",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(madeCopyMoved()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        Optional<NodeSnapshot> before = step.before(now.node());
                        Optional<NodeSnapshot> primary = step.upstreamOf(now);
                        // a restarted standby shows its copies as last saved, as the server's own slot sync does
                        if (!now.inRecovery() || before.isEmpty() || !before.get().inRecovery() || primary.isEmpty()
                                || step.restartedSinceBefore(now.node())) {
                            continue;
                        }
                        for (SlotRow copy : copiesOf(step, now, primary.get())) {
                            Optional<SlotRow> earlier = before.get().slot(copy.slotName()).filter(SlotRow::isLogical).filter(PgFailoverSlots::isMade);
                            if (earlier.isEmpty() || madeAgainSince(step, now.node(), copy.slotName())) {
                                continue;
                            }
                            findings.require(notAfter(earlier.get().restartLsn(), copy.restartLsn())
                                            && (earlier.get().catalogXmin() == null || copy.catalogXmin() == null
                                            || !new Xid(copy.catalogXmin()).precedes(new Xid(earlier.get().catalogXmin()))),
                                    () -> "the copy of " + copy.slotName() + " on " + now.node() + " went back from restart_lsn "
                                            + earlier.get().restartLsn() + ", catalog_xmin " + earlier.get().catalogXmin() + " to "
                                            + copy.restartLsn() + ", " + copy.catalogXmin(),
                                    () -> List.of(now.node() + " before: " + describe(earlier.get()), now.node() + " now: " + describe(copy)));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant copiesOnlyOfNamedSlots() {
        return new Invariant("pg-failover-slots-copies-only-of-named-slots", Consequence.FAILOVER_UNUSABLE,
                "Waited for long enough to outlast a restart, the worker leaves a standby (with drop_extra_slots on) no inactive"
                        + " logical slot that its synchronize_slot_names does not find on the primary: a slot dropped there, or no longer"
                        + " named, is gone.",
                "field-failures §4.1 and §4.3 (t/010_slot_sync.pl); pg_failover_slots.c synchronize_failover_slots() \"Delete"
                        + " locally-existing slots that don't exist on the master\"",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(catchUpAfterACopiedSlotLeft()),
                step -> {
                    Findings findings = new Findings();
                    unhinderedWaitForTheWorker(step).ifPresent(cycle -> findings.require(
                            PgFailoverSlots.extraSlots(cycle.standby(), cycle.primary()).isEmpty(),
                            () -> cycle.standby().node() + " keeps " + PgFailoverSlots.extraSlots(cycle.standby(), cycle.primary()).stream()
                                    .map(SlotRow::slotName).toList() + " after a wait for its worker, but " + cycle.primary().node()
                                    + " has no slot of those names that " + PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES + " names",
                            () -> List.of(cycle.standby().node() + ": logical slots " + logicalSlotNames(cycle.standby()),
                                    cycle.primary().node() + ": slots to copy " + PgFailoverSlots.slotsToCopy(cycle.standby(), cycle.primary())
                                            .stream().map(SlotRow::slotName).toList())));
                    return findings.verdict();
                });
    }

    static Invariant workerCopiesEveryNamedSlot() {
        return new Invariant("pg-failover-slots-worker-copies-every-named-slot", Consequence.FAILOVER_UNUSABLE,
                "Once the standby has received the WAL up to the oldest restart_lsn of the slots its synchronize_slot_names"
                        + " names on the primary, the worker gives each of them a copy within a few naps (a wait for it long enough to"
                        + " outlast a restart ends with every copy made or being made), unless it is still making another's: it"
                        + " makes them one at a time and waits for each (known behaviour: one copy being made holds back the others).",
                "field-failures §4.2 and §4.3 (t/010_slot_sync.pl); pg_failover_slots.c synchronize_failover_slots(),"
                        + " synchronize_one_slot() (a new copy is made at once, active until safe)",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(catchUpWithASlotToCopy()),
                step -> {
                    Findings findings = new Findings();
                    unhinderedWaitForTheWorker(step).ifPresent(cycle -> findings.require(PgFailoverSlots.missingCopies(cycle.standby(), cycle.primary()).isEmpty(),
                            () -> "the worker of " + cycle.standby().node() + " made no copy of " + PgFailoverSlots.missingCopies(cycle.standby(), cycle.primary())
                                    + " within " + ((Operation.AwaitConvergence) step.operation()).boundSeconds() + " s, though the standby has"
                                    + " received the WAL they need",
                            () -> List.of(cycle.standby().node() + ": logical slots " + logicalSlotNames(cycle.standby()) + ", flushed "
                                            + cycle.standby().flushLsn(),
                                    cycle.primary().node() + ": slots to copy " + PgFailoverSlots.slotsToCopy(cycle.standby(), cycle.primary()).stream()
                                            .map(PgFailoverSlotsInvariants::describe).toList())));
                    return findings.verdict();
                });
    }

    static Invariant barrierHoldsWalsenders() {
        return new Invariant("pg-failover-slots-barrier-holds-walsenders", Consequence.LOST_CHANGES,
                "A consumer streaming a logical slot through a walsender of a primary with standby_slot_names receives nothing the"
                        + " listed slots have not flushed, so it never confirms past them (SQL decoding functions are not held).",
                "field-failures §4.1 and §4.3 (t/020_physical_before_logical.pl); pg_failover_slots.c wait_for_standby_confirmation()"
                        + " from the walsender's socket_putmessage_noblock()",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(walsenderWithAListedSlotBehind()),
                step -> {
                    Findings findings = new Findings();
                    if (step.operation() instanceof Operation.Acknowledge acknowledge && !acknowledge.stale()) {
                        step.now(acknowledge.node()).filter(node -> !node.inRecovery() && allMustConfirm(node)
                                        && !PgFailoverSlots.barrierSlots(node).contains(acknowledge.slot()))
                                .ifPresent(node -> PgFailoverSlots.barrierPosition(node).ifPresent(barrier -> {
                                    Optional<Lsn> before = step.before(node.node()).flatMap(b -> b.slot(acknowledge.slot())).map(SlotRow::confirmedFlushLsn);
                                    Optional<SlotRow> slot = node.slot(acknowledge.slot());
                                    boolean moved = slot.isPresent() && slot.get().confirmedFlushLsn() != null
                                            && before.map(b -> slot.get().confirmedFlushLsn().isAfter(b)).orElse(false);
                                    if (moved) {
                                        findings.require(!slot.get().confirmedFlushLsn().isAfter(barrier),
                                                () -> "a walsender let the consumer of " + acknowledge.slot() + " on " + node.node() + " confirm "
                                                        + slot.get().confirmedFlushLsn() + ", past " + barrier + ", what the slots of "
                                                        + PgFailoverSlots.STANDBY_SLOT_NAMES + " have flushed: a failover to them loses what it received",
                                                () -> List.of(node.node() + ": " + acknowledge.slot() + " confirmed_flush_lsn " + before.get()
                                                                + " -> " + slot.get().confirmedFlushLsn(),
                                                        node.node() + ": " + PgFailoverSlots.STANDBY_SLOT_NAMES + " " + PgFailoverSlots.barrierSlots(node)
                                                                + " flushed " + barrier));
                                    }
                                }));
                    }
                    return findings.verdict();
                });
    }

    static Invariant readyCopySurvivesPromotion() {
        return new Invariant("pg-failover-slots-ready-copy-survives-promotion", Consequence.FAILOVER_UNUSABLE,
                "A copy that was ready before the standby's promotion (made, and inactive: the README's readiness test) is a"
                        + " slot of the promoted server, at no earlier position; only a copy still being made is lost.",
                "field-failures §3.4 item 8, §4.2 and §4.3 (t/030_failover.pl); README \"How to check the standby is ready\";"
                        + " synchronize_one_slot() persists a copy only once safe",
                VersionProfile::syncsWithPgFailoverSlots,
                List.of(promotionWithAReadyCopy()),
                step -> {
                    Findings findings = new Findings();
                    if (step.operation() instanceof Operation.Promote promote && step.step().outcome() instanceof Outcome.Ok) {
                        Optional<NodeSnapshot> before = step.before(promote.node());
                        Optional<NodeSnapshot> after = step.now(promote.node()).filter(n -> !n.inRecovery());
                        Optional<NodeSnapshot> primary = before.flatMap(step::upstreamOf);
                        if (before.isPresent() && after.isPresent() && primary.isPresent()) {
                            for (SlotRow ready : PgFailoverSlots.copies(before.get(), primary.get()).stream().filter(PgFailoverSlots::isReady).toList()) {
                                Optional<SlotRow> kept = after.get().slot(ready.slotName()).filter(SlotRow::isLogical);
                                findings.require(kept.isPresent() && notAfter(ready.restartLsn(), kept.get().restartLsn())
                                                && notAfter(ready.confirmedFlushLsn(), kept.get().confirmedFlushLsn()),
                                        () -> "the copy of " + ready.slotName() + " was ready on " + promote.node() + " before its promotion ("
                                                + describe(ready) + "), and after it is " + kept.map(PgFailoverSlotsInvariants::describe).orElse("gone"),
                                        () -> List.of(promote.node() + " before promotion: " + describe(ready),
                                                promote.node() + " promoted: " + kept.map(PgFailoverSlotsInvariants::describe).orElse("no such slot")));
                            }
                        }
                    }
                    return findings.verdict();
                });
    }

    // ------------------------------------------------------------------ where a broken extension would show it

    private static Situation standbyBehindASlotItCopies() {
        return new Situation("pg-failover-slots-standby-behind-a-slot-it-copies",
                "a standby with a copy, observed having flushed less WAL than its slot's confirmed_flush_lsn on the primary",
                step -> step.observations().stream().filter(NodeSnapshot::inRecovery).anyMatch(standby -> step.upstreamNow(standby)
                        .filter(primary -> PgFailoverSlots.copies(standby, primary).stream().anyMatch(copy -> primary.slot(copy.slotName())
                                .map(SlotRow::confirmedFlushLsn).filter(lsn -> standby.flushLsn() != null && lsn.isAfter(standby.flushLsn()))
                                .isPresent())).isPresent()));
    }

    private static Situation madeCopyBehindItsSlot() {
        return new Situation("pg-failover-slots-made-copy-behind-its-slot",
                "a made copy whose slot on the primary has moved on (the worker's next cycle moves the copy)",
                step -> step.observations().stream().filter(NodeSnapshot::inRecovery).anyMatch(standby -> step.upstreamNow(standby)
                        .filter(primary -> PgFailoverSlots.copies(standby, primary).stream().filter(PgFailoverSlots::isMade)
                                .anyMatch(copy -> primary.slot(copy.slotName()).filter(slot -> slot.confirmedFlushLsn() != null
                                        && slot.confirmedFlushLsn().isAfter(copy.confirmedFlushLsn())).isPresent())).isPresent()));
    }

    private static Situation madeCopyMoved() {
        return new Situation("pg-failover-slots-made-copy-moved",
                "the worker moves a made copy's restart_lsn (to the oldest of the slots it copies): a cycle that moved it the wrong"
                        + " way would show here",
                step -> step.observations().stream().filter(standby -> standby.inRecovery() && !step.restartedSinceBefore(standby.node()))
                        .anyMatch(standby -> step.before(standby.node()).filter(NodeSnapshot::inRecovery).map(before -> standby.slots().stream()
                                .filter(copy -> copy.isLogical() && PgFailoverSlots.isMade(copy)).anyMatch(copy -> before.slot(copy.slotName())
                                        .filter(PgFailoverSlots::isMade).filter(earlier -> !Objects.equals(earlier.restartLsn(), copy.restartLsn()))
                                        .isPresent())).orElse(false)));
    }

    private static Situation catchUpAfterACopiedSlotLeft() {
        return new Situation("pg-failover-slots-catch-up-after-a-copied-slot-left",
                "the worker is waited for on a standby holding a copy of a slot its primary no longer has, or no longer names",
                step -> longWaitForTheWorker(step).filter(cycle -> step.before(cycle.standby().node()).map(before -> before.slots().stream()
                        .anyMatch(slot -> slot.isLogical() && PgFailoverSlots.copies(cycle.standby(), cycle.primary()).stream()
                                .noneMatch(copy -> copy.slotName().equals(slot.slotName())))).orElse(false)).isPresent());
    }

    private static Situation catchUpWithASlotToCopy() {
        return new Situation("pg-failover-slots-catch-up-with-a-slot-to-copy",
                "the worker is waited for while the primary has a slot to copy that the standby had no copy of",
                step -> longWaitForTheWorker(step).filter(cycle -> step.before(cycle.standby().node()).map(before -> PgFailoverSlots
                        .slotsToCopy(cycle.standby(), cycle.primary()).stream().anyMatch(slot -> before.slot(slot.slotName()).isEmpty())).orElse(false))
                        .isPresent());
    }

    private static Situation walsenderWithAListedSlotBehind() {
        return new Situation("pg-failover-slots-walsender-with-a-listed-slot-behind",
                "a consumer streams a logical slot from a primary whose standby_slot_names lists a slot behind the primary's WAL",
                step -> step.operation() instanceof Operation.Acknowledge acknowledge && !acknowledge.stale()
                        && step.before(acknowledge.node()).filter(node -> !node.inRecovery() && node.flushLsn() != null)
                        .flatMap(node -> PgFailoverSlots.barrierPosition(node).filter(barrier -> barrier.isBefore(node.flushLsn()))).isPresent());
    }

    private static Situation promotionWithAReadyCopy() {
        return new Situation("pg-failover-slots-promotion-with-a-ready-copy",
                "a standby holding a ready copy is promoted",
                step -> step.operation() instanceof Operation.Promote promote && step.before(promote.node()).flatMap(before ->
                        step.upstreamOf(before).map(primary -> PgFailoverSlots.copies(before, primary).stream().anyMatch(PgFailoverSlots::isReady)))
                        .orElse(false));
    }

    /** A standby and its primary, observed right after a wait for the worker. */
    private record Cycle(NodeSnapshot standby, NodeSnapshot primary) {
    }

    /**
     * The standby and its primary after a wait for the worker long enough to show it failing ({@link PgFailoverSlots#CATCH_UP_SECONDS}),
     * however the wait ended: a shorter one that runs out may only have met a worker restarting after an error.
     */
    private static Optional<Cycle> longWaitForTheWorker(StepContext step) {
        if (!(step.operation() instanceof Operation.AwaitConvergence await) || await.boundSeconds() < PgFailoverSlots.CATCH_UP_SECONDS) {
            return Optional.empty();
        }
        return step.now(await.node()).filter(NodeSnapshot::inRecovery)
                .flatMap(standby -> step.upstreamNow(standby).map(primary -> new Cycle(standby, primary)));
    }

    /**
     * The copies on {@code standby}, leaving out slots of its own of the same name: those it had when it was last a primary
     * (a demoted primary that rejoined keeps them where its own consumers left them, on its old timeline) and those made
     * on it (16 decodes on a standby): the worker takes a slot of the name for its copy, and moves no slot backwards.
     */
    private static List<SlotRow> copiesOf(StepContext step, NodeSnapshot standby, NodeSnapshot primary) {
        return PgFailoverSlots.copies(standby, primary).stream()
                .filter(copy -> step.slotWhenLastOutOfRecovery(standby.node(), copy.slotName()).isEmpty())
                .filter(copy -> step.steps().subList(0, step.position() + 1).stream().noneMatch(s -> s.outcome() instanceof Outcome.Ok
                        && s.operation() instanceof Operation.CreateLogicalSlot create && create.node().equals(standby.node())
                        && create.slot().equals(copy.slotName()))).toList();
    }

    /**
     * Whether a consumer on the standby decoded, advanced or streamed {@code slot} there: on 16 a standby decodes its own
     * logical slots, the extension's copies included, and moves them wherever that takes them.
     */
    private static boolean consumedOnTheStandby(StepContext step, String standby, String slot) {
        return step.steps().subList(0, step.position() + 1).stream()
                .filter(s -> s.outcome() instanceof Outcome.Ok && s.observation(standby).map(NodeSnapshot::inRecovery).orElse(false))
                .map(Step::operation).anyMatch(operation -> operation.node().equals(standby)
                        && (operation instanceof Operation.ConsumeChanges consume && consume.slot().equals(slot) && !consume.peek()
                        || operation instanceof Operation.AdvanceSlot advance && advance.slot().equals(slot)
                        || operation instanceof Operation.Acknowledge acknowledge && acknowledge.slot().equals(slot)));
    }

    /**
     * Such a wait where no copy is still being made: one that is holds the worker in its cycle, drops and the other copies
     * included (known behaviour), so only then does the wait's end show what the worker does.
     */
    private static Optional<Cycle> unhinderedWaitForTheWorker(StepContext step) {
        return longWaitForTheWorker(step).filter(cycle -> PgFailoverSlots.copyBeingMade(cycle.standby(), cycle.primary()).isEmpty());
    }

    /** Whether the slot may have been dropped and made again since {@code node}'s previous observation: by an operation, or by the worker. */
    private static boolean madeAgainSince(StepContext step, String node, String slot) {
        for (Step between : step.stepsSinceBefore(node)) {
            if (between.operation() instanceof Operation.DropSlot drop && drop.slot().equals(slot)
                    || between.operation() instanceof Operation.CreateLogicalSlot create && create.slot().equals(slot)) {
                return true;
            }
            boolean droppedByWorker = between.observation(node).stream().flatMap(o -> o.logLines().stream())
                    .anyMatch(line -> line.contains("dropping replication slot \"" + slot + "\""));
            if (droppedByWorker) {
                return true;
            }
        }
        return false;
    }

    /** Whether the primary's slot was ever seen further on than now: its confirmed_flush went back (a stale acknowledgement). */
    private static boolean primaryWentBack(StepContext step, String primary, SlotRow now) {
        return step.steps().subList(0, step.position()).stream().flatMap(s -> s.observation(primary).stream())
                .flatMap(o -> o.slot(now.slotName()).stream())
                .anyMatch(earlier -> earlier.confirmedFlushLsn() != null && now.confirmedFlushLsn() != null
                        && earlier.confirmedFlushLsn().isAfter(now.confirmedFlushLsn()));
    }

    /** The barrier with its default of every listed slot confirming (another count is not judged). */
    private static boolean allMustConfirm(NodeSnapshot node) {
        String minimum = node.settings().getOrDefault(PgFailoverSlots.STANDBY_SLOTS_MIN_CONFIRMED, "-1");
        return "-1".equals(minimum);
    }

    private static boolean notAfter(Lsn lsn, Lsn bound) {
        return lsn == null || bound == null || !lsn.isAfter(bound);
    }

    private static List<String> logicalSlotNames(NodeSnapshot node) {
        return node.slots().stream().filter(SlotRow::isLogical).map(s -> s.slotName() + (s.active() ? " (active)" : "")).toList();
    }

    private static String describe(SlotRow slot) {
        return slot.slotName() + " restart_lsn " + slot.restartLsn() + ", confirmed_flush_lsn " + slot.confirmedFlushLsn()
                + ", catalog_xmin " + slot.catalogXmin() + (slot.active() ? ", active" : "");
    }
}
