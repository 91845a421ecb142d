package io.slotcheck.model.invariant;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.Xid;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.SlotSync;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The guarantees about slots that observations alone can check: what every snapshot, or every pair of successive
 * snapshots of a node, must show. Section numbers refer to {@code spec/postgresql-slotsync.md}.
 */
final class SlotInvariants {

    private static final String IDLE_TIMEOUT = "idle_timeout";

    private SlotInvariants() {
    }

    static Invariant syncedConfirmedFlushWithinStandbyFlush() {
        return new Invariant("synced-confirmed-flush-within-standby-flush", Consequence.LOST_CHANGES,
                "A synced slot's confirmed_flush_lsn is never ahead of the WAL its standby has flushed (on its timeline, so far:"
                        + " a restarted standby replays it again only gradually).",
                "§1 item 3; slotsync.c synchronize_one_slot() (17/18), update_local_synced_slot() (19)",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWhileStandbyBehindAFailoverSlot(),
                        Situations.workerWhileStandbyBehindAFailoverSlot()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot node : step.observations()) {
                        if (!node.inRecovery()) {
                            continue;
                        }
                        Lsn flushed = step.walFlushedSoFar(node);
                        for (SlotRow slot : synced(node)) {
                            findings.require(slot.confirmedFlushLsn() == null || !slot.confirmedFlushLsn().isAfter(flushed),
                                    () -> "synced slot " + slot.slotName() + " on " + node.node() + " claims confirmed_flush_lsn "
                                            + slot.confirmedFlushLsn() + ", beyond the " + flushed
                                            + " of WAL the standby has flushed: after failover its consumer would skip changes the new primary never had",
                                    () -> List.of(node.node() + ": slot " + slot.slotName() + " confirmed_flush_lsn " + slot.confirmedFlushLsn(),
                                            node.node() + ": flushed WAL " + flushed + " (now " + node.flushLsn() + ")"));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant syncedCopiesOnlyOfPersistentFailoverSlots() {
        return new Invariant("synced-copies-only-of-persistent-failover-slots", Consequence.FAILOVER_UNUSABLE,
                "After a sync cycle a standby holds synced copies only of its primary's persistent failover logical slots;"
                        + " a slot dropped on the primary, or whose failover was turned off, is gone from the standby.",
                "§1 items 1 and 12; slotsync.c synchronize_slots() query WHERE failover AND NOT temporary, drop_local_obsolete_slots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncAfterFailoverSlotDropped(),
                        Situations.syncAfterFailoverTurnedOff()),
                step -> {
                    Findings findings = new Findings();
                    step.completedSyncCycle().ifPresent(cycle -> {
                        Set<String> eligible = cycle.primary().slots().stream().filter(SlotSync::sentBySyncQuery)
                                .map(SlotRow::slotName).collect(Collectors.toSet());
                        for (SlotRow copy : synced(cycle.standby())) {
                            findings.require(eligible.contains(copy.slotName()),
                                    () -> cycle.standby().node() + " keeps synced slot " + copy.slotName() + " after a successful sync cycle, but "
                                            + cycle.primary().node() + " has no persistent failover slot of that name",
                                    () -> List.of(cycle.standby().node() + ": synced slot " + copy.slotName(),
                                            cycle.primary().node() + ": persistent failover slots " + eligible));
                        }
                    });
                    return findings.verdict();
                });
    }

    static Invariant syncedPositionsNeverRetreat() {
        return new Invariant("synced-positions-never-retreat", Consequence.DUPLICATED_CHANGES,
                "On a standby, a synced slot's restart_lsn, confirmed_flush_lsn and catalog_xmin never move backwards"
                        + " (unless the copy was dropped and re-created: logged, or, for a temporary copy, dropped with the"
                        + " synchronizer holding it; or the standby restarted).",
                "§1 items 4 and 7; slotsync.c update_local_synced_slot(), slotsync_worker_onexit() -> ReplicationSlotCleanup()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWhilePrimarySlotBehindItsCopy(),
                        Situations.syncMovesAPersistentCopy()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        Optional<NodeSnapshot> before = step.before(now.node());
                        if (!now.inRecovery() || before.isEmpty() || !before.get().inRecovery() || step.restartedSinceBefore(now.node())) {
                            continue;
                        }
                        for (SlotRow slot : synced(now)) {
                            Optional<SlotRow> earlier = before.get().slot(slot.slotName()).filter(SlotRow::isSynced);
                            if (earlier.isEmpty() || wasDroppedBySync(now, slot.slotName(), step.profile()) || heldByAnother(earlier.get(), slot)) {
                                continue;
                            }
                            requireNotBefore(findings, now.node(), slot, earlier.get(), "restart_lsn", SlotRow::restartLsn);
                            requireNotBefore(findings, now.node(), slot, earlier.get(), "confirmed_flush_lsn", SlotRow::confirmedFlushLsn);
                            findings.require(earlier.get().catalogXmin() == null || slot.catalogXmin() == null
                                            || !new Xid(slot.catalogXmin()).precedes(new Xid(earlier.get().catalogXmin())),
                                    () -> "synced slot " + slot.slotName() + " on " + now.node() + " went back from catalog_xmin "
                                            + earlier.get().catalogXmin() + " to " + slot.catalogXmin()
                                            + ": decoding could need catalog rows the primary was allowed to remove",
                                    () -> List.of(now.node() + " before: catalog_xmin " + earlier.get().catalogXmin(),
                                            now.node() + " now: catalog_xmin " + slot.catalogXmin()));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant primaryConfirmedFlushNeverRetreats() {
        return new Invariant("primary-confirmed-flush-never-retreats", Consequence.DUPLICATED_CHANGES,
                "On a primary, a logical slot's confirmed_flush_lsn never moves backwards, even when a consumer acknowledges"
                        + " an older position (except back to the last checkpoint after a crash).",
                "§1 item 4; logical.c LogicalConfirmReceivedLocation() since 17.6 and 18",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.staleAcknowledgement()),
                Optional.of(UpstreamFix.CONFIRMED_FLUSH_NO_LONGER_RETREATS),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        Optional<NodeSnapshot> before = step.before(now.node());
                        if (now.inRecovery() || before.isEmpty() || before.get().inRecovery() || step.crashedSinceBefore(now.node())) {
                            continue;
                        }
                        for (SlotRow slot : now.slots()) {
                            Optional<SlotRow> earlier = before.get().slot(slot.slotName()).filter(SlotRow::isLogical);
                            if (slot.isLogical() && earlier.isPresent() && !recreatedSinceBefore(step, now.node(), slot.slotName())) {
                                requireNotBefore(findings, now.node(), slot, earlier.get(), "confirmed_flush_lsn", SlotRow::confirmedFlushLsn);
                            }
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant noTemporarySyncedSlotOutOfRecovery() {
        return new Invariant("no-temporary-synced-slot-out-of-recovery", Consequence.FAILOVER_UNUSABLE,
                "A server that is not in recovery (a promoted standby) has no temporary synced slots: they are dropped, never usable for failover.",
                "§1 items 7 and 18; slotsync.c ShutDownSlotSync(), slotsync_worker_onexit() -> ReplicationSlotCleanup()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.promotionWithATemporaryCopy(),
                        Situations.promotionWithAPersistentCopy(),
                        Situations.promotionWithTheWorkerRunning()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot node : step.observations()) {
                        if (node.inRecovery()) {
                            continue;
                        }
                        for (SlotRow slot : synced(node)) {
                            findings.require(!slot.temporary(),
                                    () -> node.node() + " is out of recovery yet still has the temporary synced slot " + slot.slotName()
                                            + ": only slots that were sync-ready before failover may be used",
                                    () -> List.of(node.node() + ": pg_is_in_recovery() = false",
                                            node.node() + ": slot " + slot.slotName() + " synced = true, temporary = true"));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant syncedCopyNotAheadOfPrimary() {
        return new Invariant("synced-copy-not-ahead-of-primary", Consequence.LOST_CHANGES,
                "A synced slot's confirmed_flush_lsn is never ahead of the same slot on its primary, as read after the copy.",
                "§1 item 5; slotsync.c update_local_synced_slot() copies the remote confirmed_flush (before 17.6 a stale"
                        + " acknowledgement could move the primary's slot back behind its copy)",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWithACopyBehindItsSlot()),
                Optional.of(UpstreamFix.CONFIRMED_FLUSH_NO_LONGER_RETREATS),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        // the primary's slot moves on while the readings are taken: an earlier reading of it may rightly be behind the copy
                        Optional<NodeSnapshot> primary = step.upstreamNow(standby)
                                .filter(p -> !p.inRecovery() && !p.takenAt().isBefore(standby.takenAt()));
                        if (!standby.inRecovery() || primary.isEmpty() || step.everCrashed(primary.get().node())) {
                            continue;
                        }
                        for (SlotRow copy : synced(standby)) {
                            if (leftFromItsOwnHistory(step, standby, copy)) {
                                continue;
                            }
                            primary.get().slot(copy.slotName()).filter(SlotRow::isLogical).ifPresent(original ->
                                    findings.require(copy.confirmedFlushLsn() == null || original.confirmedFlushLsn() == null
                                                    || !copy.confirmedFlushLsn().isAfter(original.confirmedFlushLsn()),
                                            () -> "synced slot " + copy.slotName() + " on " + standby.node() + " is at confirmed_flush_lsn "
                                                    + copy.confirmedFlushLsn() + ", ahead of " + original.confirmedFlushLsn() + " on "
                                                    + primary.get().node() + ", which never went back",
                                            () -> List.of(standby.node() + ": " + copy.slotName() + " confirmed_flush_lsn " + copy.confirmedFlushLsn(),
                                                    primary.get().node() + ": " + copy.slotName() + " confirmed_flush_lsn " + original.confirmedFlushLsn())));
                        }
                    }
                    return findings.verdict();
                });
    }

    /**
     * Whether {@code copy} is where it stood when {@code standby} was last a primary itself: a promoted standby that
     * rejoined (its timeline forked off its new upstream's) keeps what its own subscribers consumed, and no sync cycle
     * overwrites a local slot that is ahead (slotsync.c update_local_synced_slot(), found by the PG18 continuity campaign).
     */
    private static boolean leftFromItsOwnHistory(StepContext step, NodeSnapshot standby, SlotRow copy) {
        return step.slotWhenLastOutOfRecovery(standby.node(), copy.slotName())
                .filter(own -> Objects.equals(own.confirmedFlushLsn(), copy.confirmedFlushLsn())).isPresent();
    }

    static Invariant syncedSlotsAreFailoverLogicalSlots() {
        return new Invariant("synced-slots-are-failover-logical-slots", Consequence.MISREPORTED_STATE,
                "Only logical slots are synchronized, and a synced slot on a standby has failover = true (once promoted, the slot is"
                        + " the server's own: it keeps synced = true, and its failover may be altered like any other's).",
                "§1 items 1, 2 and 18; slotsync.c synchronize_slots(), update_local_synced_slot(); slot.c ReplicationSlotAlter()"
                        + " refuses synced slots only during recovery",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWithANonFailoverSlot()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot node : step.observations()) {
                        for (SlotRow slot : synced(node)) {
                            // found by the 17.12 default campaign: a subscription repointed to the promoted standby turned it off
                            boolean failoverItsOwnToAlter = !node.inRecovery() || step.slotWhenLastOutOfRecovery(node.node(), slot.slotName())
                                    .filter(own -> !own.isFailover()).isPresent();
                            findings.require(slot.isLogical() && (slot.isFailover() || failoverItsOwnToAlter),
                                    () -> "slot " + slot.slotName() + " on " + node.node() + " is synced but is " + slot.slotType()
                                            + " with failover = " + slot.failover(),
                                    () -> List.of(node.node() + ": " + slot.slotName() + " slot_type " + slot.slotType() + ", failover "
                                            + slot.failover() + ", synced true"));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant conflictingFollowsInvalidationReason() {
        return new Invariant("conflicting-follows-invalidation-reason", Consequence.MISREPORTED_STATE,
                "For a logical slot, conflicting is true exactly when invalidation_reason is rows_removed or wal_level_insufficient;"
                        + " for a physical slot it is NULL.",
                "§1 item 25; slotfuncs.c pg_get_replication_slots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.slotInvalidated("wal_removed"),
                        Situations.slotInvalidated("rows_removed")),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot node : step.observations()) {
                        for (SlotRow slot : node.slots()) {
                            Boolean expected = slot.isLogical()
                                    ? Set.of("rows_removed", "wal_level_insufficient").contains(String.valueOf(slot.invalidationReason()))
                                    : null;
                            findings.require(Objects.equals(expected, slot.conflicting()),
                                    () -> "slot " + slot.slotName() + " on " + node.node() + " shows conflicting = " + slot.conflicting()
                                            + " with invalidation_reason " + slot.invalidationReason(),
                                    () -> List.of(node.node() + ": " + slot.slotName() + " " + slot.slotType() + ", conflicting "
                                            + slot.conflicting() + ", invalidation_reason " + slot.invalidationReason()));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant twoPhaseAtWithinConfirmedFlush() {
        return new Invariant("two-phase-at-within-confirmed-flush", Consequence.MISREPORTED_STATE,
                "A synced slot's two_phase_at is never ahead of its confirmed_flush_lsn, and is NULL unless two_phase is on.",
                "§1 item 22; slotsync.c update_local_synced_slot() Assert(two_phase_at <= confirmed_flush), commit 4868c96bc8",
                VersionProfile::syncsTwoPhaseAt,
                List.of(Situations.copyOfATwoPhaseSlot()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot node : step.observations()) {
                        for (SlotRow slot : synced(node)) {
                            findings.require((slot.twoPhase() || slot.twoPhaseAt() == null)
                                            && (slot.twoPhaseAt() == null || slot.confirmedFlushLsn() == null
                                            || !slot.twoPhaseAt().isAfter(slot.confirmedFlushLsn())),
                                    () -> "synced slot " + slot.slotName() + " on " + node.node() + " has two_phase_at " + slot.twoPhaseAt()
                                            + " with two_phase " + slot.twoPhase() + " and confirmed_flush_lsn " + slot.confirmedFlushLsn(),
                                    () -> List.of(node.node() + ": " + slot.slotName() + " two_phase " + slot.twoPhase() + ", two_phase_at "
                                            + slot.twoPhaseAt() + ", confirmed_flush_lsn " + slot.confirmedFlushLsn()));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant noRowsRemovedWhileFeedbackHolds() {
        return new Invariant("no-rows-removed-while-feedback-holds", Consequence.FAILOVER_UNUSABLE,
                "While a standby has had hot_standby_feedback on and a primary_slot_name throughout, none of its synced slots is"
                        + " invalidated for removed rows, unless the primary's slot itself was.",
                "§1 item 13; walreceiver feedback stored in the physical slot; func.sgml caution on disabling hot_standby_feedback",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.catalogVacuumWithFeedback()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        if (!standby.inRecovery() || !StandbyFeedback.heldThroughout(step.steps(), step.position(), standby.node())) {
                            continue;
                        }
                        Optional<NodeSnapshot> primary = step.upstreamOf(standby);
                        // a primary that crashed lost the horizon the feedback had set: known behaviour
                        // FEEDBACK_HORIZON_LOST_IN_A_PRIMARY_CRASH, reported where it shows rather than judged here
                        if (primary.map(p -> step.everCrashed(p.node())).orElse(false)) {
                            continue;
                        }
                        for (SlotRow copy : synced(standby)) {
                            findings.require(!StandbyFeedback.rowsRemovedFromUnderIt(copy, primary),
                                    () -> "synced slot " + copy.slotName() + " on " + standby.node() + " was invalidated for removed rows although"
                                            + " hot_standby_feedback was on through the physical slot " + standby.settings().get("primary_slot_name"),
                                    () -> List.of(standby.node() + ": " + copy.slotName() + " invalidation_reason rows_removed",
                                            standby.node() + ": hot_standby_feedback on, primary_slot_name " + standby.settings().get("primary_slot_name")));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant physicalSlotHoldsTheCopiesCatalogXmin() {
        return new Invariant("physical-slot-holds-the-copies-catalog-xmin", Consequence.FAILOVER_UNUSABLE,
                "A standby streaming with hot_standby_feedback on reports its copies' catalog_xmin to its physical slot on the primary:"
                        + " once a copy has stood still for two status intervals, or through a wait for that feedback, that slot's"
                        + " catalog_xmin is not newer than the copy's, so the primary's VACUUM keeps the catalog rows decoding from the"
                        + " copy needs.",
                "§1 item 13; walreceiver.c XLogWalRcvSendHSFeedback(), walsender.c ProcessStandbyHSFeedbackMessage() ->"
                        + " PhysicalReplicationSlotNewXmin(); slotsync.c ValidateSlotSyncParams() requires both",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.copyStandingStillWhileStreaming()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        step.upstreamNow(standby).filter(primary -> !primary.inRecovery()).ifPresent(primary -> {
                            Optional<SlotRow> physical = StandbyFeedback.physicalSlot(standby, primary);
                            for (SlotRow copy : StandbyFeedback.reportedCopies(step, standby, primary)) {
                                findings.require(StandbyFeedback.held(copy, physical),
                                        () -> "the physical slot " + standby.settings().get("primary_slot_name") + " of " + standby.node() + " on "
                                                + primary.node() + " holds catalog_xmin " + physical.map(SlotRow::catalogXmin).orElse(null)
                                                + ", newer than the " + copy.catalogXmin() + " of the copy " + copy.slotName()
                                                + ", which stood still while the standby streamed with feedback on: the primary may remove the rows it needs",
                                        () -> List.of(standby.node() + ": " + copy.slotName() + " catalog_xmin " + copy.catalogXmin()
                                                        + ", wal_receiver_status_interval " + standby.settings().get("wal_receiver_status_interval"),
                                                StandbyFeedback.describePhysicalSlot(standby, primary)));
                            }
                        });
                    }
                    return findings.verdict();
                });
    }

    static Invariant invalidationPropagates() {
        return new Invariant("invalidation-propagates", Consequence.FAILOVER_UNUSABLE,
                "After a sync cycle, the copy of a primary slot that is invalidated carries the same invalidation_reason, and a"
                        + " copy invalidated on the standby alone has been dropped and re-created valid.",
                "§1 item 12; slotsync.c update_local_synced_slot() copies invalidated, local_sync_slot_required() drops locally invalid",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWithPrimarySlotInvalidated(),
                        Situations.syncWithCopyInvalidatedOnTheStandbyOnly()),
                step -> {
                    Findings findings = new Findings();
                    step.completedSyncCycle().ifPresent(cycle -> {
                        String standby = cycle.standby().node();
                        for (SlotRow copy : synced(cycle.standby())) {
                            cycle.primary().slot(copy.slotName()).ifPresent(original -> findings.require(
                                    Objects.equals(original.invalidationReason(), copy.invalidationReason()),
                                    () -> original.invalidationReason() == null
                                            ? "the copy of " + copy.slotName() + " on " + standby + " is still invalidated (" + copy.invalidationReason()
                                                    + ") after a sync cycle, although the primary's slot is valid: it should have been dropped and re-created"
                                            : "the copy of " + copy.slotName() + " on " + standby + " shows invalidation_reason " + copy.invalidationReason()
                                                    + " after a sync cycle, but the primary's slot was invalidated for " + original.invalidationReason(),
                                    () -> List.of(cycle.primary().node() + ": " + copy.slotName() + " invalidation_reason " + original.invalidationReason(),
                                            standby + ": " + copy.slotName() + " invalidation_reason " + copy.invalidationReason())));
                        }
                    });
                    return findings.verdict();
                });
    }

    static Invariant syncedCopyTimesOutOnlyWithItsSlot() {
        return new Invariant("synced-copy-times-out-only-with-its-slot", Consequence.FAILOVER_UNUSABLE,
                "From 18, idle_replication_slot_timeout never invalidates a synced slot while its standby is in recovery, however"
                        + " long it has been idle: a copy shows invalidation_reason idle_timeout only once the primary's slot has timed"
                        + " out (the sync copies that), so a standby's own timeout cannot leave it without the copies a failover needs.",
                "§1 item 23; slot.c CanInvalidateIdleSlot() skips synced slots in recovery; 040_standby_failover_slots_sync.pl",
                VersionProfile::timesOutIdleSlots,
                List.of(Situations.restartpointWithACopyIdlePastTheTimeout()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot standby : step.observations()) {
                        Optional<NodeSnapshot> before = step.before(standby.node());
                        if (!standby.inRecovery() || before.isEmpty() || !before.get().inRecovery()) {
                            continue;
                        }
                        boolean restartpoint = step.operation() instanceof Operation.Checkpoint checkpoint && checkpoint.node().equals(standby.node());
                        for (SlotRow copy : synced(standby)) {
                            Optional<SlotRow> was = before.get().slot(copy.slotName()).filter(s -> s.isSynced() && s.invalidationReason() == null);
                            boolean timedOut = IDLE_TIMEOUT.equals(copy.invalidationReason());
                            if (was.isEmpty() || !timedOut && !(restartpoint && Situations.idlePastTheTimeout(before.get(), was.get()))) {
                                continue;
                            }
                            Optional<SlotRow> original = step.upstreamNow(standby).flatMap(primary -> primary.slot(copy.slotName()));
                            findings.require(!timedOut || original.filter(slot -> IDLE_TIMEOUT.equals(slot.invalidationReason())).isPresent(),
                                    () -> "the copy of " + copy.slotName() + " on " + standby.node() + " was invalidated idle_timeout in recovery,"
                                            + " although its slot on the primary has not timed out: a promotion now finds no usable copy",
                                    () -> List.of(standby.node() + ": idle_replication_slot_timeout " + standby.settings().get("idle_replication_slot_timeout")
                                                    + ", " + copy.slotName() + " inactive_since " + was.get().inactiveSince() + " before, invalidation_reason "
                                                    + copy.invalidationReason() + " now",
                                            "primary: " + copy.slotName() + " " + original.map(slot -> "invalidation_reason " + slot.invalidationReason())
                                                    .orElse("not observed")));
                        }
                    }
                    return findings.verdict();
                });
    }

    static Invariant skipReasonSaysWhyACopyWaits() {
        return new Invariant("skip-reason-says-why-a-copy-waits", Consequence.MISREPORTED_STATE,
                "From 19 a copy shows why the last sync cycle left it where it is (pg_replication_slots.slotsync_skip_reason):"
                        + " slot_invalidated when it is invalidated, wal_not_flushed while its slot's confirmed_flush is past what the"
                        + " standby has flushed, wal_or_rows_removed while its slot's restart_lsn or catalog_xmin is behind its own, and"
                        + " nothing once the cycle could bring it to its slot; and a cycle that skipped it counts the skip"
                        + " (pg_stat_replication_slots.slotsync_skip_count grows, slotsync_last_skip is set).",
                "§5.3; slotsync.c update_local_synced_slot(), update_slotsync_skip_stats(), synchronize_one_slot();"
                        + " pgstat_replslot.c pgstat_report_replslotsync()",
                VersionProfile::showsSyncSkipReason,
                List.of(Situations.syncWithASkipToShow()),
                step -> {
                    Findings findings = new Findings();
                    step.completedSyncCycle().ifPresent(cycle -> {
                        for (SlotRow copy : synced(cycle.standby())) {
                            SyncSkipReason.expected(step, cycle, copy).ifPresent(expected -> findings.require(expected.allows(copy.slotsyncSkipReason()),
                                    () -> "after a sync cycle the copy of " + copy.slotName() + " on " + cycle.standby().node() + " shows slotsync_skip_reason "
                                            + copy.slotsyncSkipReason() + ", but " + expected.why(),
                                    () -> List.of(cycle.primary().node() + ": " + describe(cycle.primary().slot(copy.slotName()).stream().toList()),
                                            cycle.standby().node() + ": " + describe(List.of(copy)) + ", flushed WAL " + cycle.standby().flushLsn())));
                            SyncSkipReason.skipsBefore(step, cycle, copy).ifPresent(before -> findings.require(
                                    copy.slotsyncSkipCount() > before && copy.slotsyncLastSkip() != null,
                                    () -> "the last sync cycle skipped the copy of " + copy.slotName() + " on " + cycle.standby().node() + " ("
                                            + copy.slotsyncSkipReason() + ") without counting it: slotsync_skip_count " + before + " before, "
                                            + copy.slotsyncSkipCount() + " after",
                                    () -> List.of(cycle.standby().node() + ": " + copy.slotName() + " slotsync_skip_count " + copy.slotsyncSkipCount()
                                            + ", slotsync_last_skip " + copy.slotsyncLastSkip())));
                        }
                    });
                    return findings.verdict();
                });
    }

    static Invariant persistentCopyCatchesUpInACycle() {
        return new Invariant("persistent-copy-catches-up-in-a-cycle", Consequence.FAILOVER_UNUSABLE,
                "A sync cycle brings a persistent copy to its idle primary slot's confirmed_flush_lsn whenever nothing forbids the"
                        + " update: the primary slot's restart_lsn and catalog_xmin are not behind the copy's and the standby has flushed"
                        + " the WAL up to it.",
                "§1 items 3, 4 and 5; slotsync.c update_local_synced_slot(); 040_standby_failover_slots_sync.pl polls for equality",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncWithAPersistentCopyBehindItsIdleSlot()),
                step -> {
                    Findings findings = new Findings();
                    step.completedSyncCycle().ifPresent(cycle -> {
                        Optional<NodeSnapshot> standbyBefore = step.before(cycle.standby().node());
                        Optional<NodeSnapshot> primaryBefore = step.before(cycle.primary().node());
                        if (standbyBefore.isEmpty() || primaryBefore.isEmpty()) {
                            return;
                        }
                        for (SlotRow copy : synced(cycle.standby())) {
                            Optional<SlotRow> local = standbyBefore.get().slot(copy.slotName()).filter(s -> s.isSynced() && !s.temporary());
                            Optional<SlotRow> remote = cycle.primary().slot(copy.slotName());
                            boolean idle = remote.isPresent() && primaryBefore.get().slot(copy.slotName()).filter(r -> samePositions(r, remote.get())).isPresent();
                            boolean recreated = copy.temporary() || wasDroppedBySync(cycle.standby(), copy.slotName(), step.profile());
                            if (local.isEmpty() || !idle || recreated || !SlotSync.updateAllowed(local.get(), remote.get(), cycle.standby())) {
                                continue;
                            }
                            findings.require(Objects.equals(copy.confirmedFlushLsn(), remote.get().confirmedFlushLsn()),
                                    () -> "after a sync cycle the copy of " + copy.slotName() + " on " + cycle.standby().node() + " is at "
                                            + copy.confirmedFlushLsn() + ", not at " + remote.get().confirmedFlushLsn() + " of the idle slot on "
                                            + cycle.primary().node() + ", although nothing forbade the update",
                                    () -> List.of(cycle.primary().node() + ": " + copy.slotName() + " confirmed_flush_lsn " + remote.get().confirmedFlushLsn()
                                                    + ", restart_lsn " + remote.get().restartLsn() + ", catalog_xmin " + remote.get().catalogXmin(),
                                            cycle.standby().node() + " before: restart_lsn " + local.get().restartLsn() + ", catalog_xmin "
                                                    + local.get().catalogXmin() + "; flushed WAL now " + cycle.standby().flushLsn(),
                                            cycle.standby().node() + " now: confirmed_flush_lsn " + copy.confirmedFlushLsn()));
                        }
                    });
                    return findings.verdict();
                });
    }

    static Invariant workerConvergesWhenQuiet() {
        return new Invariant("worker-converges-when-quiet", Consequence.FAILOVER_UNUSABLE,
                "Once the cluster is quiet and the standby has flushed the WAL up to an idle failover slot, the slot sync worker"
                        + " gives the slot a copy, and brings a persistent copy to the slot's confirmed_flush_lsn whenever nothing"
                        + " forbids the update, within the bound of the wait.",
                "§1 items 1, 5, 6 and 21; slotsync.c ReplSlotSyncWorkerMain(), synchronize_slots();"
                        + " 040_standby_failover_slots_sync.pl waits for the worker's copies",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.quietClusterToConverge(),
                        Situations.quietClusterWithAnObsoleteCopy()),
                step -> {
                    Findings findings = new Findings();
                    // a wait the harness could not make (its standby cannot follow, its upstream is down) shows nothing
                    if (!(step.operation() instanceof Operation.AwaitConvergence await) || step.step().outcome() instanceof Outcome.Failed) {
                        return findings.verdict();
                    }
                    step.now(await.node()).ifPresent(standby -> step.upstreamNow(standby)
                            .filter(primary -> SlotSync.hasWorkToConverge(standby, primary))
                            .ifPresent(primary -> {
                                List<String> unconverged = SlotSync.unconvergedCopies(standby, primary);
                                findings.require(unconverged.isEmpty(),
                                        () -> "after " + await.boundSeconds() + " s of a quiet cluster the sync worker of " + standby.node()
                                                + " has not converged: " + String.join("; ", unconverged),
                                        () -> List.of(standby.node() + ": flushed WAL " + standby.flushLsn() + ", sync_replication_slots "
                                                        + standby.settings().get("sync_replication_slots"),
                                                primary.node() + " slots: " + describe(primary.slots()),
                                                standby.node() + " slots: " + describe(standby.slots())));
                            }));
                    return findings.verdict();
                });
    }

    static Invariant standbyBarrierHoldsBackFailoverConsumers() {
        return new Invariant("standby-barrier-holds-back-failover-consumers", Consequence.LOST_CHANGES,
                "With synchronized_standby_slots set on the primary, consuming a failover slot never moves its confirmed_flush"
                        + " beyond what every listed standby has flushed (the restart_lsn of its valid physical slot); a listed slot"
                        + " that is missing, not physical or invalidated holds it where it is.",
                "§1 item 14; slot.c WaitForStandbyConfirmation(), StandbySlotsHaveCaughtup(); logicalfuncs.c pg_logical_slot_get_changes_guts()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.barrierWithStandbyDown(),
                        Situations.barrierWithStandbyCutOff(),
                        Situations.barrierListingNoPhysicalSlot()),
                step -> {
                    Findings findings = new Findings();
                    Operation operation = step.operation();
                    String slotName = operation instanceof Operation.ConsumeChanges c && !c.peek() ? c.slot()
                            : operation instanceof Operation.AdvanceSlot a ? a.slot() : null;
                    Optional<NodeSnapshot> node = step.now(operation.node());
                    Optional<NodeSnapshot> before = step.before(operation.node());
                    if (slotName == null || node.isEmpty() || before.isEmpty() || node.get().inRecovery()) {
                        return findings.verdict();
                    }
                    List<String> listed = before.get().synchronizedStandbySlots();
                    Optional<SlotRow> was = before.get().slot(slotName);
                    if (listed.isEmpty() || !listed.equals(node.get().synchronizedStandbySlots()) || was.isEmpty()) {
                        return findings.verdict();
                    }
                    // whether the step ended well or was cancelled while waiting, the slot may only have moved within the bound
                    node.get().slot(slotName).filter(SlotRow::isFailover).ifPresent(slot -> {
                        boolean moved = slot.confirmedFlushLsn() != null && (was.get().confirmedFlushLsn() == null
                                || slot.confirmedFlushLsn().isAfter(was.get().confirmedFlushLsn()));
                        for (String physical : listed) {
                            Lsn flushed = node.get().slot(physical).filter(p -> p.isPhysical() && p.invalidationReason() == null)
                                    .map(SlotRow::restartLsn).orElse(null);
                            findings.require(!moved || flushed != null && !slot.confirmedFlushLsn().isAfter(flushed),
                                    () -> "failover slot " + slotName + " on " + node.get().node() + " moved to " + slot.confirmedFlushLsn()
                                            + (flushed == null ? " although " + physical + " is no valid physical slot there"
                                            : " although the standby behind " + physical + " has flushed only up to " + flushed)
                                            + ": after a failover to it, the consumer would have changes the new primary lacks",
                                    () -> List.of(node.get().node() + ": synchronized_standby_slots = " + String.join(",", listed),
                                            node.get().node() + ": " + slotName + " confirmed_flush_lsn " + was.get().confirmedFlushLsn()
                                                    + " before, " + slot.confirmedFlushLsn() + " after",
                                            node.get().node() + ": physical slot " + physical + " restart_lsn " + flushed));
                        }
                    });
                    return findings.verdict();
                });
    }

    static Invariant subscriptionFailoverReachesItsSlot() {
        return new Invariant("subscription-failover-reaches-its-slot", Consequence.FAILOVER_UNUSABLE,
                "CREATE SUBSCRIPTION ... WITH (failover) makes its slot on the publisher with that failover flag, and ALTER"
                        + " SUBSCRIPTION ... SET (failover) of a disabled subscription sets the flag of its slot on the publisher.",
                "§2 O10 and O12; subscriptioncmds.c CreateSubscription() walrcv_create_slot(), AlterSubscription() walrcv_alter_slot()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.subscriptionCreatedWithFailover(),
                        Situations.subscriptionFailoverAltered()),
                step -> {
                    Findings findings = new Findings();
                    Operation operation = step.operation();
                    String subscription = operation instanceof Operation.CreateSubscription create ? create.subscription()
                            : operation instanceof Operation.AlterSubscriptionFailover alter ? alter.subscription() : null;
                    if (subscription == null || !(step.step().outcome() instanceof Outcome.Ok)) {
                        return findings.verdict();
                    }
                    boolean requested = operation instanceof Operation.CreateSubscription create ? create.failover()
                            : ((Operation.AlterSubscriptionFailover) operation).failover();
                    // the publisher the subscription connects to (through the endpoint, where it leads), and its slot there
                    step.now(operation.node()).flatMap(subscriber -> subscriber.subscription(subscription)).ifPresent(row ->
                            step.step().publisherOf(row).ifPresent(publisher -> publisher.slot(row.slotName()).ifPresent(slot ->
                                    findings.require(slot.isFailover() == requested,
                                            () -> "the subscription asked for failover = " + requested + " but its slot " + row.slotName()
                                                    + " on " + publisher.node() + " has failover = " + slot.failover()
                                                    + (requested ? ": no standby gets a copy of it" : ""),
                                            () -> List.of(operation + ": ok", publisher.node() + ": " + row.slotName() + " failover " + slot.failover())))));
                    return findings.verdict();
                });
    }

    static Invariant syncedCopyMirrorsItsSlot() {
        return new Invariant("synced-copy-mirrors-its-slot", Consequence.FAILOVER_UNUSABLE,
                "A sync cycle gives a copy its slot's configuration: plugin, database, two_phase and failover, and from 18"
                        + " two_phase_at; from 18 a cycle that finds the primary's slot behind the copy (restart_lsn or catalog_xmin)"
                        + " leaves the copy as it is until a later one.",
                "§1 items 2 and 22; slotsync.c update_local_synced_slot(), synchronize_one_slot() ReplicationSlotCreate();"
                        + " 040_standby_failover_slots_sync.pl compares two_phase_at",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.syncAfterASlotWasMadeAgainOtherwise(),
                        Situations.syncOfATwoPhaseSlot()),
                step -> {
                    Findings findings = new Findings();
                    boolean withTwoPhaseAt = step.profile().syncsTwoPhaseAt();
                    step.completedSyncCycle().ifPresent(cycle -> step.before(cycle.primary().node()).ifPresent(primaryBefore -> {
                        Optional<NodeSnapshot> standbyBefore = step.before(cycle.standby().node());
                        for (SlotRow copy : synced(cycle.standby())) {
                            Optional<SlotRow> remote = cycle.primary().slot(copy.slotName()).filter(SlotSync::sentBySyncQuery)
                                    .filter(r -> r.invalidationReason() == null);
                            // the cycle read the slot as the primary showed it before and after, or what it read is not known
                            boolean seenByTheCycle = remote.isPresent() && primaryBefore.slot(copy.slotName())
                                    .filter(r -> SlotSync.configurationDifferences(r, remote.get(), true).isEmpty()
                                            && (step.profile().copiesConfigurationFromASlotBehindItsCopy() || samePositions(r, remote.get())))
                                    .isPresent();
                            if (copy.temporary() || copy.invalidationReason() != null || !seenByTheCycle) {
                                continue;
                            }
                            boolean leftAsItWas = !step.profile().copiesConfigurationFromASlotBehindItsCopy() && standbyBefore
                                    .flatMap(node -> node.slot(copy.slotName())).filter(s -> s.isSynced() && !s.temporary())
                                    .filter(local -> SlotSync.remotePrecedes(local, remote.get())).isPresent();
                            if (leftAsItWas) {
                                continue;
                            }
                            requireMirrors(findings, cycle.standby(), copy, cycle.primary(), remote.get(), withTwoPhaseAt, "a sync cycle");
                        }
                    }));
                    // a quiet worker's copy at its idle slot's confirmed_flush_lsn was updated last with the slot as it is
                    if (step.operation() instanceof Operation.AwaitConvergence await && !(step.step().outcome() instanceof Outcome.Failed)) {
                        step.now(await.node()).ifPresent(standby -> step.upstreamNow(standby).ifPresent(primary -> {
                            for (SlotRow remote : SlotSync.convergenceTargets(standby, primary)) {
                                standby.slot(remote.slotName())
                                        .filter(copy -> copy.isSynced() && !copy.temporary() && copy.invalidationReason() == null)
                                        .filter(copy -> Objects.equals(copy.confirmedFlushLsn(), remote.confirmedFlushLsn()))
                                        .ifPresent(copy -> requireMirrors(findings, standby, copy, primary, remote, withTwoPhaseAt,
                                                "the worker's cycles in a quiet cluster"));
                            }
                        }));
                    }
                    return findings.verdict();
                });
    }

    private static void requireMirrors(Findings findings, NodeSnapshot standby, SlotRow copy, NodeSnapshot primary, SlotRow remote,
                                       boolean withTwoPhaseAt, String after) {
        List<String> differences = SlotSync.configurationDifferences(copy, remote, withTwoPhaseAt);
        findings.require(differences.isEmpty(),
                () -> "after " + after + " the copy of " + copy.slotName() + " on " + standby.node() + " differs from its slot on "
                        + primary.node() + ": " + String.join(", ", differences) + "; after failover its consumer would decode otherwise",
                () -> List.of(primary.node() + ": " + describeConfiguration(remote),
                        standby.node() + ": " + describeConfiguration(copy)));
    }

    private static String describeConfiguration(SlotRow slot) {
        return slot.slotName() + " plugin " + slot.plugin() + ", database " + slot.database() + ", two_phase " + slot.twoPhase()
                + ", two_phase_at " + slot.twoPhaseAt() + ", failover " + slot.failover() + ", confirmed_flush_lsn "
                + slot.confirmedFlushLsn() + ", restart_lsn " + slot.restartLsn() + ", catalog_xmin " + slot.catalogXmin();
    }

    static Invariant manualSyncLeavesNoTemporaryCopy() {
        return new Invariant("manual-sync-leaves-no-temporary-copy", Consequence.MISREPORTED_STATE,
                "In 17 and 18 pg_sync_replication_slots() drops the temporary copies it made when it ends, well or with an error"
                        + " once it has begun to sync: a copy it could not make sync-ready leaves no row behind (no worker running).",
                "§1 items 6 and 7(a); slotsync.c SyncReplicationSlots() -> ReplicationSlotCleanup(), slotsync_failure_callback()",
                profile -> profile.hasFailoverSlots() && !profile.manualSyncRetriesUntilReady(),
                List.of(Situations.manualSyncMakingANewCopy(),
                        Situations.manualSyncThatCouldNotMakeACopyReady()),
                step -> {
                    Findings findings = new Findings();
                    if (!(step.operation() instanceof Operation.SyncSlots sync) || !endedAfterSyncing(step)) {
                        return findings.verdict();
                    }
                    // a worker would hold temporary copies of its own: it runs when sync_replication_slots is on
                    step.now(sync.node()).filter(standby -> standby.inRecovery() && !"on".equals(standby.settings().get("sync_replication_slots")))
                            .ifPresent(standby -> {
                                List<String> left = synced(standby).stream().filter(SlotRow::temporary).map(SlotRow::slotName).toList();
                                findings.require(left.isEmpty(),
                                        () -> "pg_sync_replication_slots() on " + standby.node() + " ended "
                                                + (step.step().outcome() instanceof Outcome.Failed failed ? "with '" + failed.message() + "'" : "well")
                                                + " leaving the temporary synced slots " + left + " behind, with no worker running",
                                        () -> List.of(standby.node() + ": sync_replication_slots " + standby.settings().get("sync_replication_slots"),
                                                standby.node() + ": synced and temporary: " + left));
                            });
                    return findings.verdict();
                });
    }

    /**
     * A manual sync that ended, well or with an error raised once it held the syncing flag (after
     * {@code check_and_set_sync_info()}, so no worker was running): the lsn-ahead and same-name errors of §1 items 3 and 11.
     */
    static boolean endedAfterSyncing(StepContext step) {
        Outcome outcome = step.step().outcome();
        return outcome instanceof Outcome.Ok || outcome instanceof Outcome.Failed failed
                && Stream.of(Message.SYNC_LSN_AHEAD, Message.SYNC_SAME_NAME_EXISTS).anyMatch(m -> step.profile().text(m).matches(failed.message()));
    }

    /**
     * Whether {@code slot}, in use and showing an inactive_since, may have been read in 17's moment between its
     * acquisition and the clearing of that value: unless the node's previous observation showed it so too, held by the
     * same process (two reads in that moment of microseconds, one after the other, would be a stuck value).
     */
    private static boolean justAcquired(SlotRow slot, Optional<NodeSnapshot> before) {
        return slot.active() && slot.inactiveSince() != null && before.flatMap(node -> node.slot(slot.slotName()))
                .filter(was -> was.active() && was.inactiveSince() != null && Objects.equals(was.activePid(), slot.activePid())).isEmpty();
    }

    static Invariant droppedDatabaseTakesItsSlots() {
        return new Invariant("dropped-database-takes-its-slots", Consequence.MISREPORTED_STATE,
                "DROP DATABASE on a primary drops the database's logical slots there, and a standby that has replayed it has no"
                        + " slot of that database left, its synced copies included, whether or not a sync came between.",
                "§1 item 28; dbcommands.c dropdb() and dbase_redo() -> slot.c ReplicationSlotsDropDBSlots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.databaseDroppedWithACopy()),
                step -> {
                    Findings findings = new Findings();
                    for (DroppedDatabases.Drop drop : DroppedDatabases.upTo(step)) {
                        if (drop.position() == step.position()) {
                            List<SlotRow> left = drop.primary().slots().stream().filter(drop::owns).toList();
                            findings.require(left.isEmpty(),
                                    () -> "DROP DATABASE " + drop.database() + " on " + drop.primary().node() + " left its slots " + names(left),
                                    () -> List.of(drop.primary().node() + ": " + describe(left)));
                        }
                        for (NodeSnapshot standby : step.observations()) {
                            if (!standby.inRecovery() || standby.replayLsn() == null || standby.replayLsn().isBefore(drop.flushedAfter())
                                    || DroppedDatabases.sameLineage(step, standby, drop).isEmpty()) {
                                continue;
                            }
                            List<SlotRow> left = standby.slots().stream().filter(drop::owns).toList();
                            findings.require(left.isEmpty(),
                                    () -> standby.node() + " replayed DROP DATABASE " + drop.database() + " (up to " + standby.replayLsn()
                                            + ", past " + drop.flushedAfter() + ") yet keeps its slots " + names(left),
                                    () -> List.of(standby.node() + ": replayed " + standby.replayLsn() + ", " + describe(left),
                                            drop.primary().node() + " after the drop: flushed " + drop.flushedAfter()));
                        }
                    }
                    return findings.verdict();
                });
    }

    private static String names(List<SlotRow> slots) {
        return slots.stream().map(SlotRow::slotName).collect(Collectors.joining(", "));
    }

    static Invariant copiedSlotNeverFailsOver() {
        return new Invariant("copied-slot-never-fails-over", Consequence.FAILOVER_UNUSABLE,
                "pg_copy_logical_replication_slot() makes a logical slot with its source's plugin but never its failover (a copy"
                        + " made where a synced slot was dropped would look to the synchronizer like that slot moving back), its"
                        + " two_phase or its synced flag.",
                "§1 item 24; slotfuncs.c copy_replication_slot() creates the copy with two_phase and failover false (17, 18, 19)",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.copyOfAFailoverSlot(), Situations.copyOfASyncedCopy()),
                step -> {
                    Findings findings = new Findings();
                    if (!(step.operation() instanceof Operation.CopyLogicalSlot copying) || !(step.step().outcome() instanceof Outcome.Ok)) {
                        return findings.verdict();
                    }
                    step.now(copying.node()).ifPresent(node -> {
                        Optional<SlotRow> source = node.slot(copying.source()).or(() -> step.before(copying.node()).flatMap(n -> n.slot(copying.source())));
                        // a temporary copy (of a temporary source) ends with the session that made it
                        node.slot(copying.slot()).ifPresent(copy -> {
                            findings.require(copy.isLogical() && !copy.isFailover() && !copy.twoPhase() && !copy.isSynced(),
                                    () -> "the copy " + copy.slotName() + " of " + copying.source() + " on " + node.node() + " was made with"
                                            + (copy.isFailover() ? " failover" : "") + (copy.twoPhase() ? " two_phase" : "")
                                            + (copy.isSynced() ? " synced" : "") + (copy.isLogical() ? "" : " as a " + copy.slotType() + " slot"),
                                    () -> List.of(node.node() + ": " + describe(List.of(copy))));
                            source.ifPresent(original -> findings.require(Objects.equals(original.plugin(), copy.plugin()),
                                    () -> "the copy " + copy.slotName() + " on " + node.node() + " decodes with " + copy.plugin() + ", not its source "
                                            + original.slotName() + "'s " + original.plugin(),
                                    () -> List.of(node.node() + ": " + describe(List.of(original, copy)))));
                        });
                    });
                    return findings.verdict();
                });
    }

    static Invariant inactiveSinceFollowsUse() {
        return new Invariant("inactive-since-follows-use", Consequence.MISREPORTED_STATE,
                "A persistent slot in use shows no inactive_since (17 may show it for the moment of an acquisition) and one not in"
                        + " use shows when it was released (from 18 an invalidated slot's is no longer set, and a restart leaves it NULL);"
                        + " at promotion every synced slot gets"
                        + " one common inactive_since, later than the one it had.",
                "§1 item 17; slot.c ReplicationSlotAcquire()/ReplicationSlotRelease(), ReplicationSlotSetInactiveSince() (18);"
                        + " slotsync.c update_synced_slots_inactive_since(); 040_standby_failover_slots_sync.pl",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.persistentSlotInUse(),
                        Situations.promotionWithCopiesToStamp()),
                step -> {
                    Findings findings = new Findings();
                    boolean invalidatedKeepTheirs = step.profile().keepsInactiveSinceOfInvalidatedSlots();
                    for (NodeSnapshot node : step.observations()) {
                        for (SlotRow slot : node.slots()) {
                            if (slot.temporary() || invalidatedKeepTheirs && slot.invalidationReason() != null
                                    || !step.profile().clearsInactiveSinceAsItAcquires() && justAcquired(slot, step.before(node.node()))) {
                                continue;
                            }
                            findings.require(slot.active() == (slot.inactiveSince() == null),
                                    () -> "slot " + slot.slotName() + " on " + node.node() + (slot.active()
                                            ? " is in use (active_pid " + slot.activePid() + ") yet shows inactive_since " + slot.inactiveSince()
                                            : " is not in use yet shows no inactive_since"),
                                    () -> List.of(node.node() + ": " + slot.slotName() + " active " + slot.active() + ", inactive_since "
                                            + slot.inactiveSince() + ", invalidation_reason " + slot.invalidationReason()));
                        }
                    }
                    promotedStamps(step).ifPresent(promoted -> {
                        Set<Instant> stamps = promoted.copies().stream().map(SlotRow::inactiveSince).collect(Collectors.toSet());
                        findings.require(stamps.size() == 1,
                                () -> "the synced slots of " + promoted.node().node() + " show " + stamps.size()
                                        + " inactive_since values after its promotion, not one common value",
                                () -> promoted.copies().stream().map(copy -> promoted.node().node() + ": " + copy.slotName()
                                        + " inactive_since " + copy.inactiveSince()).toList());
                        for (SlotRow copy : promoted.copies()) {
                            promoted.before().slot(copy.slotName()).filter(was -> was.inactiveSince() != null && !was.temporary())
                                    .ifPresent(was -> findings.require(copy.inactiveSince().isAfter(was.inactiveSince()),
                                            () -> "the synced slot " + copy.slotName() + " of " + promoted.node().node() + " shows inactive_since "
                                                    + copy.inactiveSince() + " after its promotion, not later than the " + was.inactiveSince() + " it had before",
                                            () -> List.of(promoted.node().node() + " before: " + copy.slotName() + " inactive_since " + was.inactiveSince(),
                                                    promoted.node().node() + " after: " + copy.slotName() + " inactive_since " + copy.inactiveSince())));
                        }
                    });
                    return findings.verdict();
                });
    }

    /** A standby promoted at this step, as observed before and after, and the synced slots the promotion stamped. */
    record PromotedStamps(NodeSnapshot before, NodeSnapshot node, List<SlotRow> copies) {
    }

    /**
     * The synced slots a promotion at this step gave their common inactive_since (§1 item 17, only those from 18 on that
     * are valid): those not in use when observed after, and not a subscription's, whose apply worker may take and leave
     * its slot at once on the new primary.
     */
    static Optional<PromotedStamps> promotedStamps(StepContext step) {
        if (!(step.operation() instanceof Operation.Promote promote) || !(step.step().outcome() instanceof Outcome.Ok)) {
            return Optional.empty();
        }
        Set<String> subscribed = step.observations().stream().flatMap(node -> node.subscriptions().stream())
                .map(SubscriptionRow::slotName).collect(Collectors.toSet());
        boolean invalidatedKeepTheirs = step.profile().keepsInactiveSinceOfInvalidatedSlots();
        return step.before(promote.node()).filter(NodeSnapshot::inRecovery).flatMap(before -> step.now(promote.node())
                .filter(node -> !node.inRecovery())
                .map(node -> new PromotedStamps(before, node, synced(node).stream()
                        .filter(copy -> !copy.temporary() && !copy.active() && copy.inactiveSince() != null)
                        .filter(copy -> !subscribed.contains(copy.slotName()) && !copy.isTableSyncSlot())
                        .filter(copy -> !(invalidatedKeepTheirs && copy.invalidationReason() != null))
                        .toList())))
                .filter(promoted -> !promoted.copies().isEmpty());
    }

    // ------------------------------------------------------------------ helpers

    /** Whether the two rows of a slot show the same confirmed_flush_lsn, restart_lsn and catalog_xmin. */
    static boolean samePositions(SlotRow a, SlotRow b) {
        return Objects.equals(a.confirmedFlushLsn(), b.confirmedFlushLsn()) && Objects.equals(a.restartLsn(), b.restartLsn())
                && Objects.equals(a.catalogXmin(), b.catalogXmin());
    }

    /** The logical slots of a node, as evidence: kind, positions, validity. */
    private static String describe(List<SlotRow> slots) {
        return slots.stream().filter(SlotRow::isLogical)
                .map(slot -> slot.slotName() + (slot.isSynced() ? " synced" : "") + (slot.temporary() ? " temporary" : "")
                        + (slot.active() ? " active" : "") + " confirmed_flush_lsn " + slot.confirmedFlushLsn() + " restart_lsn "
                        + slot.restartLsn() + " catalog_xmin " + slot.catalogXmin()
                        + (slot.invalidationReason() == null ? "" : " invalidated " + slot.invalidationReason()))
                .collect(Collectors.joining("; ")).transform(text -> text.isEmpty() ? "none" : text);
    }

    static List<SlotRow> synced(NodeSnapshot node) {
        return node.slots().stream().filter(SlotRow::isSynced).toList();
    }

    private static void requireNotBefore(Findings findings, String node, SlotRow now, SlotRow before, String column,
                                         Function<SlotRow, Lsn> position) {
        Lsn earlier = position.apply(before);
        Lsn later = position.apply(now);
        findings.require(earlier == null || later == null || !later.isBefore(earlier),
                () -> "slot " + now.slotName() + " on " + node + " went back from " + column + " " + earlier + " to " + later,
                () -> List.of(node + " before: " + now.slotName() + " " + column + " " + earlier,
                        node + " now: " + now.slotName() + " " + column + " " + later));
    }

    /** The synchronizer logs each drop of a copy (obsolete or invalidated); a later copy is a new slot. */
    private static boolean wasDroppedBySync(NodeSnapshot now, String slot, VersionProfile profile) {
        return now.logLines().stream().anyMatch(line -> profile.text(Message.SYNC_DROPPED_SLOT).foundIn(line)
                && line.contains("\"" + slot + "\""));
    }

    /**
     * A temporary copy belongs to the synchronizer that made it and is dropped when that process exits (§1 item 7): one
     * held by another process is a new slot (found by the PG18 continuity campaign, seed 6018 sequence 69: a worker
     * restarted for a parameter change re-made a tablesync slot's temporary copy, catalog_xmin 763 before, 760 after).
     */
    private static boolean heldByAnother(SlotRow earlier, SlotRow now) {
        return earlier.temporary() && !Objects.equals(earlier.activePid(), now.activePid());
    }

    private static boolean recreatedSinceBefore(StepContext step, String node, String slot) {
        return step.stepsSinceBefore(node).stream().map(Step::operation)
                .anyMatch(op -> op.node().equals(node) && (op instanceof Operation.DropSlot d && d.slot().equals(slot)
                        || op instanceof Operation.CreateLogicalSlot c && c.slot().equals(slot)));
    }
}
