package io.slotcheck.harness.run;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.LogLineTime;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.SlotSync;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.MessageTemplate;
import io.slotcheck.model.version.VersionProfile;

import java.lang.reflect.RecordComponent;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Servers broken on purpose, to measure slotcheck itself: each mutant is a lens over what the harness records of a real
 * server's steps (outcomes and observations) that imitates one plausible bug of this feature — a copy made although the
 * standby is behind, a temporary copy still listed after promotion, a synced copy a user could drop, the barrier not
 * holding a consumer back, ... — at least one per invariant. {@code ./slotcheck selftest} runs a directed campaign through
 * each and reports whether the checker caught it, how soon, and how short the shrunk sequence is.
 *
 * @param name      stable identifier
 * @param invariant the invariant the bug breaks (another may catch it first)
 * @param imitates  the bug, in one sentence
 * @param appliesTo the versions where the invariant it breaks applies
 * @param lenses    a new lens for each cluster (a lens remembers what it saw and reported)
 */
public record Mutant(String name, String invariant, String imitates, Predicate<VersionProfile> appliesTo,
                      Supplier<UnaryOperator<Step>> lenses) {

    private static final Predicate<VersionProfile> ALL_VERSIONS = profile -> true;

    /** Every mutant, one or more per invariant of the catalogue. */
    public static List<Mutant> catalogue() {
        return Stream.concat(ofTheServersOwnSlotSync().stream(), ofPgFailoverSlots().stream()).toList();
    }

    private static List<Mutant> ofTheServersOwnSlotSync() {
        return List.of(
                new Mutant("sync-ignores-the-standby-flush", "synced-confirmed-flush-within-standby-flush",
                        "pg_sync_replication_slots() copies a failover slot whose confirmed_flush_lsn the standby has not flushed, and succeeds",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.SyncSlots sync)) {
                                return step;
                            }
                            Optional<NodeSnapshot> primary = onlyPrimary(step);
                            Optional<NodeSnapshot> standby = step.observation(sync.node()).filter(NodeSnapshot::inRecovery);
                            if (primary.isEmpty() || standby.isEmpty() || standby.get().flushLsn() == null) {
                                return step;
                            }
                            List<SlotRow> ahead = primary.get().slots().stream().filter(slot -> slot.isLogical() && slot.isFailover()
                                    && !slot.temporary() && slot.confirmedFlushLsn() != null
                                    && slot.confirmedFlushLsn().isAfter(standby.get().flushLsn())).toList();
                            if (ahead.isEmpty()) {
                                return step;
                            }
                            List<SlotRow> slots = new ArrayList<>(standby.get().slots());
                            ahead.forEach(remote -> put(slots, copyOf(remote)));
                            return with(step, Outcome.ok(), standby.get().withSlots(slots));
                        }),
                new Mutant("copy-of-a-dropped-slot-kept", "synced-copies-only-of-persistent-failover-slots",
                        "a sync cycle leaves the copy of a slot the primary dropped",
                        ALL_VERSIONS, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.SyncSlots sync) || !(step.outcome() instanceof Outcome.Ok)) {
                                return step;
                            }
                            return step.observation(sync.node()).filter(NodeSnapshot::inRecovery).map(standby -> {
                                List<SlotRow> slots = new ArrayList<>(standby.slots());
                                copiesOf(seen.get(sync.node())).filter(copy -> !copy.temporary() && standby.slot(copy.slotName()).isEmpty())
                                        .forEach(slots::add);
                                return with(step, step.outcome(), standby.withSlots(slots));
                            }).orElse(step);
                        })),
                new Mutant("copy-restart-lsn-goes-back", "synced-positions-never-retreat",
                        "a standby reports a synced copy's restart_lsn behind where it stood before",
                        ALL_VERSIONS, () -> {
                            Map<String, Lsn> reported = new HashMap<>();
                            return observations(snapshot -> !snapshot.inRecovery() ? snapshot
                                    : snapshot.withSlots(snapshot.slots().stream().map(slot -> {
                                if (!slot.isSynced() || slot.restartLsn() == null) {
                                    return slot;
                                }
                                String key = snapshot.node() + "/" + slot.slotName();
                                Lsn lie = reported.containsKey(key) ? new Lsn(reported.get(key).value() - 1) : slot.restartLsn();
                                reported.put(key, lie);
                                return restartAt(slot, lie);
                            }).toList()));
                        }),
                new Mutant("stale-acknowledgement-moves-the-slot-back", "primary-confirmed-flush-never-retreats",
                        "a consumer's acknowledgement of an older position moves the primary's slot back to it (what 17.6 fixed)",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.Acknowledge ack) || !ack.stale()) {
                                return step;
                            }
                            return step.observation(ack.node()).filter(node -> !node.inRecovery()).map(node -> with(step, step.outcome(),
                                    node.withSlots(node.slots().stream().map(slot -> slot.slotName().equals(ack.slot())
                                            && slot.confirmedFlushLsn() != null
                                            && slot.confirmedFlushLsn().value() > 0
                                            ? slot.withConfirmedFlushLsn(new Lsn(slot.confirmedFlushLsn().value() - 1)) : slot).toList())))
                                    .orElse(step);
                        }),
                new Mutant("temporary-copy-survives-promotion", "no-temporary-synced-slot-out-of-recovery",
                        "a promoted standby still lists the temporary synced copies it had",
                        ALL_VERSIONS, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.Promote promote) || !(step.outcome() instanceof Outcome.Ok)) {
                                return step;
                            }
                            return step.observation(promote.node()).map(node -> {
                                List<SlotRow> slots = new ArrayList<>(node.slots());
                                copiesOf(seen.get(promote.node())).filter(SlotRow::temporary).forEach(copy -> put(slots, copy));
                                return with(step, step.outcome(), node.withSlots(slots));
                            }).orElse(step);
                        })),
                new Mutant("copy-ahead-of-its-slot", "synced-copy-not-ahead-of-primary",
                        "a sync cycle gives a copy the standby's flush position rather than its slot's confirmed_flush_lsn",
                        ALL_VERSIONS, () -> afterSync((standby, primary) -> standby.withSlots(
                                standby.slots().stream().map(copy -> copy.isSynced() && primary.slot(copy.slotName())
                                        .filter(remote -> remote.confirmedFlushLsn() != null
                                                && remote.confirmedFlushLsn().isBefore(standby.flushLsn()))
                                        .isPresent() ? copy.withConfirmedFlushLsn(standby.flushLsn()) : copy).toList()))),
                new Mutant("copy-without-failover", "synced-slots-are-failover-logical-slots",
                        "a synced copy shows failover = false",
                        ALL_VERSIONS, () -> afterSync((standby, primary) -> standby.withSlots(standby.slots().stream()
                                .map(copy -> copy.isSynced() ? failover(copy, false) : copy).toList()))),
                new Mutant("conflicting-misreported", "conflicting-follows-invalidation-reason",
                        "an invalidated slot shows the opposite of what its invalidation_reason says of conflicting",
                        ALL_VERSIONS, () -> observations(snapshot -> snapshot.withSlots(snapshot.slots().stream()
                                .map(slot -> slot.isLogical() && slot.invalidationReason() != null
                                        ? invalidated(slot, slot.invalidationReason(), !Boolean.TRUE.equals(slot.conflicting())) : slot).toList()))),
                new Mutant("two-phase-at-past-confirmed-flush", "two-phase-at-within-confirmed-flush",
                        "a two_phase copy's two_phase_at is synced ahead of its confirmed_flush_lsn",
                        VersionProfile::syncsTwoPhaseAt, () -> observations(snapshot -> snapshot.withSlots(snapshot.slots().stream()
                                .map(slot -> slot.isSynced() && slot.twoPhase() && slot.confirmedFlushLsn() != null
                                        ? twoPhaseAt(slot, new Lsn(slot.confirmedFlushLsn().value() + 8)) : slot).toList()))),
                new Mutant("feedback-does-not-hold-catalog-rows", "no-rows-removed-while-feedback-holds",
                        "catalogs vacuumed after catalog changes invalidate a standby's copies rows_removed although hot_standby_feedback is on",
                        ALL_VERSIONS, () -> {
                            boolean[] churned = {false};
                            Map<String, String> invalidatedCopies = new HashMap<>();
                            return step -> {
                                if (step.operation() instanceof Operation.WriteTransactions write && write.catalogChange()) {
                                    churned[0] = true;
                                }
                                if (step.operation() instanceof Operation.VacuumCatalogs && churned[0]) {
                                    step.observations().values().stream().filter(NodeSnapshot::inRecovery)
                                            .filter(node -> "on".equals(node.settings().get("hot_standby_feedback")))
                                            .forEach(node -> node.slots().stream().filter(SlotRow::isSynced)
                                                    .forEach(copy -> invalidatedCopies.put(node.node() + "/" + copy.slotName(), copy.slotName())));
                                }
                                return observations(snapshot -> snapshot.withSlots(snapshot.slots().stream()
                                        .map(slot -> slot.isSynced() && invalidatedCopies.containsKey(snapshot.node() + "/" + slot.slotName())
                                                ? invalidated(slot, "rows_removed", true) : slot).toList())).apply(step);
                            };
                        }),
                new Mutant("feedback-leaves-out-the-copies", "physical-slot-holds-the-copies-catalog-xmin",
                        "a standby's hot_standby_feedback leaves its copies' catalog_xmin out, so its physical slot on the primary holds none",
                        ALL_VERSIONS, () -> observations(snapshot -> snapshot.inRecovery() ? snapshot : snapshot.withSlots(snapshot.slots().stream()
                                .map(slot -> slot.isPhysical() ? withoutCatalogXmin(slot) : slot).toList()))),
                new Mutant("copy-inherits-failover", "copied-slot-never-fails-over",
                        "pg_copy_logical_replication_slot() gives the copy its source's failover",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.CopyLogicalSlot copying) || !(step.outcome() instanceof Outcome.Ok)) {
                                return step;
                            }
                            return step.observation(copying.node()).filter(node -> node.slot(copying.source()).filter(SlotRow::isFailover).isPresent())
                                    .map(node -> with(step, step.outcome(), node.withSlots(node.slots().stream()
                                            .map(slot -> slot.slotName().equals(copying.slot()) ? failover(slot, true) : slot).toList())))
                                    .orElse(step);
                        }),
                new Mutant("remote-invalidation-not-copied", "invalidation-propagates",
                        "a sync cycle leaves the copy of an invalidated slot valid",
                        ALL_VERSIONS, () -> afterSync((standby, primary) -> standby.withSlots(standby.slots().stream()
                                .map(copy -> copy.isSynced() && primary.slot(copy.slotName()).filter(remote -> remote.invalidationReason() != null)
                                        .isPresent() ? invalidated(copy, null, false) : copy).toList()))),
                new Mutant("sync-leaves-a-copy-behind", "persistent-copy-catches-up-in-a-cycle",
                        "a sync cycle does not move a persistent copy up to its idle slot",
                        ALL_VERSIONS, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.SyncSlots sync) || !(step.outcome() instanceof Outcome.Ok)) {
                                return step;
                            }
                            return step.observation(sync.node()).filter(NodeSnapshot::inRecovery).map(standby -> with(step, step.outcome(),
                                    standby.withSlots(standby.slots().stream().map(copy -> copiesOf(seen.get(sync.node()))
                                            .filter(was -> was.slotName().equals(copy.slotName()) && !was.temporary() && copy.isSynced()
                                                    && !copy.temporary())
                                            .findFirst().map(was -> copy.withConfirmedFlushLsn(was.confirmedFlushLsn())).orElse(copy)).toList())))
                                    .orElse(step);
                        })),
                new Mutant("worker-never-converges", "worker-converges-when-quiet",
                        "the slot sync worker makes no copy, however long the cluster is quiet",
                        ALL_VERSIONS, () -> step -> step.operation() instanceof Operation.AwaitConvergence await
                                ? step.observation(await.node()).map(standby -> with(step, step.outcome(), standby.withSlots(standby.slots().stream()
                                .filter(slot -> !slot.isSynced()).toList()))).orElse(step)
                                : step),
                new Mutant("two-phase-copy-without-two-phase", "synced-copy-mirrors-its-slot",
                        "a sync cycle copies a two_phase slot without two_phase, so after failover its prepared transactions are decoded otherwise",
                        ALL_VERSIONS, () -> afterSync((standby, primary) -> standby.withSlots(standby.slots().stream()
                                .map(copy -> copy.isSynced() && copy.twoPhase() ? withoutTwoPhase(copy) : copy).toList()))),
                new Mutant("manual-sync-keeps-its-temporary-copies", "manual-sync-leaves-no-temporary-copy",
                        "pg_sync_replication_slots() leaves a temporary copy of each failover slot it could not make sync-ready",
                        profile -> !profile.manualSyncRetriesUntilReady(), () -> afterSync((standby, primary) -> {
                            List<SlotRow> slots = new ArrayList<>(standby.slots());
                            primary.slots().stream().filter(SlotSync::sentBySyncQuery).filter(remote -> standby.slot(remote.slotName()).isEmpty())
                                    .forEach(remote -> slots.add(changed(copyOf(remote), Map.of("temporary", true))));
                            return standby.withSlots(slots);
                        })),
                new Mutant("promotion-leaves-inactive-since", "inactive-since-follows-use",
                        "a promotion leaves each synced slot's inactive_since as the last cycle set it, instead of one common value",
                        ALL_VERSIONS, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.Promote promote) || !(step.outcome() instanceof Outcome.Ok)
                                    || seen.get(promote.node()) == null) {
                                return step;
                            }
                            NodeSnapshot before = seen.get(promote.node());
                            return step.observation(promote.node()).map(node -> with(step, step.outcome(), node.withSlots(node.slots().stream()
                                    .map(slot -> slot.isSynced() && !slot.active() ? before.slot(slot.slotName()).filter(was -> was.inactiveSince() != null)
                                            .map(was -> changed(slot, Map.of("inactiveSince", was.inactiveSince()))).orElse(slot) : slot)
                                    .toList()))).orElse(step);
                        })),
                new Mutant("sync-ready-copy-not-logged", "sync-logs-copies-made-ready-and-dropped",
                        "the synchronizer makes copies sync-ready without logging it",
                        ALL_VERSIONS, () -> observations(snapshot -> {
                            MessageTemplate syncReady = VersionProfile.of(snapshot.serverVersion()).text(Message.SYNC_SLOT_READY);
                            return changed(snapshot, Map.of("logLines", snapshot.logLines().stream().filter(line -> !syncReady.foundIn(line)).toList()));
                        })),
                new Mutant("barrier-does-not-hold", "standby-barrier-holds-back-failover-consumers",
                        "decoding a failover slot goes past what the standbys in synchronized_standby_slots have flushed",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.ConsumeChanges consume) || consume.peek()) {
                                return step;
                            }
                            return step.observation(consume.node()).filter(node -> !node.inRecovery() && !node.synchronizedStandbySlots().isEmpty())
                                    .map(node -> with(step, Outcome.ok(), node.withSlots(node.slots().stream()
                                            .map(slot -> slot.slotName().equals(consume.slot()) && slot.isFailover() && node.flushLsn() != null
                                                    ? slot.withConfirmedFlushLsn(node.flushLsn()) : slot).toList())))
                                    .orElse(step);
                        }),
                new Mutant("barrier-holds-every-consumer", "documented-outcome",
                        "synchronized_standby_slots holds back the consumers of slots without failover too, until cancelled",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.ConsumeChanges consume)) {
                                return step;
                            }
                            return step.observation(consume.node()).filter(node -> !node.inRecovery() && !node.synchronizedStandbySlots().isEmpty()
                                            && node.slot(consume.slot()).filter(slot -> slot.isLogical() && !slot.isFailover()).isPresent())
                                    .map(node -> with(step, new Outcome.Failed(Message.CANCELED_BY_CLIENT.sqlState(), "canceling statement due to user request"), node))
                                    .orElse(step);
                        }),
                new Mutant("held-consumer-never-released", "documented-outcome",
                        "a consumer held by synchronized_standby_slots keeps waiting after a reload empties the list, or after the standby it"
                                + " waits for returns, until its statement_timeout",
                        ALL_VERSIONS, () -> step -> (step.operation() instanceof Operation.ConsumeReleasedByReload
                                || step.operation() instanceof Operation.ConsumeReleasedByStandby)
                                && step.heldOn(BoundedWait.STANDBY_CONFIRMATION) && step.outcome() instanceof Outcome.Ok
                                ? with(step, new Outcome.Failed(Message.CANCELED_BY_CLIENT.sqlState(), "canceling statement due to statement timeout"))
                                : step),
                new Mutant("barrier-waits-silently", "barrier-warns-of-the-slot-it-waits-for",
                        "a consumer held by synchronized_standby_slots never says which listed slot it waits for, nor why",
                        ALL_VERSIONS, () -> observations(snapshot -> changed(snapshot, Map.of("logLines", snapshot.logLines().stream()
                                .filter(line -> Stream.of(Message.STANDBY_SLOT_MISSING, Message.STANDBY_SLOT_LOGICAL, Message.STANDBY_SLOT_INVALIDATED,
                                        Message.STANDBY_SLOT_INACTIVE).noneMatch(warning -> VersionProfile.of(snapshot.serverVersion()).text(warning).foundIn(line)))
                                .toList())))),
                new Mutant("skip-reason-never-shown", "skip-reason-says-why-a-copy-waits",
                        "pg_replication_slots.slotsync_skip_reason stays NULL, whatever kept a copy from its slot",
                        VersionProfile::showsSyncSkipReason, () -> observations(snapshot -> snapshot.withSlots(snapshot.slots().stream()
                                .map(slot -> slot.isSynced() ? withoutSkipReason(slot) : slot).toList()))),
                new Mutant("skip-never-counted", "skip-reason-says-why-a-copy-waits",
                        "pg_stat_replication_slots.slotsync_skip_count stays 0, however often a cycle skipped the copy",
                        VersionProfile::showsSyncSkipReason, () -> observations(snapshot -> snapshot.withSlots(snapshot.slots().stream()
                                .map(slot -> slot.isSynced() && slot.slotsyncSkipCount() != null ? changed(slot, Map.of("slotsyncSkipCount", 0L)) : slot)
                                .toList()))),
                new Mutant("retrying-sync-gives-up", "documented-outcome",
                        "a 19 manual sync returns although a slot it fetched stays ahead of the standby, its copy not sync-ready",
                        VersionProfile::manualSyncRetriesUntilReady, () -> step -> step.operation() instanceof Operation.SyncSlots
                                && step.heldOn(BoundedWait.SYNC_NAP) && step.outcome() instanceof Outcome.Failed ? with(step, Outcome.ok()) : step),
                new Mutant("retrying-sync-silent", "retrying-sync-says-why",
                        "a 19 manual sync retries without logging why a copy is not sync-ready",
                        VersionProfile::manualSyncRetriesUntilReady, () -> observations(snapshot -> changed(snapshot, Map.of("logLines",
                                snapshot.logLines().stream().filter(line -> Stream.of(Message.SYNC_LSN_AHEAD, Message.SYNC_COULD_LOSE_DATA)
                                        .noneMatch(m -> VersionProfile.of(snapshot.serverVersion()).text(m).foundIn(line))).toList())))),
                new Mutant("manual-sync-beside-the-worker", "one-synchronizer-at-a-time",
                        "pg_sync_replication_slots() runs beside the slot sync worker instead of being refused, two synchronizers racing on the copies",
                        ALL_VERSIONS, () -> step -> step.operation() instanceof Operation.SyncSlots
                                && step.outcome() instanceof Outcome.Failed failed && failed.message().contains("concurrently")
                                ? with(step, Outcome.ok())
                                : step),
                new Mutant("sync-worker-starts-silently", "sync-worker-logs-its-start-and-stop",
                        "the slot sync worker starts without logging \"slot sync worker started\"",
                        ALL_VERSIONS, () -> observations(snapshot -> changed(snapshot, Map.of("logLines", snapshot.logLines().stream()
                                .filter(line -> !VersionProfile.of(snapshot.serverVersion()).text(Message.SYNC_WORKER_STARTED).foundIn(line)).toList())))),
                new Mutant("sync-worker-restarts-at-once", "sync-worker-waits-before-it-restarts",
                        "the postmaster starts the slot sync worker again a second after the last one started, not 10 s, however it ended",
                        ALL_VERSIONS, () -> {
                            Map<String, LocalDateTime> lastStart = new HashMap<>();
                            return observations(snapshot -> changed(snapshot, Map.of("logLines", snapshot.logLines().stream().map(line -> {
                                if (!VersionProfile.of(snapshot.serverVersion()).text(Message.SYNC_WORKER_STARTED).foundIn(line)) {
                                    return line;
                                }
                                String early = Optional.ofNullable(lastStart.get(snapshot.node()))
                                        .map(previous -> LogLineTime.with(line, previous.plusSeconds(1))).orElse(line);
                                LogLineTime.of(early).ifPresent(time -> lastStart.put(snapshot.node(), time));
                                return early;
                            }).toList())));
                        }),
                new Mutant("subscription-slot-without-failover", "subscription-failover-reaches-its-slot",
                        "CREATE SUBSCRIPTION ... WITH (failover) makes its slot without failover",
                        ALL_VERSIONS, () -> step -> {
                            if (!(step.operation() instanceof Operation.CreateSubscription create) || !create.failover()) {
                                return step;
                            }
                            return observations(snapshot -> snapshot.inRecovery() ? snapshot : snapshot.withSlots(snapshot.slots().stream()
                                    .map(slot -> slot.slotName().equals(create.subscription()) ? failover(slot, false) : slot).toList())).apply(step);
                        }),
                new Mutant("transaction-applied-twice-after-failover", "each-transaction-applied-once",
                        "after a failover a subscriber applies a transaction it had applied already",
                        ALL_VERSIONS, () -> {
                            boolean[] promoted = {false};
                            return step -> {
                                promoted[0] |= step.operation() instanceof Operation.Promote && step.outcome() instanceof Outcome.Ok;
                                return !promoted[0] ? step : observations(snapshot -> snapshot.subscriptions().isEmpty()
                                        || snapshot.transactions().isEmpty()
                                        ? snapshot : withTransactions(snapshot, appended(snapshot.transactions(),
                                        snapshot.transactions().get(snapshot.transactions().size() - 1)))).apply(step);
                            };
                        }),
                new Mutant("subscriber-misses-a-transaction", "caught-up-subscriber-matches-its-publisher",
                        "a subscriber that caught up with its publisher lacks the last transaction it should have applied",
                        ALL_VERSIONS, () -> step -> step.operation() instanceof Operation.AwaitSubscriberCatchUp await
                                ? step.observation(await.node()).filter(node -> !node.transactions().isEmpty())
                                .map(node -> with(step, step.outcome(),
                                        withTransactions(node, node.transactions().subList(0, node.transactions().size() - 1))))
                                .orElse(step)
                                : step),
                new Mutant("synced-copy-droppable-on-standby", "documented-outcome",
                        "pg_drop_replication_slot() of a synced copy succeeds on its standby",
                        ALL_VERSIONS, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.DropSlot drop) || Optional.ofNullable(seen.get(drop.node()))
                                    .filter(NodeSnapshot::inRecovery).flatMap(node -> node.slot(drop.slot())).filter(SlotRow::isSynced).isEmpty()) {
                                return step;
                            }
                            return step.observation(drop.node()).map(node -> with(step, Outcome.ok(), node.withSlots(node.slots().stream()
                                    .filter(slot -> !slot.slotName().equals(drop.slot())).toList()))).orElse(with(step, Outcome.ok()));
                        })));
    }

    /** Bugs of the pg_failover_slots extension's worker and walsender hook, where it keeps the copies. */
    private static List<Mutant> ofPgFailoverSlots() {
        Predicate<VersionProfile> extension = VersionProfile::syncsWithPgFailoverSlots;
        return List.of(
                new Mutant("pg-failover-slots-copy-not-capped", "pg-failover-slots-copy-within-standby-flush",
                        "the worker gives a copy its slot's confirmed_flush_lsn although the standby has not received that WAL",
                        extension, () -> withTheExtensionsCopies((standby, primary, copy) -> primary.slot(copy.slotName())
                                .filter(slot -> slot.confirmedFlushLsn() != null && standby.flushLsn() != null
                                        && slot.confirmedFlushLsn().isAfter(standby.flushLsn()))
                                .map(slot -> changed(copy, Map.of("confirmedFlushLsn", slot.confirmedFlushLsn()))).orElse(copy))),
                new Mutant("pg-failover-slots-copy-ahead-of-its-slot", "pg-failover-slots-copy-not-ahead-of-primary",
                        "the worker moves a copy's restart_lsn to what the standby has received, past its slot's on the primary",
                        extension, () -> withTheExtensionsCopies((standby, primary, copy) -> primary.slot(copy.slotName())
                                .filter(slot -> slot.restartLsn() != null && standby.flushLsn() != null && slot.restartLsn().isBefore(standby.flushLsn()))
                                .map(slot -> restartAt(copy, standby.flushLsn())).orElse(copy))),
                new Mutant("pg-failover-slots-copy-goes-back", "pg-failover-slots-copy-never-moves-back",
                        "a cycle that should move a copy's restart_lsn on moves it back instead, just behind where it was",
                        extension, () -> {
                            Map<String, Lsn> lastSeen = new HashMap<>();
                            return withTheExtensionsCopies((standby, primary, copy) -> {
                                Lsn last = lastSeen.put(standby.node() + "/" + copy.slotName(), copy.restartLsn());
                                return copy.restartLsn() != null && last != null && copy.restartLsn().isAfter(last)
                                        ? restartAt(copy, new Lsn(last.value() - 1)) : copy;
                            });
                        }),
                new Mutant("pg-failover-slots-extra-copy-kept", "pg-failover-slots-copies-only-of-named-slots",
                        "the worker keeps the copy of a slot the primary dropped",
                        extension, () -> remembering((step, seen) -> {
                            if (!(step.operation() instanceof Operation.AwaitConvergence await)) {
                                return step;
                            }
                            return step.observation(await.node()).filter(NodeSnapshot::inRecovery).map(standby -> {
                                List<SlotRow> slots = new ArrayList<>(standby.slots());
                                Optional.ofNullable(seen.get(await.node())).stream().flatMap(before -> before.slots().stream())
                                        .filter(slot -> slot.isLogical() && PgFailoverSlots.isReady(slot) && standby.slot(slot.slotName()).isEmpty())
                                        .forEach(slots::add);
                                return with(step, step.outcome(), standby.withSlots(slots));
                            }).orElse(step);
                        })),
                new Mutant("pg-failover-slots-named-slot-not-copied", "pg-failover-slots-worker-copies-every-named-slot",
                        "the worker never copies a slot that synchronize_slot_names names",
                        extension, () -> observations(snapshot -> snapshot.inRecovery()
                                ? snapshot.withSlots(snapshot.slots().stream().filter(slot -> !slot.isLogical()).toList()) : snapshot)),
                new Mutant("pg-failover-slots-barrier-leaks", "pg-failover-slots-barrier-holds-walsenders",
                        "a walsender sends a consumer what the standbys of standby_slot_names have not flushed",
                        extension, () -> step -> {
                            if (!(step.operation() instanceof Operation.Acknowledge acknowledge) || acknowledge.stale()) {
                                return step;
                            }
                            return step.observation(acknowledge.node()).filter(node -> !node.inRecovery() && node.flushLsn() != null
                                            && PgFailoverSlots.barrierPosition(node).filter(barrier -> barrier.isBefore(node.flushLsn())).isPresent())
                                    .map(node -> with(step, step.outcome(), node.withSlots(node.slots().stream()
                                            .map(slot -> slot.slotName().equals(acknowledge.slot()) ? slot.withConfirmedFlushLsn(node.flushLsn()) : slot)
                                            .toList())))
                                    .orElse(step);
                        }),
                new Mutant("pg-failover-slots-ready-copy-lost", "pg-failover-slots-ready-copy-survives-promotion",
                        "a promotion drops the standby's ready copies, as it does those still being made",
                        extension, () -> step -> step.operation() instanceof Operation.Promote promote
                                ? step.observation(promote.node()).map(node -> with(step, step.outcome(), node.withSlots(node.slots().stream()
                                .filter(slot -> !slot.isLogical()).toList()))).orElse(step)
                                : step));
    }

    /** What a standby shows of a copy, in terms of itself and its primary. */
    private interface CopyLie {
        SlotRow apply(NodeSnapshot standby, NodeSnapshot primary, SlotRow copy);
    }

    /** A lens changing, at every step, each made copy of the extension that a standby shows, by {@code lie}. */
    private static UnaryOperator<Step> withTheExtensionsCopies(CopyLie lie) {
        return step -> {
            Optional<NodeSnapshot> primary = onlyPrimary(step);
            if (primary.isEmpty()) {
                return step;
            }
            NodeSnapshot[] changed = step.observations().values().stream().filter(NodeSnapshot::inRecovery)
                    .map(standby -> standby.withSlots(standby.slots().stream().map(slot -> slot.isLogical() && PgFailoverSlots.isMade(slot)
                            && primary.get().slot(slot.slotName()).isPresent() ? lie.apply(standby, primary.get(), slot) : slot).toList()))
                    .toArray(NodeSnapshot[]::new);
            return with(step, step.outcome(), changed);
        };
    }

    // ------------------------------------------------------------------ lenses

    /** A lens applying {@code lie} to every observation of a step. */
    static UnaryOperator<Step> observations(UnaryOperator<NodeSnapshot> lie) {
        return step -> {
            Map<String, NodeSnapshot> observations = new LinkedHashMap<>();
            step.observations().forEach((node, snapshot) -> observations.put(node, lie.apply(snapshot)));
            return new Step(step.index(), step.operation(), step.outcome(), observations, step.waits(), step.actionMillis(),
                    step.observationMillis());
        };
    }

    /**
     * A lens that lies knowing what it reported of each node when last observed (after its own lies): {@code lie} gets the
     * step and those observations, by node.
     */
    private static UnaryOperator<Step> remembering(BiFunction<Step, Map<String, NodeSnapshot>, Step> lie) {
        Map<String, NodeSnapshot> seen = new HashMap<>();
        return step -> {
            Step lied = lie.apply(step, seen);
            seen.putAll(lied.observations());
            return lied;
        };
    }

    /** The synced copies of a node as last observed (none when it was not). */
    private static Stream<SlotRow> copiesOf(NodeSnapshot node) {
        return node == null ? Stream.empty() : node.slots().stream().filter(SlotRow::isSynced);
    }

    /** A lens that changes what a standby shows right after a pg_sync_replication_slots() of it that succeeded: {@code lie} of (standby, primary). */
    private static UnaryOperator<Step> afterSync(BinaryOperator<NodeSnapshot> lie) {
        return step -> {
            if (!(step.operation() instanceof Operation.SyncSlots sync) || !(step.outcome() instanceof Outcome.Ok)) {
                return step;
            }
            Optional<NodeSnapshot> standby = step.observation(sync.node()).filter(node -> node.inRecovery() && node.flushLsn() != null);
            Optional<NodeSnapshot> primary = onlyPrimary(step);
            return standby.isPresent() && primary.isPresent() ? with(step, step.outcome(), lie.apply(standby.get(), primary.get())) : step;
        };
    }

    /** The one node of the step out of recovery, where there is one (subscribers, servers of their own, aside). */
    private static Optional<NodeSnapshot> onlyPrimary(Step step) {
        List<NodeSnapshot> primaries = step.observations().values().stream()
                .filter(node -> !node.inRecovery() && node.subscriptions().isEmpty() && !node.node().equals(Generator.SUBSCRIBER)).toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    private static Step with(Step step, Outcome outcome, NodeSnapshot... changed) {
        Map<String, NodeSnapshot> observations = new LinkedHashMap<>(step.observations());
        for (NodeSnapshot node : changed) {
            observations.put(node.node(), node);
        }
        return new Step(step.index(), step.operation(), outcome, observations, step.waits(), step.actionMillis(), step.observationMillis());
    }

    // ------------------------------------------------------------------ rows changed

    private static void put(List<SlotRow> slots, SlotRow row) {
        slots.removeIf(slot -> slot.slotName().equals(row.slotName()));
        slots.add(row);
    }

    /** A synced copy of {@code remote}, as a sync cycle makes it. */
    private static SlotRow copyOf(SlotRow remote) {
        return changed(remote, Map.of("temporary", false, "active", false, "synced", true));
    }

    private static SlotRow restartAt(SlotRow slot, Lsn restart) {
        return changed(slot, Map.of("restartLsn", restart));
    }

    private static SlotRow failover(SlotRow slot, boolean failover) {
        return changed(slot, Map.of("failover", failover));
    }

    private static SlotRow invalidated(SlotRow slot, String reason, boolean conflicting) {
        Map<String, Object> changes = new HashMap<>();
        changes.put("invalidationReason", reason);
        changes.put("conflicting", conflicting);
        return changed(slot, changes);
    }

    private static SlotRow withoutTwoPhase(SlotRow slot) {
        Map<String, Object> changes = new HashMap<>();
        changes.put("twoPhase", false);
        changes.put("twoPhaseAt", null);
        return changed(slot, changes);
    }

    private static SlotRow withoutCatalogXmin(SlotRow slot) {
        Map<String, Object> changes = new HashMap<>();
        changes.put("catalogXmin", null);
        return changed(slot, changes);
    }

    private static SlotRow twoPhaseAt(SlotRow slot, Lsn twoPhaseAt) {
        return changed(slot, Map.of("twoPhaseAt", twoPhaseAt));
    }

    private static NodeSnapshot withTransactions(NodeSnapshot snapshot, List<Long> transactions) {
        return changed(snapshot, Map.of("transactions", transactions));
    }

    private static SlotRow withoutSkipReason(SlotRow slot) {
        Map<String, Object> none = new HashMap<>();
        none.put("slotsyncSkipReason", null);
        return changed(slot, none);
    }

    /** {@code record} with the components {@code changes} names given other values. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> R changed(R record, Map<String, Object> changes) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = changes.containsKey(components[i].getName()) ? changes.get(components[i].getName())
                        : components[i].getAccessor().invoke(record);
            }
            return (R) record.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot change " + changes.keySet() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    private static List<Long> appended(List<Long> list, Long extra) {
        List<Long> longer = new ArrayList<>(list);
        longer.add(extra);
        return longer;
    }
}
