package io.slotcheck.harness.run;

import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.ServerProcess;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Directed steps: short runs of model operations that build the situations random draws rarely do (a sync while the
 * standby is behind a slot, a promotion while a copy is temporary, a drop then a sync, ...), each named by the
 * situations it goes for ({@code Situation} in the model). A campaign hands each sequence the catalogue in an order of
 * its own, the directions its sequences have begun least first ({@link Ledger}); the generator
 * interleaves them with random draws. Every operation is still checked like
 * any other; one that the plan no longer allows when its turn comes is left out. The plan decides alone, never what the
 * servers answered: one seed gives the same operations on any server.
 */
public final class DirectedSteps {

    /**
     * The nodes a direction works on: a running primary, a running standby of it and the physical slot that standby
     * streams through, and two logical slot names, the one it builds with and another.
     */
    record Roles(String primary, String standby, String standbySlot, String slot, String otherSlot) {
    }

    /** A named run of operations, built from the roles of the moment and a seeded random source. */
    public record Direction(String name, List<String> situations, BiFunction<Roles, Random, List<Operation>> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A bounded wait of a direction: long enough for the worker's first cycles, short enough for a 20-step sequence. */
    private static final int WAIT_SECONDS = 5;

    private static final List<Direction> CATALOGUE = List.of(
            new Direction("standby-behind-the-slot", List.of("sync-while-standby-behind-a-failover-slot", "sync-refused-while-standby-behind",
                    "sync-retrying-while-standby-behind", "worker-while-standby-behind-a-failover-slot", "manual-sync-retrying"),
                    // its walreceiver stopped, the standby stays behind what the slot is consumed to: a sync, then the worker on
                    (r, random) -> concat(manualSync(r), List.of(noBarrier(r), createFailoverSlot(r.primary(), r.slot()),
                            new Operation.PauseProcess(r.standby(), ServerProcess.WALRECEIVER), new Operation.WriteTransactions(r.primary(), 2, false),
                            consume(r.primary(), r.slot()), new Operation.SyncSlots(r.standby()), worker(r, "on"),
                            new Operation.ResumeProcess(r.standby())))),
            new Direction("touch-copies-then-drop-and-turn-off", List.of("drop-synced-copy-on-standby", "alter-synced-copy-on-standby",
                    "decode-synced-copy-on-standby", "advance-synced-copy-on-standby", "stream-synced-copy-on-standby",
                    "create-failover-slot-on-standby", "copy-of-a-two-phase-slot", "sync-after-failover-slot-dropped",
                    "sync-after-failover-turned-off", "sync-with-a-non-failover-slot", "copy-standing-still-while-streaming"),
                    // two persistent copies (one of a two_phase slot) held by the standby's feedback, used on the standby as
                    // users may not, then one slot dropped and the other's failover turned off on the primary before the next sync
                    (r, random) -> concat(manualSync(r), fresh(r, r.slot(), false), fresh(r, r.otherSlot(), true), List.of(
                            new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary()),
                            consume(r.primary(), r.slot()), consume(r.primary(), r.otherSlot()),
                            new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.SyncSlots(r.standby()),
                            new Operation.AwaitStandbyFeedback(r.standby(), WAIT_SECONDS),
                            new Operation.DropSlot(r.standby(), r.slot()), new Operation.AlterSlotFailover(r.standby(), r.slot(), random.nextBoolean()),
                            consume(r.standby(), r.slot()), new Operation.AdvanceSlot(r.standby(), r.slot(), null),
                            new Operation.Acknowledge(r.standby(), r.slot(), false),
                            new Operation.CreateLogicalSlot(r.standby(), r.slot(), "test_decoding", false, false, true),
                            new Operation.DropSlot(r.primary(), r.slot()), new Operation.AlterSlotFailover(r.primary(), r.otherSlot(), false),
                            new Operation.SyncSlots(r.standby())))),
            new Direction("failover-with-ready-and-temporary-copies", List.of("promotion-with-a-persistent-copy", "promotion-with-a-temporary-copy",
                    "promotion-with-the-sync-worker-running", "decoding-a-promoted-copy", "sync-with-same-name-slot-in-the-way",
                    "promotion-with-copies-to-stamp"),
                    // the other slot is made before catalog churn and never consumed, the slot after it and consumed: the
                    // worker's copy of the slot is persisted with a catalog_xmin past the other's, whose copy then stays
                    // temporary (the standby cannot keep catalog rows that old). The standby is promoted while the primary
                    // still runs: stopped first, the primary would end the worker's connection, and the worker its
                    // temporary copies, before the promotion
                    (r, random) -> concat(fresh(r, r.otherSlot(), false), List.of(new Operation.WriteTransactions(r.primary(), 3, true)),
                            fresh(r, r.slot(), false), List.of(new Operation.WriteTransactions(r.primary(), 2, false),
                                    new Operation.LogStandbySnapshot(r.primary()), consume(r.primary(), r.slot()), worker(r, "on"),
                                    new Operation.AwaitFailoverReady(r.standby(), r.slot(), WAIT_SECONDS)),
                            failover(r, List.of(consume(r.standby(), r.slot())), r.slot(), r.otherSlot()))),
            new Direction("copy-catches-up-then-its-slot-goes-back", List.of("sync-moves-a-persistent-copy", "sync-with-a-copy-behind-its-slot",
                    "sync-with-a-persistent-copy-behind-its-idle-slot", "stale-acknowledgement", "catalog-vacuum-with-feedback",
                    "sync-while-primary-slot-behind-its-copy", "sync-with-a-skip-to-show"),
                    // first consumed past what the standby, its walreceiver stopped, has flushed: a sync must leave the copy (17
                    // and 18 refuse, 19 says wal_not_flushed). The consumed position is not checkpointed: the crashed primary's
                    // slot comes back behind the copy
                    (r, random) -> concat(syncReadyCopy(r, r.slot()), List.of(new Operation.PauseProcess(r.standby(), ServerProcess.WALRECEIVER),
                            new Operation.WriteTransactions(r.primary(), 2, true), consume(r.primary(), r.slot()), new Operation.SyncSlots(r.standby()),
                            new Operation.ResumeProcess(r.standby()), new Operation.Acknowledge(r.primary(), r.slot(), true),
                            new Operation.LogStandbySnapshot(r.primary()), new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS),
                            new Operation.SyncSlots(r.standby()), new Operation.VacuumCatalogs(r.primary()),
                            new Operation.CrashNode(r.primary()), new Operation.StartNode(r.primary()), new Operation.SyncSlots(r.standby())))),
            new Direction("slot-made-again-otherwise-then-dropped", List.of("sync-after-a-slot-was-made-again-otherwise",
                    "sync-of-a-two-phase-slot", "manual-sync-making-a-new-copy", "copy-made-sync-ready", "persistent-copy-dropped",
                    "quiet-cluster-with-an-obsolete-copy", "copy-of-a-synced-copy", "sync-worker-left-on-a-reload"),
                    // the copied slot dropped and made again with the other plugin and two_phase, consumed, synced: the copy
                    // must take its new configuration (and a copy of it made on the standby is the standby's own, dropped again
                    // so that no later sync finds it in the way); then dropped with the worker on, whose cycles must drop the copy,
                    // and the worker turned off, which it must log
                    (r, random) -> concat(syncReadyCopy(r, r.slot()), List.of(new Operation.DropSlot(r.primary(), r.slot()),
                            new Operation.CreateLogicalSlot(r.primary(), r.slot(), "pgoutput", false, true, true),
                            new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary()),
                            consume(r.primary(), r.slot()), new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS),
                            new Operation.SyncSlots(r.standby()), new Operation.CopyLogicalSlot(r.standby(), r.slot(), r.otherSlot()),
                            new Operation.DropSlot(r.standby(), r.otherSlot()), worker(r, "on"), new Operation.DropSlot(r.primary(), r.slot()),
                            new Operation.AwaitConvergence(r.standby(), Generator.convergenceSeconds(false)), worker(r, "off")))),
            new Direction("manual-sync-of-a-slot-not-consumed", List.of("manual-sync-making-a-new-copy",
                    "manual-sync-that-could-not-make-a-copy-ready"),
                    // transactions after the slot was made: the standby can keep no catalog rows as old as its catalog_xmin,
                    // so the call cannot make its copy sync-ready (§1 item 6) and must leave no temporary copy (item 7)
                    (r, random) -> concat(manualSync(r), fresh(r, r.otherSlot(), false), List.of(new Operation.WriteTransactions(r.primary(), 2, false),
                            new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.SyncSlots(r.standby())))),
            new Direction("alter-a-physical-slot", List.of("alter-a-physical-slot", "create-a-physical-failover-slot"),
                    // one no standby holds, so that the refusal comes at once; made with failover first, which is refused
                    (r, random) -> List.of(new Operation.CreatePhysicalSlot(r.primary(), Generator.PHYSICAL_SLOT, true),
                            new Operation.CreatePhysicalSlot(r.primary(), Generator.PHYSICAL_SLOT),
                            new Operation.AlterSlotFailover(r.primary(), Generator.PHYSICAL_SLOT, true))),
            new Direction("wal-pressure-on-the-primary", List.of("slot-invalidated-wal-removed", "sync-with-primary-slot-invalidated",
                    "copy-of-a-failover-slot", "copy-of-a-slot-without-wal"),
                    // the slot copied first (the copy must not fail over); invalidated wal_removed, it reserves no WAL to copy
                    (r, random) -> concat(syncReadyCopy(r, r.slot()), List.of(new Operation.DropSlot(r.primary(), r.otherSlot()),
                            new Operation.CopyLogicalSlot(r.primary(), r.slot(), r.otherSlot()), new Operation.WalPressure(r.primary(), 2),
                            new Operation.SyncSlots(r.standby()), new Operation.CopyLogicalSlot(r.primary(), r.slot(), r.otherSlot())))),
            new Direction("wal-pressure-on-the-standby", List.of("slot-invalidated-wal-removed", "sync-with-copy-invalidated-on-standby-only"),
                    (r, random) -> concat(syncReadyCopy(r, r.slot()), List.of(new Operation.WalPressure(r.standby(), 2),
                            new Operation.SyncSlots(r.standby())))),
            new Direction("catalog-vacuum-without-feedback", List.of("slot-invalidated-rows-removed", "sync-with-copy-invalidated-on-standby-only",
                    "copy-of-an-invalidated-slot"),
                    // the primary's slot moves past the copy's catalog_xmin, which no feedback holds on the primary any more;
                    // the copy, invalidated, cannot be copied
                    (r, random) -> concat(syncReadyCopy(r, r.slot()), List.of(new Operation.SetSetting(r.standby(), "hot_standby_feedback", "off"),
                            new Operation.WriteTransactions(r.primary(), 4, true), new Operation.LogStandbySnapshot(r.primary()),
                            consume(r.primary(), r.slot()),
                            new Operation.VacuumCatalogs(r.primary()), new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS),
                            new Operation.CopyLogicalSlot(r.standby(), r.slot(), r.otherSlot()),
                            new Operation.SetSetting(r.standby(), "hot_standby_feedback", "on"), new Operation.SyncSlots(r.standby())))),
            new Direction("barrier-with-the-standby-away", List.of("barrier-with-standby-down", "barrier-with-standby-cut-off",
                    "barrier-listing-no-physical-slot", "standby-slots-naming-no-physical-slot", "non-failover-slot-consumed-past-the-barrier",
                    "held-by-a-listed-standby-away", "held-by-a-listed-name-of-no-physical-slot", "held-consumer-released-by-a-reload",
                    "held-consumer-released-by-its-standby"),
                    // the other slot, without failover, is consumed past the stopped standby: the barrier must not hold it; a consumer
                    // held by the stopped standby is released by its start, the last, held by a name of no slot, by a reload that
                    // empties the list
                    (r, random) -> {
                        List<List<Operation>> cutOff = List.of(
                                List.of(new Operation.PauseNode(r.standby()), new Operation.ResumeNode(r.standby())),
                                List.of(new Operation.PauseProcess(r.standby(), ServerProcess.WALRECEIVER), new Operation.ResumeProcess(r.standby())),
                                List.of(new Operation.PartitionLink(r.standby(), random.nextBoolean()), new Operation.HealLink(r.standby())));
                        List<Operation> away = cutOff.get(random.nextInt(cutOff.size()));
                        return List.of(createFailoverSlot(r.primary(), r.slot()), new Operation.DropSlot(r.primary(), r.otherSlot()),
                                new Operation.CreateLogicalSlot(r.primary(), r.otherSlot(), "test_decoding", false, false, false),
                                new Operation.SetSetting(r.primary(), "synchronized_standby_slots", r.standbySlot()),
                                new Operation.StopNode(r.standby(), false), new Operation.WriteTransactions(r.primary(), 1, false),
                                consume(r.primary(), r.slot()), consume(r.primary(), r.otherSlot()),
                                new Operation.ConsumeReleasedByStandby(r.primary(), r.slot(), r.standby()),
                                away.get(0), new Operation.WriteTransactions(r.primary(), 1, false), consume(r.primary(), r.slot()), away.get(1),
                                new Operation.SetSetting(r.primary(), "synchronized_standby_slots", r.primary()), consume(r.primary(), r.slot()),
                                new Operation.ConsumeReleasedByReload(r.primary(), r.slot(), ""));
                    }),
            new Direction("subscription-across-a-switchover", List.of("subscription-created-with-failover", "subscription-failover-altered",
                    "subscriber-applies-after-a-failover", "subscriber-caught-up-after-a-failover", "manual-sync-while-the-worker-runs",
                    "sync-worker-started", "sync-worker-stopped-by-promotion", "promotion-with-a-prepared-transaction"),
                    // a manual sync while the worker keeps the copy ready must be refused; a transaction prepared before the
                    // switchover is committed on the new primary, and reaches the subscriber through the synced copy
                    (r, random) -> concat(List.of(worker(r, "on"), new Operation.AddSubscriber(Generator.SUBSCRIBER),
                            new Operation.CreateSubscription(Generator.SUBSCRIBER, Generator.SUBSCRIPTION, r.primary(), true, false),
                            new Operation.AlterSubscriptionFailover(Generator.SUBSCRIBER, Generator.SUBSCRIPTION, true),
                            new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary()),
                            new Operation.AwaitFailoverReady(r.standby(), Generator.SUBSCRIPTION, WAIT_SECONDS), new Operation.SyncSlots(r.standby()),
                            new Operation.PrepareTransaction(r.primary())),
                            switchover(r, List.of(new Operation.RepointSubscription(Generator.SUBSCRIBER, Generator.SUBSCRIPTION, r.standby()),
                                    new Operation.CommitPrepared(r.standby()), new Operation.WriteTransactions(r.standby(), 2, false),
                                    new Operation.AwaitSubscriberCatchUp(Generator.SUBSCRIBER, WAIT_SECONDS)), Generator.SUBSCRIPTION))),
            new Direction("misconfigured-syncs", List.of("sync-without-hot-standby-feedback", "sync-without-dbname", "sync-on-primary",
                    "create-temporary-failover-slot", "sync-from-cascading-standby"),
                    (r, random) -> List.of(worker(r, "off"), new Operation.CreateLogicalSlot(r.primary(), r.otherSlot(), "test_decoding", true, false, true),
                            new Operation.AddCascadingStandby(Generator.CASCADING_STANDBY, r.standby()),
                            new Operation.SyncSlots(Generator.CASCADING_STANDBY), new Operation.SetSetting(r.standby(), "hot_standby_feedback", "off"),
                            new Operation.SyncSlots(r.standby()), new Operation.SetSetting(r.standby(), "hot_standby_feedback", "on"),
                            new Operation.RewritePrimaryConninfo(r.standby(), false), new Operation.SyncSlots(r.standby()),
                            new Operation.RewritePrimaryConninfo(r.standby(), true), new Operation.SyncSlots(r.primary()))));

    /**
     * The directions of the pg_failover_slots extension's situations. Each first drops the other slot (a copy of it still
     * being made would hold the worker, which makes one copy at a time) and makes a ready copy of the slot; the worker is
     * waited for as long as a restart of it takes, which ends as soon as it has caught up.
     */
    private static final List<Direction> PG_FAILOVER_SLOTS_CATALOGUE = List.of(
            new Direction("pg-failover-slots-standby-behind-a-ready-copy", List.of("pg-failover-slots-standby-behind-a-slot-it-copies",
                    "pg-failover-slots-made-copy-behind-its-slot"),
                    // the standby's link refused while the slot is consumed past what it received
                    (r, random) -> concat(readyExtensionCopy(r), List.of(new Operation.PartitionLink(r.standby(), false),
                            new Operation.WriteTransactions(r.primary(), 2, false), consume(r.primary(), r.slot()),
                            new Operation.AwaitConvergence(r.standby(), WAIT_SECONDS), new Operation.HealLink(r.standby()),
                            new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), extensionCycle(r)))),
            new Direction("pg-failover-slots-ready-copy-moves-on", List.of("pg-failover-slots-made-copy-moved"),
                    // the slot consumed past two more standby snapshots: the worker's next cycles move the copy's restart_lsn
                    (r, random) -> concat(readyExtensionCopy(r), consumedPastTwoSnapshots(r, r.slot()),
                            List.of(new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS)))),
            new Direction("pg-failover-slots-new-slot-beside-a-ready-copy", List.of("pg-failover-slots-catch-up-with-a-slot-to-copy"),
                    // its copy is made ready too, the worker waiting for it meanwhile
                    (r, random) -> concat(readyExtensionCopy(r), List.of(
                            new Operation.CreateLogicalSlot(r.primary(), r.otherSlot(), "test_decoding", false, false, false), extensionCycle(r)),
                            consumedPastTwoSnapshots(r, r.otherSlot()), List.of(new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS),
                            new Operation.AwaitFailoverReady(r.standby(), r.otherSlot(), WAIT_SECONDS)))),
            new Direction("pg-failover-slots-copied-slot-dropped", List.of("pg-failover-slots-catch-up-after-a-copied-slot-left"),
                    (r, random) -> concat(readyExtensionCopy(r), List.of(new Operation.DropSlot(r.primary(), r.slot()), extensionCycle(r)))),
            new Direction("pg-failover-slots-subscription-across-a-failover", List.of("subscriber-applies-after-a-failover",
                    "subscriber-caught-up-after-a-failover", "pg-failover-slots-promotion-with-a-ready-copy"),
                    // the subscription's slot copied, then consumed by its apply worker past two standby snapshots until the copy is
                    // ready; then the standby promoted, the primary fenced, and the subscription pointed at the new primary
                    (r, random) -> List.of(new Operation.SetSetting(r.standby(), "hot_standby_feedback", "on"),
                            new Operation.AddSubscriber(Generator.SUBSCRIBER),
                            new Operation.CreateSubscription(Generator.SUBSCRIBER, Generator.SUBSCRIPTION, r.primary(), false, false),
                            new Operation.AwaitSubscriberCatchUp(Generator.SUBSCRIBER, WAIT_SECONDS), extensionCycle(r),
                            new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary()),
                            new Operation.AwaitSubscriberCatchUp(Generator.SUBSCRIBER, WAIT_SECONDS),
                            new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary()),
                            new Operation.AwaitSubscriberCatchUp(Generator.SUBSCRIBER, WAIT_SECONDS),
                            new Operation.AwaitFailoverReady(r.standby(), Generator.SUBSCRIPTION, WAIT_SECONDS),
                            new Operation.Promote(r.standby()), new Operation.CrashNode(r.primary()),
                            new Operation.RepointSubscription(Generator.SUBSCRIBER, Generator.SUBSCRIPTION, r.standby()),
                            new Operation.WriteTransactions(r.standby(), 2, false),
                            new Operation.AwaitSubscriberCatchUp(Generator.SUBSCRIBER, WAIT_SECONDS))),
            new Direction("pg-failover-slots-barrier-with-the-standby-away", List.of("pg-failover-slots-walsender-with-a-listed-slot-behind"),
                    (r, random) -> List.of(new Operation.SetSetting(r.primary(), PgFailoverSlots.STANDBY_SLOT_NAMES, r.standbySlot()),
                            new Operation.DropSlot(r.primary(), r.slot()),
                            new Operation.CreateLogicalSlot(r.primary(), r.slot(), random.nextBoolean() ? "test_decoding" : "pgoutput", false, false, false),
                            new Operation.StopNode(r.standby(), false), new Operation.WriteTransactions(r.primary(), 2, false),
                            new Operation.Acknowledge(r.primary(), r.slot(), false), new Operation.StartNode(r.standby()),
                            new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.Acknowledge(r.primary(), r.slot(), false),
                            new Operation.SetSetting(r.primary(), PgFailoverSlots.STANDBY_SLOT_NAMES, ""))),
            new Direction("pg-failover-slots-failover-with-a-ready-copy", List.of("pg-failover-slots-promotion-with-a-ready-copy"),
                    // the primary stopped (at random, immediately) or fenced with kill -9, then the old primary rejoins
                    (r, random) -> concat(readyExtensionCopy(r), List.of(new Operation.WriteTransactions(r.primary(), 2, false),
                            new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS),
                            random.nextBoolean() ? new Operation.StopNode(r.primary(), true) : new Operation.CrashNode(r.primary()),
                            new Operation.Promote(r.standby()), consume(r.standby(), r.slot()),
                            new Operation.CreatePhysicalSlot(r.standby(), r.primary()), new Operation.Rejoin(r.primary(), r.standby(), r.primary()),
                            new Operation.AwaitReplayCatchUp(r.primary(), WAIT_SECONDS)))));

    private DirectedSteps() {
    }

    /** Every direction of the server's own slot sync, in the catalogue's order. */
    public static List<Direction> catalogue() {
        return CATALOGUE;
    }

    /** Every direction for the copies {@code slotSync} keeps, in the catalogue's order. */
    public static List<Direction> catalogue(SlotSyncMechanism slotSync) {
        return slotSync == SlotSyncMechanism.PG_FAILOVER_SLOTS ? PG_FAILOVER_SLOTS_CATALOGUE : CATALOGUE;
    }

    /**
     * The catalogue in the order of sequence {@code index} (from 1) of the campaign of {@code campaignSeed}: shuffled once
     * by the campaign's seed, rotated by one for each sequence.
     */
    static List<Direction> rotation(long campaignSeed, int index) {
        return rotation(CATALOGUE, campaignSeed, index);
    }

    private static List<Direction> rotation(List<Direction> catalogue, long campaignSeed, int index) {
        List<Direction> order = new ArrayList<>(catalogue);
        Collections.shuffle(order, new Random(campaignSeed));
        Collections.rotate(order, -((index - 1) % order.size()));
        return order;
    }

    /**
     * A campaign's count of the directions its sequences began. Each sequence tries first those {@code focus} names a
     * situation of, then those begun least so far, in the {@linkplain #rotation rotation} of its index among equals: a
     * direction too long to fit where it came first comes first again in the next sequence. (Counting situations instead
     * would starve a direction whose situations others also build, and each is a path of its own to them.) It counts what
     * the generator began, which the plan decides alone: one seed still gives the same operations on any server.
     */
    public static final class Ledger {
        private final List<Direction> catalogue;
        private final long campaignSeed;
        private final Set<String> focus;
        private final Map<String, Integer> begun = new HashMap<>();

        public Ledger(long campaignSeed, Set<String> focus) {
            this(CATALOGUE, campaignSeed, focus);
        }

        /** The ledger of a campaign whose copies {@code slotSync} keeps: that slot sync's directions. */
        public Ledger(SlotSyncMechanism slotSync, long campaignSeed, Set<String> focus) {
            this(catalogue(slotSync), campaignSeed, focus);
        }

        private Ledger(List<Direction> catalogue, long campaignSeed, Set<String> focus) {
            this.catalogue = catalogue;
            this.campaignSeed = campaignSeed;
            this.focus = Set.copyOf(focus);
        }

        /** The directions sequence {@code index} tries, in order. */
        public List<Direction> forSequence(int index) {
            List<Direction> order = new ArrayList<>(rotation(catalogue, campaignSeed, index));
            order.sort(Comparator.comparing((Direction direction) -> direction.situations().stream().noneMatch(focus::contains))
                    .thenComparingInt(direction -> begun.getOrDefault(direction.name(), 0)));
            return order;
        }

        /** Counts the directions a sequence began. */
        public void record(List<Direction> directions) {
            directions.forEach(direction -> begun.merge(direction.name(), 1, Integer::sum));
        }
    }

    // ------------------------------------------------------------------ pieces

    /**
     * A ready pg_failover_slots copy of a new slot: the other slot dropped (a copy of it being made would hold the worker),
     * the worker able to run (feedback on, every slot named), the slot made and copied, then consumed past two standby
     * snapshots, which move its restart_lsn past what the copy reserved.
     */
    private static List<Operation> readyExtensionCopy(Roles r) {
        return concat(List.of(new Operation.DropSlot(r.primary(), r.otherSlot()), new Operation.DropSlot(r.primary(), r.slot()),
                        new Operation.SetSetting(r.standby(), "hot_standby_feedback", "on"),
                        new Operation.SetSetting(r.standby(), PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "name_like:%"),
                        new Operation.CreateLogicalSlot(r.primary(), r.slot(), "test_decoding", false, false, false), extensionCycle(r)),
                consumedPastTwoSnapshots(r, r.slot()),
                List.of(new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.AwaitFailoverReady(r.standby(), r.slot(), WAIT_SECONDS)));
    }

    /** {@code slots} consumed past two standby snapshots: the first gives each a candidate restart point, the second moves it there. */
    private static List<Operation> consumedPastTwoSnapshots(Roles r, String... slots) {
        List<Operation> round = concat(List.of(new Operation.WriteTransactions(r.primary(), 2, false), new Operation.LogStandbySnapshot(r.primary())),
                Stream.of(slots).map(slot -> consume(r.primary(), slot)).toList());
        return concat(round, round);
    }

    /** A wait for the extension's worker as long as its restart after an error takes (it ends as soon as the worker caught up). */
    private static Operation extensionCycle(Roles r) {
        return new Operation.AwaitConvergence(r.standby(), PgFailoverSlots.CATCH_UP_SECONDS);
    }

    /**
     * A persistent copy of a new failover slot {@code slot}: the slot consumed past writes and a standby snapshot (its
     * catalog_xmin then not behind what the standby can keep), replayed, then synced (§1 item 6), the worker off so that
     * the call is not refused.
     */
    private static List<Operation> syncReadyCopy(Roles r, String slot) {
        return concat(manualSync(r), fresh(r, slot, false), List.of(new Operation.WriteTransactions(r.primary(), 2, false),
                new Operation.LogStandbySnapshot(r.primary()), consume(r.primary(), slot),
                new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.SyncSlots(r.standby())));
    }

    /** A new failover slot {@code slot} on the primary (one left by the sequence dropped first), two_phase or not. */
    private static List<Operation> fresh(Roles r, String slot, boolean twoPhase) {
        return List.of(new Operation.DropSlot(r.primary(), slot), new Operation.CreateLogicalSlot(r.primary(), slot, "test_decoding", false, twoPhase, true));
    }

    /** The standby set for pg_sync_replication_slots(): the worker off (it would refuse a concurrent call), feedback and dbname on. */
    private static List<Operation> manualSync(Roles r) {
        return List.of(worker(r, "off"), new Operation.SetSetting(r.standby(), "hot_standby_feedback", "on"),
                new Operation.RewritePrimaryConninfo(r.standby(), true));
    }

    /**
     * An orderly switchover: the primary stopped, the standby promoted, {@code whilePromoted} done on it, the old primary
     * rejoined as its standby ({@link #rejoin}).
     */
    private static List<Operation> switchover(Roles r, List<Operation> whilePromoted, String... ownFailoverSlots) {
        return concat(List.of(new Operation.StopNode(r.primary(), false), new Operation.Promote(r.standby())),
                rejoin(r, whilePromoted, ownFailoverSlots));
    }

    /**
     * A failover as an HA tool makes it: the standby, caught up, promoted while the primary still runs, then the primary
     * fenced with kill -9 — a clean stop would write a shutdown checkpoint past where the new timeline forked, and the
     * old primary could not rejoin without pg_rewind — {@code whilePromoted} done on the new one, the old primary
     * rejoined as its standby ({@link #rejoin}).
     */
    private static List<Operation> failover(Roles r, List<Operation> whilePromoted, String... ownFailoverSlots) {
        return concat(List.of(new Operation.AwaitReplayCatchUp(r.standby(), WAIT_SECONDS), new Operation.Promote(r.standby()),
                new Operation.CrashNode(r.primary())), rejoin(r, whilePromoted, ownFailoverSlots));
    }

    /**
     * {@code whilePromoted} done on the promoted standby, then the stopped old primary rejoined as its standby through a
     * physical slot named like it — keeping its own failover slots, which the first sync meets in its way (field failure
     * 1) and which are then dropped: the pair stands again, roles swapped.
     */
    private static List<Operation> rejoin(Roles r, List<Operation> whilePromoted, String... ownFailoverSlots) {
        return concat(whilePromoted,
                List.of(new Operation.CreatePhysicalSlot(r.standby(), r.primary()), new Operation.Rejoin(r.primary(), r.standby(), r.primary()),
                        new Operation.AwaitReplayCatchUp(r.primary(), WAIT_SECONDS), new Operation.SyncSlots(r.primary())),
                Stream.of(ownFailoverSlots).map(slot -> (Operation) new Operation.DropSlot(r.primary(), slot)).toList());
    }

    private static Operation worker(Roles r, String onOrOff) {
        return new Operation.SetSetting(r.standby(), "sync_replication_slots", onOrOff);
    }

    private static Operation noBarrier(Roles r) {
        return new Operation.SetSetting(r.primary(), "synchronized_standby_slots", "");
    }

    private static Operation createFailoverSlot(String node, String slot) {
        return new Operation.CreateLogicalSlot(node, slot, "test_decoding", false, false, true);
    }

    private static Operation consume(String node, String slot) {
        return new Operation.ConsumeChanges(node, slot, null, false);
    }

    @SafeVarargs
    private static List<Operation> concat(List<Operation>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
