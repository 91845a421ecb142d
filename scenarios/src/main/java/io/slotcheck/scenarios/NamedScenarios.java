package io.slotcheck.scenarios;

import io.slotcheck.harness.run.OperationExecutor;
import io.slotcheck.model.hazard.KnownBehaviour;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.ServerProcess;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.slotcheck.scenarios.Expect.assertEquals;
import static io.slotcheck.scenarios.Expect.assertFalse;
import static io.slotcheck.scenarios.Expect.assertInstanceOf;
import static io.slotcheck.scenarios.Expect.assertNotEquals;
import static io.slotcheck.scenarios.Expect.assertNull;
import static io.slotcheck.scenarios.Expect.assertTrue;
import static io.slotcheck.scenarios.ScenarioRun.failure;

/**
 * The conformance suite's named scenarios: the flows of failover slots and the field failures a PostgreSQL server
 * alone can show ({@code spec/field-failures.md}), each a fixed operation list run on a fresh pair and checked by the
 * model after every step, exactly as a campaign's sequences are. On top of the model's verdict, each scenario asserts
 * what it is there to show, so that it cannot pass by observing nothing.
 */
public final class NamedScenarios {

    private static final String PRIMARY = "primary";
    private static final String STANDBY = "standby1";
    private static final String SLOT = "s1";
    /** A database of an application's own (slotcheck names the databases it makes slotcheck_*: tidying drops them). */
    private static final String APP_DATABASE = "slotcheck_app";
    /** The subscription (and publication) pg_createsubscriber makes of a converted standby. */
    private static final String CONVERTED_SUBSCRIPTION = "slotcheck_converted";
    /** A second standby of the primary, beside {@link #STANDBY}. */
    private static final String SECOND_STANDBY = "standby2";
    /** A physical slot made on the standby, its own. */
    private static final String OWN_SLOT = "standby_own";
    /** A second logical slot, beside {@link #SLOT}. */
    private static final String OTHER_SLOT = "s2";
    private static final String SUBSCRIBER = "subscriber";
    private static final String SUBSCRIPTION = "sub1";
    /** Bounds of the scenarios' explicit waits: generous, since a wait that runs out is a finding, not a slow pass. */
    private static final int WAIT_SECONDS = 30;
    /** Where a synchronized_standby_slots naming slots that are not physical slots of the server takes effect. */
    private static final NamedScenario.Versions ACCEPTING_UNKNOWN_STANDBY_SLOTS = new NamedScenario.Versions(
            "PostgreSQL 17.7, 18.1 and later (before, a list naming a slot that is not there was refused)", VersionProfile::acceptsUnknownStandbySlots);

    private NamedScenarios() {
    }

    /** Every scenario, in the order of the README's table. */
    public static List<NamedScenario> catalogue() {
        return Stream.concat(Stream.of(manualSync(), syncWorker(), promotion(), failoverAfterKill(), alteringAHeldCopy(), staleAcknowledgement(),
                subscriptionSwitch(), subscriptionOptionsRefusedWhileEnabled(), twoPhaseSubscriptionAcrossAFailover(), twoPhaseTurnedOnBeforeAFailover(), configurationRefusals(), catalogChurnAndVacuum(), catalogPressureWithoutFeedback(),
                catalogPressureWhileTheStandbyIsDown(), standbyBarrier(), barrierScope(), barrierWarnings(), shutdownWaitsForTheListedStandby(), wrongPrimarySlotName(), syncAsAReplicationRole(), partitionRefused(), partitionSlowed(),
                partitionBlackholed(), standbyOffTheNetwork(), convergenceAfterABlackholedLink(), syncWorkerTurnedOff(),
                walPressureOnThePrimary(), walPressureOnTheStandby(), idleTimeoutInRecovery(), syncedSlotReplacedByACopy(), databaseNotReplayedYet(), databaseDroppedWithACopy(), upgradedPrimary(), standbyConvertedToASubscriber(), standbyKilled(), standbyPaused(),
                standbyWalLevelLowered(), standbyThatWillNotStart(), primaryWithoutLogicalDecoding(), syncWorkerKilled(), walreceiverTerminated(), walsenderPaused(), failoverGivenToASubscriptionLater(),
                subscriptionThroughTheEndpoint(), hazardCopyStillTemporaryAtPromotion(), cutOffFailoverWithTheBarrier(),
                hazardCutOffFailoverWithoutTheBarrier(), returningOldPrimaryWithTheBarrier(), hazardReturningOldPrimaryWithoutTheBarrier(),
                leftoverFailoverSlots(), missingDbname(), staleSynchronizedStandbySlots(), syncWhileTheStandbyIsBehind(),
                syncedCopyIsReadOnly(), nonFailoverSlotNotCopied(), obsoleteCopiesDropped(), hazardSlotBehindItsCopyAfterACrash()),
                PgFailoverSlotsScenarios.catalogue().stream()).toList();
    }

    /** A scenario of every version with failover slots. */
    private static NamedScenario scenario(String id, String title, String shows, List<String> specItems, List<Operation> operations,
                                          Consumer<ScenarioRun> verify) {
        return new NamedScenario(id, title, shows, specItems, NamedScenario.Versions.WITH_FAILOVER_SLOTS, operations, verify);
    }

    private static NamedScenario manualSync() {
        return scenario("manual-sync", "manual sync", "pg_sync_replication_slots() makes a failover-ready copy at the primary's position",
                List.of("§1 item 1", "§1 item 3", "§1 item 5"),
                after(syncReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    SlotRow first = run.step(syncReadyCopy().size()).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(first.isFailoverReady(), "the first sync made a synced, persistent, valid copy: " + first);
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome());
                    assertTrue(run.slot(STANDBY, SLOT).confirmedFlushLsn().isAfter(first.confirmedFlushLsn()), "the next sync moved the copy on");
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
                    run.assertExercised("synced-confirmed-flush-within-standby-flush", "synced-copy-not-ahead-of-primary",
                            "synced-slots-are-failover-logical-slots", "persistent-copy-catches-up-in-a-cycle", "synced-positions-never-retreat");
                });
    }

    private static NamedScenario syncWorker() {
        return scenario("sync-worker", "sync worker", "sync_replication_slots = on makes and keeps the copy failover-ready",
                List.of("§1 item 3", "§1 item 21"),
                after(workerReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, WAIT_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(6).outcome(), "the worker made the copy failover-ready");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome());
                    assertTrue(run.logged(STANDBY, Message.SYNC_WORKER_STARTED), "the worker's start is in the standby's log");
                    run.assertExercised("synced-confirmed-flush-within-standby-flush", "synced-positions-never-retreat");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    private static NamedScenario promotion() {
        return scenario("promotion", "promotion", "the copy decodes on the promoted standby; no temporary synced slot survives",
                List.of("§1 item 7", "§1 item 18"),
                after(syncReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.Promote(STANDBY),
                        consume(STANDBY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the promoted copy decodes");
                    assertTrue(run.lastStep().observation(STANDBY).orElseThrow().slots().stream().noneMatch(s -> s.isSynced() && s.temporary()));
                    run.assertExercised("documented-outcome", "no-temporary-synced-slot-out-of-recovery");
                });
    }

    /**
     * Failover: the primary is killed (kill -9, nothing checkpointed since the last writes) and the standby promoted;
     * the failover-ready copy decodes the changes the standby had replayed, and no temporary synced slot survives.
     */
    private static NamedScenario failoverAfterKill() {
        return scenario("failover-after-kill", "failover after kill -9",
                "the primary killed, the standby promoted: the copy decodes the writes the standby had replayed",
                List.of("§1 item 7", "§1 item 18"),
                after(syncReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.CrashNode(PRIMARY),
                        new Operation.Promote(STANDBY),
                        consume(STANDBY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(10).outcome(), "promoted: " + run.step(10).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the promoted copy decodes: " + run.lastStep().outcome());
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertTrue(copy.confirmedFlushLsn().isAfter(run.step(6).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow()
                            .confirmedFlushLsn()), "it decoded the writes made before the crash: " + copy);
                    run.assertExercised("documented-outcome", "no-temporary-synced-slot-out-of-recovery");
                });
    }

    /**
     * Found by a campaign: ALTER_REPLICATION_SLOT acquires the slot waiting, so altering a copy the sync worker holds
     * (a temporary copy it cannot persist yet) waits — statement_timeout does not end it, only a cancel does.
     */
    private static NamedScenario alteringAHeldCopy() {
        return scenario("altering-a-held-copy", "altering a held copy",
                "ALTER_REPLICATION_SLOT of a copy the sync worker holds waits for it (it acquires the slot waiting; statement_timeout does"
                        + " not end the wait, a cancel does): slotcheck cancels it once seen waiting for the slot",
                List.of("§1 item 8"),
                // transactions after the slot was made: the standby keeps no catalog rows as old as the slot's catalog_xmin,
                // so its copy stays temporary, held by the worker (§1 item 6); without them it may become sync-ready at once
                List.of(createFailoverSlot(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, 2),
                        new Operation.AlterSlotFailover(STANDBY, SLOT, false)),
                run -> {
                    SlotRow held = run.step(4).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(held.isSynced() && held.temporary() && held.active(), "the worker holds a temporary copy: " + held);
                    run.assertRefused(5, Message.CANCELED_BY_CLIENT);
                    assertTrue(run.step(5).waits().stream().anyMatch(wait -> wait.what().contains(OperationExecutor.SLOT_HELD_WAIT_EVENT)),
                            "the alter was seen waiting to acquire the slot the worker holds: " + run.step(5).waits());
                    run.assertExercised("documented-outcome");
                });
    }

    /**
     * A consumer that reconnects and acknowledges an older position: the slot does not go back. Before 17.6 it did, a
     * defect fixed upstream, which this scenario shows on those minors.
     */
    private static NamedScenario staleAcknowledgement() {
        return new NamedScenario("stale-acknowledgement", "stale acknowledgement",
                "a streaming consumer's acknowledgement moves the slot; older ones after it do not move it back (on 17.5 and older they do:"
                        + " the defect fixed upstream in 17.6)",
                List.of("§1 item 4"),
                NamedScenario.Versions.WITH_FAILOVER_SLOTS,
                List.of(createFailoverSlot(),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.Acknowledge(PRIMARY, SLOT, false),
                        new Operation.Acknowledge(PRIMARY, SLOT, true),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        new Operation.Acknowledge(PRIMARY, SLOT, true)),
                run -> {
                    SlotRow created = run.step(1).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    SlotRow acknowledged = run.step(3).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(acknowledged.confirmedFlushLsn().isAfter(created.confirmedFlushLsn()), "the consumer's acknowledgement moved the slot");
                    assertEquals(acknowledged.confirmedFlushLsn(), run.slot(PRIMARY, SLOT).confirmedFlushLsn(), "older acknowledgements did not");
                    run.assertExercised("primary-confirmed-flush-never-retreats");
                });
    }

    /**
     * A subscriber's failover subscription survives a switchover: its slot is synced by the worker while the barrier
     * holds the subscriber to what the standby has, and after promotion the subscription is pointed at the new primary.
     */
    private static NamedScenario subscriptionSwitch() {
        return scenario("subscription-switch", "subscription switch",
                "a failover = true subscription's slot is synced by the worker behind the standby barrier, the subscription is pointed at"
                        + " the promoted standby, and once caught up it has every transaction of both primaries exactly once",
                List.of("§1 item 3", "§1 item 14", "§1 item 18"),
                List.of(new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.Promote(STANDBY),
                        new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, STANDBY),
                        new Operation.WriteTransactions(STANDBY, 2, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)),
                run -> {
                    SlotRow published = run.step(4).observation(PRIMARY).orElseThrow().slot(SUBSCRIPTION).orElseThrow();
                    assertTrue(published.isFailover(), "the subscription made a failover slot on the publisher: " + published);
                    assertInstanceOf(Outcome.Ok.class, run.step(8).outcome(), "the subscription's slot became failover-ready on the standby");
                    assertInstanceOf(Outcome.Ok.class, run.step(11).outcome(), "the subscription was pointed at the promoted standby");
                    SlotRow promoted = run.slot(STANDBY, SUBSCRIPTION);
                    assertTrue(promoted.isSynced() && !promoted.temporary() && promoted.invalidationReason() == null, promoted.toString());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the subscriber caught up with the new primary");
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions(),
                            "every transaction, of the old primary and of the new, applied once");
                    run.assertExercised("synced-confirmed-flush-within-standby-flush", "no-temporary-synced-slot-out-of-recovery",
                            "each-transaction-applied-once", "caught-up-subscriber-matches-its-publisher");
                });
    }

    /**
     * §2 O12 and O13: a subscription's failover, and from 18 its two_phase, change only while it is disabled, since the
     * apply worker holds the slot: altered while enabled, each is refused with its version's text (17 knows no two_phase
     * to alter); disabled first, failover changes on the publisher's slot.
     */
    private static NamedScenario subscriptionOptionsRefusedWhileEnabled() {
        return scenario("subscription-options-refused-while-enabled", "subscription options refused while enabled",
                "ALTER SUBSCRIPTION ... SET (failover) and, from 18, SET (two_phase) of an enabled subscription are refused (17: cannot set"
                        + " failover for enabled subscription; 18: cannot set option \"failover\" for enabled subscription; 17 knows no"
                        + " two_phase to alter); disabled first, failover changes on the publisher's slot",
                List.of("§2 O12", "§2 O13", "§5.1"),
                List.of(new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                        new Operation.AlterSubscriptionFailover(SUBSCRIBER, SUBSCRIPTION, false, true),
                        new Operation.AlterSubscriptionTwoPhase(SUBSCRIBER, SUBSCRIPTION, true, true),
                        new Operation.AlterSubscriptionFailover(SUBSCRIBER, SUBSCRIPTION, false)),
                run -> {
                    run.assertRefused(4, Message.SUBSCRIPTION_OPTION_WHILE_ENABLED);
                    run.assertRefused(5, run.history().profile().altersSubscriptionTwoPhase() ? Message.SUBSCRIPTION_OPTION_WHILE_ENABLED
                            : Message.SUBSCRIPTION_PARAMETER_UNRECOGNIZED);
                    assertTrue(run.step(4).observation(PRIMARY).orElseThrow().slot(SUBSCRIPTION).orElseThrow().isFailover(),
                            "the refused change left the slot's failover as it was");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "disabled first, failover changes");
                    assertFalse(run.slot(PRIMARY, SUBSCRIPTION).isFailover(), "on the publisher's slot: " + run.slot(PRIMARY, SUBSCRIPTION));
                    run.assertExercised("documented-outcome", "subscription-failover-reaches-its-slot");
                });
    }

    /**
     * A failover subscription behind the barrier: the barrier listing the standby, its worker on, a subscriber and its
     * subscription ({@code twoPhase} or not), two transactions, and the copy of the subscription's slot failover-ready.
     */
    private static List<Operation> subscribedBehindTheBarrier(boolean twoPhase) {
        // the copy is made ready first: a transaction left prepared keeps a new copy from its consistent snapshot
        return List.of(new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                new Operation.AddSubscriber(SUBSCRIBER),
                new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false, twoPhase),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS));
    }

    /** After the opening and what follows it: the standby promoted, the subscription pointed at it, the prepared committed there. */
    private static List<Operation> preparedCommittedAfterAFailover(List<Operation> opening) {
        return after(opening,
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitCopyMirrorsItsSlot(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                new Operation.StopNode(PRIMARY, false),
                new Operation.Promote(STANDBY),
                new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, STANDBY),
                new Operation.CommitPrepared(STANDBY),
                new Operation.WriteTransactions(STANDBY, 1, false),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS));
    }

    /**
     * A two-phase subscription (§1 item 22) applies a transaction prepared on the primary as prepared; the standby,
     * promoted, still holds it prepared, and its COMMIT PREPARED there reaches the subscriber through the synced copy of
     * the subscription's slot: the transaction is committed on the subscriber once, nothing left prepared.
     */
    private static NamedScenario twoPhaseSubscriptionAcrossAFailover() {
        int prepared = 10;
        List<Operation> operations = preparedCommittedAfterAFailover(after(subscribedBehindTheBarrier(true),
                new Operation.PrepareTransaction(PRIMARY),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)));
        return scenario("two-phase-subscription-across-a-failover", "a two-phase subscription across a failover",
                "a transaction prepared on the primary is prepared on a two_phase subscriber; the promoted standby still has it"
                        + " prepared, and committed there it is committed on the subscriber once, through the synced copy",
                List.of("§1 item 22", "§1 item 18", "§1 item 2"),
                operations,
                run -> {
                    assertEquals(List.of(Operation.PrepareTransaction.GID_PREFIX + "3"),
                            run.step(prepared).observation(PRIMARY).orElseThrow().preparedTransactions(), "prepared on the primary");
                    assertInstanceOf(Outcome.Ok.class, run.step(prepared + 2).outcome(), "the copy has the slot's configuration");
                    assertEquals(1, run.step(prepared).observation(SUBSCRIBER).orElseThrow().preparedTransactions().size(),
                            "and on the two-phase subscriber, not applied yet");
                    assertTrue(run.step(prepared + 2).observation(STANDBY).orElseThrow().slot(SUBSCRIPTION).map(SlotRow::twoPhase).orElse(false),
                            "the copy of the subscription's slot has two_phase");
                    assertEquals(List.of(Operation.PrepareTransaction.GID_PREFIX + "3"),
                            run.step(prepared + 4).observation(STANDBY).orElseThrow().preparedTransactions(), "still prepared once promoted");
                    NodeSnapshot subscriber = run.lastStep().observation(SUBSCRIBER).orElseThrow();
                    assertEquals(List.of(1L, 2L, 3L, 4L), subscriber.transactions(), "each transaction applied once, the prepared one too");
                    assertEquals(List.of(), subscriber.preparedTransactions(), "nothing left prepared on the subscriber");
                    run.assertExercised("prepared-transaction-survives-promotion", "each-transaction-applied-once",
                            "caught-up-subscriber-matches-its-publisher", "subscription-failover-reaches-its-slot");
                    run.assertReached("promotion-with-a-prepared-transaction");
                });
    }

    /**
     * 18's ALTER SUBSCRIPTION ... SET (two_phase) (§1 item 22, §5.1): a transaction prepared while the subscription had
     * two_phase off is not applied until it commits; two_phase turned on, the copy gets the slot's two_phase and
     * two_phase_at, and after a failover the transaction committed on the new primary is applied once, whole. On 17 the
     * option is refused.
     */
    private static NamedScenario twoPhaseTurnedOnBeforeAFailover() {
        int alter = 11;
        List<Operation> operations = preparedCommittedAfterAFailover(after(subscribedBehindTheBarrier(false),
                new Operation.PrepareTransaction(PRIMARY),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                new Operation.AlterSubscriptionTwoPhase(SUBSCRIBER, SUBSCRIPTION, true),
                new Operation.WriteTransactions(PRIMARY, 1, false),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)));
        return scenario("two-phase-turned-on-before-a-failover", "two_phase turned on before a failover",
                "a transaction prepared before ALTER SUBSCRIPTION ... SET (two_phase = true) is applied once, at its COMMIT PREPARED on"
                        + " the promoted standby, whose copy has the slot's two_phase and two_phase_at (18 and later; 17 refuses the option)",
                List.of("§1 item 22", "§5.1"),
                operations,
                run -> {
                    List<Long> applied = run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions();
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), applied, "each transaction applied once, the prepared one at its commit");
                    if (!run.history().profile().altersSubscriptionTwoPhase()) {
                        run.assertRefused(alter, Message.SUBSCRIPTION_PARAMETER_UNRECOGNIZED);
                        return;
                    }
                    assertInstanceOf(Outcome.Ok.class, run.step(alter).outcome(), "two_phase turned on: " + run.step(alter).outcome());
                    assertEquals(List.of(), run.step(alter - 1).observation(SUBSCRIBER).orElseThrow().preparedTransactions(),
                            "prepared before two_phase was on: nothing of it on the subscriber");
                    SlotRow slot = run.step(alter + 3).observation(PRIMARY).orElseThrow().slot(SUBSCRIPTION).orElseThrow();
                    SlotRow copy = run.step(alter + 4).observation(STANDBY).orElseThrow().slot(SUBSCRIPTION).orElseThrow();
                    assertTrue(slot.twoPhase() && copy.twoPhase() && Objects.equals(slot.twoPhaseAt(), copy.twoPhaseAt()),
                            "the copy has the slot's two_phase and two_phase_at: " + slot + " / " + copy);
                    assertEquals(List.of(), run.lastStep().observation(SUBSCRIBER).orElseThrow().preparedTransactions(),
                            "nothing left prepared on the subscriber");
                    run.assertExercised("prepared-transaction-survives-promotion", "each-transaction-applied-once",
                            "caught-up-subscriber-matches-its-publisher", "two-phase-at-within-confirmed-flush");
                });
    }

    private static NamedScenario configurationRefusals() {
        return scenario("configuration-refusals", "configuration refusals",
                "missing dbname, hot_standby_feedback = off, sync on a primary: the documented errors and SQLSTATEs",
                List.of("§1 item 20", "§3"),
                List.of(new Operation.RewritePrimaryConninfo(STANDBY, false),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.RewritePrimaryConninfo(STANDBY, true),
                        new Operation.SetSetting(STANDBY, "hot_standby_feedback", "off"),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SetSetting(STANDBY, "hot_standby_feedback", "on"),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SyncSlots(PRIMARY)),
                run -> {
                    run.assertRefused(2, Message.SYNC_NEEDS_DBNAME);
                    run.assertRefused(5, Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK);
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "configured right, the standby syncs");
                    run.assertRefused(8, Message.SYNC_ON_PRIMARY);
                    assertTrue(run.report().exercised().get("documented-outcome") >= 3, run.report().exercised().toString());
                });
    }

    private static NamedScenario catalogChurnAndVacuum() {
        return scenario("catalog-churn-and-vacuum", "catalog churn and VACUUM",
                "the standby's feedback holds the copy's catalog_xmin in its physical slot; tables created and dropped (dead catalog"
                        + " rows), catalogs vacuumed: the copy's catalog_xmin follows the primary's, never invalidated while feedback holds",
                List.of("§1 item 13", "§1 item 25"),
                after(syncReadyCopy(),
                        new Operation.AwaitStandbyFeedback(STANDBY, WAIT_SECONDS),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.VacuumCatalogs(PRIMARY),
                        new Operation.Checkpoint(STANDBY),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.AwaitStandbyFeedback(STANDBY, WAIT_SECONDS),
                        new Operation.VacuumCatalogs(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    Step held = run.step(syncReadyCopy().size() + 1);
                    assertInstanceOf(Outcome.Ok.class, held.outcome(), "the feedback reached the primary: " + held.outcome());
                    SlotRow physical = held.observation(PRIMARY).orElseThrow().slot(run.streamingSlot(STANDBY)).orElseThrow();
                    SlotRow copyHeld = held.observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(physical.catalogXmin() != null && physical.catalogXmin() <= copyHeld.catalogXmin(),
                            "the standby's physical slot holds the copy's catalog_xmin " + copyHeld.catalogXmin() + ": " + physical);
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertNull(copy.invalidationReason(), "hot_standby_feedback kept the catalog rows the copy needs");
                    assertTrue(copy.isFailoverReady(), copy.toString());
                    assertEquals(run.slot(PRIMARY, SLOT).catalogXmin(), copy.catalogXmin(), "the copy's catalog_xmin follows the primary's");
                    run.assertExercised("no-rows-removed-while-feedback-holds", "conflicting-follows-invalidation-reason",
                            "physical-slot-holds-the-copies-catalog-xmin");
                });
    }

    /**
     * Catalog pressure without feedback (the seeds' "123 vs 1234"): the copy keeps the catalog_xmin of its last sync
     * while the primary slot moves on; VACUUM on the primary removes catalog rows the copy still needs, and replaying
     * that removal on the standby invalidates the copy with rows_removed — never a copy that decodes with rows missing.
     */
    private static NamedScenario catalogPressureWithoutFeedback() {
        return scenario("catalog-pressure-without-feedback", "catalog pressure without feedback",
                "with hot_standby_feedback = off, VACUUM on the primary removes catalog rows the copy (at its last sync's catalog_xmin)"
                        + " still needs; replaying it invalidates the copy rows_removed, conflicting — with feedback on (the row above) the"
                        + " same churn leaves it valid; the invalidated copy cannot be copied (17.5, 18)",
                List.of("§1 item 13", "§1 item 25", "§1 item 24"),
                after(syncReadyCopy(),
                        new Operation.SetSetting(STANDBY, "hot_standby_feedback", "off"),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.VacuumCatalogs(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.CopyLogicalSlot(STANDBY, SLOT, "s1_copy")),
                run -> {
                    SlotRow before = run.step(syncReadyCopy().size()).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(run.slot(PRIMARY, SLOT).catalogXmin() > before.catalogXmin(), "the primary slot moved past the copy's catalog_xmin");
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertEquals("rows_removed", copy.invalidationReason(), "the copy lost catalog rows it needs: " + copy);
                    assertEquals(Boolean.TRUE, copy.conflicting());
                    if (run.history().profile().has(UpstreamFix.COPY_OF_INVALIDATED_SLOT_REFUSED)) {
                        run.assertRefused(run.history().steps().size(), Message.COPY_INVALIDATED_SLOT);
                    }
                    run.assertExercised("conflicting-follows-invalidation-reason");
                });
    }

    /**
     * Catalog pressure while the standby is down: its physical slot on the primary keeps the horizon its feedback last
     * sent (xmin or catalog_xmin), so VACUUM on the primary leaves the rows the copy needs; started again, the standby
     * replays the churn and its copy stays valid.
     */
    private static NamedScenario catalogPressureWhileTheStandbyIsDown() {
        return scenario("catalog-pressure-standby-down", "catalog pressure while the standby is down",
                "its physical slot on the primary keeps the horizon its feedback last sent, so VACUUM leaves the rows its copy needs;"
                        + " started again, the copy stays valid",
                List.of("§1 item 13"),
                after(syncReadyCopy(),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.WriteTransactions(PRIMARY, 2, true),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.VacuumCatalogs(PRIMARY),
                        new Operation.StartNode(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    SlotRow standbySlot = run.step(12).observation(PRIMARY).orElseThrow().slot(run.streamingSlot(STANDBY)).orElseThrow();
                    SlotRow copyBefore = run.step(syncReadyCopy().size()).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    long heldBack = Stream.of(standbySlot.xmin(), standbySlot.catalogXmin()).filter(Objects::nonNull).mapToLong(Long::longValue)
                            .min().orElseThrow(() -> new AssertionError("the down standby's slot holds nothing back: " + standbySlot));
                    assertTrue(heldBack <= copyBefore.catalogXmin(), "the down standby's slot (xmin or catalog_xmin from its last feedback)"
                            + " held the copy's catalog_xmin " + copyBefore.catalogXmin() + " back: " + standbySlot);
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertNull(run.slot(STANDBY, SLOT).invalidationReason(), "the copy kept its catalog rows: " + run.slot(STANDBY, SLOT));
                    run.assertExercised("no-rows-removed-while-feedback-holds");
                });
    }

    private static NamedScenario standbyBarrier() {
        return scenario("standby-barrier", "the standby barrier",
                "decoding a failover slot waits for a stopped standby in synchronized_standby_slots, a slot without failover does not;"
                        + " released when it returns or leaves the list",
                List.of("§1 item 14"),
                List.of(createFailoverSlot(),
                        new Operation.CreateLogicalSlot(PRIMARY, "s2", "test_decoding", false, false, false),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.ConsumeChanges(PRIMARY, "s2", null, false),
                        new Operation.StartNode(STANDBY),
                        consume(PRIMARY),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", ""),
                        consume(PRIMARY)),
                run -> {
                    run.assertHeldByTheBarrier(6, "decoding waited for the stopped standby");
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "a slot without failover is not held: " + run.step(7).outcome());
                    NodeSnapshot unheld = run.step(7).observation(PRIMARY).orElseThrow();
                    assertTrue(unheld.slot("s2").orElseThrow().confirmedFlushLsn().isAfter(unheld.slot(run.streamingSlot(STANDBY)).orElseThrow().restartLsn()),
                            "it decoded past what the stopped standby has: " + unheld.slots());
                    assertInstanceOf(Outcome.Ok.class, run.step(9).outcome(), "released when the standby returned");
                    assertInstanceOf(Outcome.Ok.class, run.step(13).outcome(), "released when the standby left the list");
                    assertTrue(run.slot(PRIMARY, SLOT).confirmedFlushLsn().isAfter(run.step(6).observation(PRIMARY).orElseThrow()
                            .slot(SLOT).orElseThrow().confirmedFlushLsn()), "the consumer moved on");
                    run.assertExercised("standby-barrier-holds-back-failover-consumers", "documented-outcome");
                });
    }

    /**
     * §1 item 27: pg_upgrade migrates a primary's logical slots, each caught up with all WAL, keeping failover and
     * two_phase; its physical slots are not migrated (its standbys must be made anew).
     */
    private static NamedScenario upgradedPrimary() {
        int upgraded = 7;
        return scenario("upgraded-primary", "an upgraded primary",
                "pg_upgrade of the primary into a fresh cluster of its installation migrates its logical slots, each having consumed all WAL,"
                        + " with failover and two_phase kept, and not the physical slot of its standby (needs an installation with pg_upgrade)",
                List.of("§1 item 27"),
                List.of(createFailoverSlot(),
                        new Operation.CreateLogicalSlot(PRIMARY, OTHER_SLOT, "test_decoding", false, true, true),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.ConsumeChanges(PRIMARY, OTHER_SLOT, null, false),
                        new Operation.UpgradeInPlace(PRIMARY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(upgraded).outcome(), "upgraded: " + run.step(upgraded).outcome());
                    NodeSnapshot primary = run.step(upgraded).observation(PRIMARY).orElseThrow();
                    SlotRow failover = primary.slot(SLOT).orElseThrow(() -> new AssertionError("the failover slot is migrated: " + primary.slots()));
                    assertTrue(failover.isFailover() && !failover.twoPhase(), "with failover kept: " + failover);
                    SlotRow twoPhase = primary.slot(OTHER_SLOT).orElseThrow(() -> new AssertionError("the two_phase slot is migrated: " + primary.slots()));
                    assertTrue(twoPhase.isFailover() && twoPhase.twoPhase(), "with failover and two_phase kept: " + twoPhase);
                    assertTrue(primary.slot(run.streamingSlot(STANDBY)).isEmpty(), "physical slots are not migrated: " + primary.slots());
                });
    }

    /**
     * §1 item 27: pg_createsubscriber turns a standby with a failover-ready copy into a subscriber of its primary; the
     * copy cannot be synchronized any more, so the tool drops the failover slots, and the physical slot the standby
     * streamed through on the primary. The subscription then has every transaction once (the data invariants).
     */
    private static NamedScenario standbyConvertedToASubscriber() {
        int converted = syncReadyCopy().size() + 1;
        return scenario("standby-converted-to-subscriber", "a standby converted to a subscriber",
                "pg_createsubscriber makes the standby a subscriber of its primary: the failover slots it had (its synced copy) are dropped,"
                        + " as is its physical slot on the primary, and the subscription applies every later transaction once (needs an"
                        + " installation with pg_createsubscriber)",
                List.of("§1 item 27"),
                after(syncReadyCopy(),
                        new Operation.ConvertToSubscriber(STANDBY, PRIMARY, CONVERTED_SUBSCRIPTION),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitSubscriberCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(converted).outcome(), "converted: " + run.step(converted).outcome());
                    NodeSnapshot subscriber = run.step(converted).observation(STANDBY).orElseThrow();
                    assertFalse(subscriber.inRecovery(), "the converted standby left recovery");
                    assertTrue(subscriber.slots().stream().noneMatch(SlotRow::isFailover), "no failover slot is left on it: " + subscriber.slots());
                    assertTrue(subscriber.subscription(CONVERTED_SUBSCRIPTION).isPresent(), "it subscribes: " + subscriber.subscriptions());
                    assertTrue(run.step(converted).observation(PRIMARY).orElseThrow().slot(STANDBY).isEmpty(),
                            "the physical slot it streamed through is dropped on the primary");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the subscriber caught up: " + run.lastStep().outcome());
                    run.assertExercised("caught-up-subscriber-matches-its-publisher", "each-transaction-applied-once");
                });
    }

    /**
     * §1 item 23: idle_replication_slot_timeout on a standby invalidates its own idle slot at a restartpoint, never the
     * copy idle as long beside it; the primary's slot timed out, the sync copies that.
     */
    private static NamedScenario idleTimeoutInRecovery() {
        int restartpoint = syncReadyCopy().size() + 7;
        return new NamedScenario("idle-timeout-in-recovery", "idle timeout in recovery",
                "a standby's idle_replication_slot_timeout invalidates its own idle slot at a restartpoint but never the copy idle beside"
                        + " it; once the primary's slot times out, a sync gives the copy idle_timeout too",
                List.of("§1 item 23", "§1 item 12", "§1 item 25"),
                new NamedScenario.Versions("PostgreSQL 18 and later (17 has no idle_replication_slot_timeout)", VersionProfile::timesOutIdleSlots),
                after(syncReadyCopy(),
                        new Operation.CreatePhysicalSlot(STANDBY, OWN_SLOT),
                        new Operation.SetSetting(STANDBY, "idle_replication_slot_timeout", "1"),
                        new Operation.AwaitSlotIdle(STANDBY, SLOT, WAIT_SECONDS),
                        new Operation.AwaitSlotIdle(STANDBY, OWN_SLOT, WAIT_SECONDS),
                        // a restartpoint needs a checkpoint record replayed since the last one
                        new Operation.Checkpoint(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.Checkpoint(STANDBY),
                        new Operation.SetSetting(PRIMARY, "idle_replication_slot_timeout", "1"),
                        new Operation.AwaitSlotIdle(PRIMARY, SLOT, WAIT_SECONDS),
                        new Operation.Checkpoint(PRIMARY),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    NodeSnapshot standby = run.step(restartpoint).observation(STANDBY).orElseThrow();
                    assertEquals("idle_timeout", standby.slot(OWN_SLOT).orElseThrow().invalidationReason(),
                            "the restartpoint timed out the standby's own idle slot: " + standby.slots());
                    assertNull(standby.slot(SLOT).orElseThrow().invalidationReason(), "and left the copy idle as long beside it valid");
                    assertEquals("idle_timeout", run.step(restartpoint + 3).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow().invalidationReason(),
                            "the primary's checkpoint timed out its idle slot");
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertEquals("idle_timeout", copy.invalidationReason(), "the sync copied the slot's invalidation: " + copy);
                    assertEquals(Boolean.FALSE, copy.conflicting(), "an idle_timeout is no conflict");
                    run.assertExercised("synced-copy-times-out-only-with-its-slot", "invalidation-propagates", "conflicting-follows-invalidation-reason");
                });
    }

    /**
     * Who the barrier waits for (§1 item 14): a second standby of the primary, not listed, holds nobody while it is away;
     * listed beside the first, it holds a failover slot's consumer until it is back; then each standby syncs its own copy.
     */
    private static NamedScenario barrierScope() {
        return scenario("barrier-scope", "the barrier's scope",
                "a second standby left out of synchronized_standby_slots holds nobody while it is stopped; listed, it holds a failover slot's"
                        + " consumer until it is back; each standby then syncs a copy of its own; a consumer held again goes on once the"
                        + " standby it waits for is started, and once a reload empties the list",
                List.of("§1 item 14", "§1 item 15"),
                List.of(new Operation.AddStandby(SECOND_STANDBY, PRIMARY),
                        createFailoverSlot(),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.StopNode(SECOND_STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY + "," + SECOND_STANDBY),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        consume(PRIMARY),
                        new Operation.StartNode(SECOND_STANDBY),
                        new Operation.AwaitReplayCatchUp(SECOND_STANDBY, WAIT_SECONDS),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitReplayCatchUp(SECOND_STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SyncSlots(SECOND_STANDBY),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", SECOND_STANDBY),
                        new Operation.StopNode(SECOND_STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        new Operation.ConsumeReleasedByStandby(PRIMARY, SLOT, SECOND_STANDBY),
                        new Operation.StopNode(SECOND_STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        new Operation.ConsumeReleasedByReload(PRIMARY, SLOT, "")),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(6).outcome(), "a standby not listed holds nobody: " + run.step(6).outcome());
                    NodeSnapshot unheld = run.step(6).observation(PRIMARY).orElseThrow();
                    assertTrue(unheld.slot(SLOT).orElseThrow().confirmedFlushLsn().isAfter(unheld.slot(SECOND_STANDBY).orElseThrow().restartLsn()),
                            "the consumer went past what the stopped standby has: " + unheld.slots());
                    run.assertHeldByTheBarrier(9, "listed, the stopped standby holds the consumer");
                    assertInstanceOf(Outcome.Ok.class, run.step(13).outcome(), "released once it is back: " + run.step(13).outcome());
                    for (String standby : List.of(STANDBY, SECOND_STANDBY)) {
                        SlotRow copy = run.step(17).observation(standby).orElseThrow().slot(SLOT).orElseThrow();
                        assertTrue(copy.isFailoverReady(), standby + " synced a copy of its own: " + copy);
                    }
                    assertInstanceOf(Outcome.Ok.class, run.step(21).outcome(), "released by its standby's return: " + run.step(21).outcome());
                    assertTrue(run.step(21).heldOn(OperationExecutor.BARRIER_WAIT_EVENT), "held until the standby returned: " + run.step(21).waits());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "released by the reload: " + run.lastStep().outcome());
                    assertTrue(run.lastStep().heldOn(OperationExecutor.BARRIER_WAIT_EVENT), "held until the reload: " + run.lastStep().waits());
                    assertTrue(run.lastStep().observation(PRIMARY).orElseThrow().synchronizedStandbySlots().isEmpty(), "the list was emptied");
                    run.assertExercised("standby-barrier-holds-back-failover-consumers", "barrier-warns-of-the-slot-it-waits-for",
                            "synced-confirmed-flush-within-standby-flush");
                    run.assertReached("held-consumer-released-by-a-reload", "held-consumer-released-by-its-standby");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /**
     * What the barrier says of the slot it waits for (§1 items 15 and 16): a consumer held by a listed name of no slot,
     * a logical slot, an invalidated slot, a stopped standby's slot, each warned of by name; with two listed, only the
     * first that holds it. Shutting the primary down while a subscription's walsender is held, that walsender raises
     * the same report as an ERROR and exits, so the shutdown completes.
     */
    private static NamedScenario barrierWarnings() {
        return new NamedScenario("barrier-warnings", "the barrier's warnings",
                "a consumer held by synchronized_standby_slots warns of the first listed slot that holds it: one that does not exist, a"
                        + " logical one, an invalidated one, a stopped standby's; at shutdown a held walsender raises it as an ERROR and"
                        + " the primary stops",
                List.of("§1 item 15", "§1 item 16"),
                ACCEPTING_UNKNOWN_STANDBY_SLOTS,
                List.of(new Operation.CreatePhysicalSlot(PRIMARY, "lost"),
                        new Operation.WalPressure(PRIMARY, 2),
                        createFailoverSlot(),
                        new Operation.CreateLogicalSlot(PRIMARY, OTHER_SLOT, "test_decoding", false, false, false),
                        new Operation.StopNode(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", "gone," + STANDBY),
                        consume(PRIMARY),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", OTHER_SLOT),
                        consume(PRIMARY),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", "lost"),
                        consume(PRIMARY),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        consume(PRIMARY),
                        new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false),
                        new Operation.WriteTransactions(PRIMARY, 1, false),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.StartNode(PRIMARY)),
                run -> {
                    assertEquals("wal_removed", run.step(2).observation(PRIMARY).orElseThrow().slot("lost").orElseThrow().invalidationReason(),
                            "WAL pressure invalidated the slot no standby used");
                    assertWarned(run, 8, Message.STANDBY_SLOT_MISSING, "gone");
                    assertFalse(warned(run, 8, Message.STANDBY_SLOT_INACTIVE, STANDBY),
                            "the check stops at the first listed slot that holds the consumer: standby1, listed after it, is not reported");
                    assertWarned(run, 10, Message.STANDBY_SLOT_LOGICAL, OTHER_SLOT);
                    assertWarned(run, 12, Message.STANDBY_SLOT_INVALIDATED, "lost");
                    assertWarned(run, 14, Message.STANDBY_SLOT_INACTIVE, STANDBY);
                    assertInstanceOf(Outcome.Ok.class, run.step(18).outcome(), "the primary stopped with the subscription's walsender held: "
                            + run.step(18).outcome());
                    VersionProfile profile = run.history().profile();
                    assertTrue(run.step(19).observation(PRIMARY).orElseThrow().logLines().stream().anyMatch(line -> line.contains("ERROR:  ")
                                    && profile.text(Message.STANDBY_SLOT_INACTIVE).foundIn(line) && line.contains("\"" + STANDBY + "\"")),
                            "at shutdown the held walsender raised the report as an ERROR: " + run.step(19).observation(PRIMARY).orElseThrow().logLines());
                    run.assertExercised("barrier-warns-of-the-slot-it-waits-for", "standby-barrier-holds-back-failover-consumers");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /**
     * §1 item 16, the waiting side: a subscription's walsender held by a listed standby that is connected but lags (its
     * walreceiver paused) does not let the primary's fast shutdown end, nor send its subscriber what the standby lacks,
     * until the standby's own walsender times out; only then, the slot inactive, does it raise the report as an ERROR and
     * exit. After the failover the subscriber matches the new primary.
     */
    private static NamedScenario shutdownWaitsForTheListedStandby() {
        int stop = subscribedBehindTheBarrier(false).size() + 5;
        return scenario("shutdown-waits-for-the-listed-standby", "a shutdown waits for the listed standby",
                "a fast shutdown of the primary waits while a listed standby is connected but lags, its subscriber sent nothing the"
                        + " standby lacks; once the standby's walsender times out the held walsender raises the report as an ERROR and"
                        + " exits; after the failover the subscriber matches the new primary",
                List.of("§1 item 16", "§1 item 14"),
                after(subscribedBehindTheBarrier(false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                        new Operation.PauseProcess(STANDBY, ServerProcess.WALRECEIVER),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, 3),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.ResumeProcess(STANDBY),
                        new Operation.Promote(STANDBY),
                        new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, STANDBY),
                        new Operation.WriteTransactions(STANDBY, 2, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                        new Operation.StartNode(PRIMARY)),
                run -> {
                    assertInstanceOf(Outcome.Unknown.class, run.step(stop - 1).outcome(), "the barrier held the subscriber back");
                    assertEquals(List.of(1L, 2L), run.step(stop - 1).observation(SUBSCRIBER).orElseThrow().transactions());
                    assertInstanceOf(Outcome.Ok.class, run.step(stop).outcome(), run.step(stop).outcome().toString());
                    assertTrue(run.step(stop).waitedMillis() >= 1000, "the shutdown waited for the lagging standby: " + run.step(stop).waits());
                    VersionProfile profile = run.history().profile();
                    assertTrue(run.lastStep().observation(PRIMARY).orElseThrow().logLines().stream().anyMatch(line -> line.contains("ERROR:  ")
                                    && profile.text(Message.STANDBY_SLOT_INACTIVE).foundIn(line) && line.contains("\"" + STANDBY + "\"")),
                            "once the standby's walsender was gone, the held walsender raised the report as an ERROR");
                    assertEquals(run.step(stop + 5).observation(STANDBY).orElseThrow().transactions(),
                            run.step(stop + 5).observation(SUBSCRIBER).orElseThrow().transactions(), "the subscriber matches the new primary");
                    run.assertExercised("caught-up-subscriber-matches-its-publisher", "each-transaction-applied-once");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /** Step {@code index} was held by the barrier, and the primary's log read right after warns of {@code slot}, as {@code warning} says. */
    private static void assertWarned(ScenarioRun run, int index, Message warning, String slot) {
        run.assertHeldByTheBarrier(index, "decoding waited for " + slot);
        assertTrue(warned(run, index, warning, slot), "step " + index + ": the log says \"" + run.history().profile().text(warning)
                + "\" for " + slot + ": " + run.step(index).observation(PRIMARY).orElseThrow().logLines());
    }

    private static boolean warned(ScenarioRun run, int index, Message warning, String slot) {
        return run.step(index).observation(PRIMARY).orElseThrow().logLines().stream()
                .anyMatch(line -> line.contains("WARNING:  ") && run.history().profile().text(warning).foundIn(line) && line.contains("\"" + slot + "\""));
    }

    /**
     * Configuration flip: primary_slot_name naming a slot the primary lacks ends every sync with the documented error
     * (the standby cannot stream either); named right again, the standby syncs, and the worker keeps the copy ready.
     */
    private static NamedScenario wrongPrimarySlotName() {
        return scenario("wrong-primary-slot-name", "wrong primary_slot_name",
                "naming a slot the primary lacks ends every sync with replication slot \"nosuchslot\" specified by \"primary_slot_name\""
                        + " does not exist on primary server (predicted even while the standby cannot stream: the model follows"
                        + " primary_conninfo); named right again, the standby syncs and the worker keeps the copy ready",
                List.of("§1 item 20"),
                after(syncReadyCopy(),
                        new Operation.SetSetting(STANDBY, "primary_slot_name", "nosuchslot"),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SetSetting(STANDBY, "primary_slot_name", STANDBY),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, WAIT_SECONDS)),
                run -> {
                    run.assertRefused(8, Message.SYNC_PRIMARY_SLOT_MISSING);
                    assertInstanceOf(Outcome.Ok.class, run.step(13).outcome(), "named right, the standby syncs: " + run.step(13).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and the worker keeps the copy ready");
                    run.assertExercised("documented-outcome", "synced-positions-never-retreat");
                });
    }

    /**
     * The standby connects to its primary as a replication role without superuser, to a database of that role, whose
     * search_path puts first an = operator the role planted there that answers the opposite (040_standby_failover_slots_sync):
     * the manual sync and the worker find the primary's slot all the same, their queries untouched by it.
     */
    private static NamedScenario syncAsAReplicationRole() {
        return scenario("sync-as-a-replication-role", "a sync as a replication role",
                "primary_conninfo connects as a replication role without superuser, to its own database, where it planted an = operator"
                        + " that answers the opposite first on its search_path; the manual sync and the worker sync all the same",
                List.of("§3", "§1 item 20"),
                List.of(createFailoverSlot(),
                        new Operation.ConnectAsReplicationRole(STANDBY),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitConvergence(STANDBY, WAIT_SECONDS)),
                run -> {
                    assertTrue(Operation.ConnectAsReplicationRole.connectsAsTheRole(run.lastStep().observation(STANDBY).orElseThrow()
                            .settings().get("primary_conninfo")), "the standby connects as the role");
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "the manual sync found the primary's slot: " + run.step(7).outcome());
                    assertTrue(run.step(7).observation(STANDBY).orElseThrow().slot(SLOT).map(SlotRow::isFailoverReady).orElse(false),
                            "and made a sync-ready copy");
                    NodeSnapshot standby = run.lastStep().observation(STANDBY).orElseThrow();
                    assertTrue(standby.syncWorkerPid() != null, "the worker runs, connected as the role");
                    assertEquals(run.lastStep().observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow().confirmedFlushLsn(),
                            standby.slot(SLOT).orElseThrow().confirmedFlushLsn(), "the worker keeps the copy at its slot");
                    assertFalse(run.logged(STANDBY, Message.SYNC_PRIMARY_SLOT_MISSING), "no synchronizer was misled");
                    run.assertExercised("sync-finds-the-primary-slot-that-exists", "synced-copy-mirrors-its-slot");
                    run.assertReached("sync-as-a-role-with-a-planted-operator");
                });
    }

    /**
     * Partition, refused: with the standby's link to the primary cut (both servers running) the standby receives
     * nothing and a sync cannot reach the primary; healed, the standby catches up and syncs.
     */
    private static NamedScenario partitionRefused() {
        return scenario("partition-refused", "partition, refused",
                "the standby's link cut: it receives nothing and a sync fails; healed, it catches up and syncs",
                List.of("§1 item 5"),
                after(syncReadyCopy(),
                        new Operation.PartitionLink(STANDBY, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.HealLink(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    assertInstanceOf(Outcome.Failed.class, run.step(10).outcome(), "no sync through a cut link: " + run.step(10).outcome());
                    NodeSnapshot cutOff = run.step(10).observation(STANDBY).orElseThrow();
                    assertTrue(cutOff.flushLsn().isBefore(run.step(10).observation(PRIMARY).orElseThrow().flushLsn()),
                            "the standby received nothing of the writes: " + cutOff.flushLsn());
                    assertInstanceOf(Outcome.Ok.class, run.step(12).outcome(), "healed, the standby caught up: " + run.step(12).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and syncs: " + run.lastStep().outcome());
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
                    assertEquals(String.valueOf(run.lastStep().observation(PRIMARY).orElseThrow().settings().get("port")),
                            String.valueOf(run.lastStep().observation(STANDBY).orElseThrow().walReceiver().orElseThrow().senderPort()),
                            "histories show the topology, not the relay in between");
                });
    }

    /**
     * Partition, slowed: every chunk on the standby's link passes 300 ms late; replication still gets there, and the
     * standby syncs after healing.
     */
    private static NamedScenario partitionSlowed() {
        return scenario("partition-slowed", "partition, slowed",
                "every chunk 300 ms late: right after writes the standby lacks them, then catches up, and syncs after healing",
                List.of("§1 item 5"),
                after(syncReadyCopy(),
                        new Operation.DelayLink(STANDBY, 300),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.HealLink(STANDBY),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    assertTrue(run.step(8).observation(STANDBY).orElseThrow().flushLsn().isBefore(run.step(8).observation(PRIMARY).orElseThrow()
                            .flushLsn()), "right after the writes the standby had not received them: the link was slow");
                    assertInstanceOf(Outcome.Ok.class, run.step(10).outcome(), "the standby caught up through the slow link: " + run.step(10).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
                });
    }

    /**
     * Partition, blackholed: the link holds everything without closing, so the standby confirms nothing and the
     * barrier holds failover consumers back; healed, what was held passes and consumers move on.
     */
    private static NamedScenario partitionBlackholed() {
        return scenario("partition-blackholed", "partition, blackholed",
                "nothing passes, so the barrier holds failover consumers back; healed, they move on",
                List.of("§1 item 14"),
                barrierHoldsConsumersWhileTheStandby(new Operation.PartitionLink(STANDBY, true), new Operation.HealLink(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    run.assertHeldByTheBarrier(5, "decoding waited for the standby");
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "healed, the standby caught up: " + run.step(7).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and the consumer moved on: " + run.lastStep().outcome());
                    run.assertExercised("standby-barrier-holds-back-failover-consumers");
                });
    }

    /**
     * Partition through the container network: the standby's container taken off the network, both servers running.
     * The standby receives nothing and cannot be observed, and with it listed in synchronized_standby_slots a failover
     * consumer waits at the barrier; back on the network it reconnects, catches up, the consumer moves on and a sync
     * brings the copy to the slot. Only containers have a network of their own to leave.
     */
    private static NamedScenario standbyOffTheNetwork() {
        return scenario("standby-off-the-network", "standby off the network (containers only)",
                "its container disconnected from the cluster's network: it is not observed, and the barrier holds failover consumers back;"
                        + " reconnected, it catches up, consumers move on and it syncs",
                List.of("§1 item 14"),
                after(syncReadyCopy(),
                        new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.DisconnectNode(STANDBY),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.ReconnectNode(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        consume(PRIMARY),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    IntStream.rangeClosed(8, 10).forEach(step -> assertTrue(run.step(step).observation(STANDBY).isEmpty(),
                            "off the network the standby is not observed (step " + step + ")"));
                    run.assertHeldByTheBarrier(10, "decoding waited for the standby");
                    // what the standby has shows in its physical slot on the primary (once back, it may catch up before it is read)
                    NodeSnapshot away = run.step(10).observation(PRIMARY).orElseThrow();
                    SlotRow standbySlot = away.slot(run.streamingSlot(STANDBY)).orElseThrow();
                    assertTrue(standbySlot.restartLsn().isBefore(away.flushLsn()), "it had received nothing of the writes: " + standbySlot);
                    assertTrue(run.step(11).observation(STANDBY).isPresent(), "back, the standby is observed");
                    assertInstanceOf(Outcome.Ok.class, run.step(12).outcome(), "back on the network, the standby caught up: " + run.step(12).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.step(13).outcome(), "and the consumer moved on: " + run.step(13).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and the standby syncs: " + run.lastStep().outcome());
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
                    run.assertExercised("standby-barrier-holds-back-failover-consumers");
                });
    }

    /**
     * Partition, then convergence: while the link is blackholed the primary's slot moves on and the worker's copy cannot
     * follow; once healed and quiet, the worker brings the copy to the slot within the bound.
     */
    private static NamedScenario convergenceAfterABlackholedLink() {
        return scenario("convergence-after-blackhole", "convergence after a blackholed link",
                "cut off, the worker's copy falls behind its slot; healed, the worker brings it to the slot within the bound",
                List.of("§1 item 5", "§1 item 21"),
                after(workerReadyCopy(),
                        new Operation.PartitionLink(STANDBY, true),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.HealLink(STANDBY),
                        new Operation.AwaitConvergence(STANDBY, WAIT_SECONDS)),
                run -> {
                    NodeSnapshot cutOff = run.step(9).observation(STANDBY).orElseThrow();
                    assertTrue(cutOff.slot(SLOT).orElseThrow().confirmedFlushLsn().isBefore(run.step(9).observation(PRIMARY).orElseThrow()
                            .slot(SLOT).orElseThrow().confirmedFlushLsn()), "cut off, the copy fell behind its slot: " + cutOff.slot(SLOT));
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "converged within the bound: " + run.lastStep().outcome());
                    assertTrue(run.slot(STANDBY, SLOT).isFailoverReady(), run.slot(STANDBY, SLOT).toString());
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
                    run.assertExercised("worker-converges-when-quiet");
                });
    }

    /**
     * Configuration flip, sync_replication_slots off: the worker stops with the version's log line and the copy is kept
     * but left behind its slot; turned on again, the worker converges.
     */
    private static NamedScenario syncWorkerTurnedOff() {
        return scenario("sync-worker-off", "sync worker turned off",
                "a manual sync beside the running worker is refused; sync_replication_slots = off: the worker stops with the version's"
                        + " log line, the copy is kept but stays behind; on again, the worker starts (logged) and converges",
                List.of("§1 item 19", "§1 item 21", "§2 O17"),
                after(workerReadyCopy(),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "off"),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitConvergence(STANDBY, WAIT_SECONDS),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AwaitConvergence(STANDBY, WAIT_SECONDS)),
                run -> {
                    run.assertRefused(7, Message.SYNC_CONCURRENTLY);
                    assertTrue(run.logged(STANDBY, Message.SYNC_WORKER_STOPS_WHEN_DISABLED), "the worker's stop is in the standby's log");
                    SlotRow stale = run.step(11).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(stale.isFailoverReady(), "the persistent copy is kept: " + stale);
                    assertTrue(stale.confirmedFlushLsn().isBefore(run.step(11).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow()
                            .confirmedFlushLsn()), "with the worker off, the copy stays behind its slot after the standby caught up: " + stale);
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn(), "on again, it converged");
                    assertEquals(1, run.report().exercised().get("worker-converges-when-quiet"), "judged with the worker on only");
                    run.assertExercised("one-synchronizer-at-a-time", "sync-worker-logs-its-start-and-stop");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /**
     * WAL pressure on the primary: a failover slot nobody consumes falls behind the WAL it needs and is invalidated
     * wal_removed (not conflicting); the next sync gives the copy the same invalidation.
     */
    private static NamedScenario walPressureOnThePrimary() {
        return scenario("wal-pressure-primary", "WAL pressure on the primary",
                "a failover slot nobody consumes is invalidated wal_removed (not conflicting); the next sync gives the copy the same"
                        + " invalidation",
                List.of("§1 item 12", "§1 item 25"),
                after(syncReadyCopy(),
                        new Operation.WalPressure(PRIMARY, 3),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    SlotRow primarySlot = run.step(7).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertEquals("wal_removed", primarySlot.invalidationReason(), "the slot fell behind: " + primarySlot);
                    assertEquals(Boolean.FALSE, primarySlot.conflicting());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals("wal_removed", run.slot(STANDBY, SLOT).invalidationReason(), "the sync carried it: " + run.slot(STANDBY, SLOT));
                    assertEquals("-1", run.lastStep().observation(PRIMARY).orElseThrow().settings().get("max_slot_wal_keep_size"), "the limit lifted");
                    run.assertExercised("invalidation-propagates", "conflicting-follows-invalidation-reason");
                });
    }

    /**
     * A copy never inherits failover (§1 item 24, slotfuncs.c copy_replication_slot()), for the reason the source gives: a
     * synced slot dropped and made again by copying another slot would, with failover, look to the synchronizer like the
     * synced slot moving back. Without it the next sync drops the standby's copy. Left behind and invalidated wal_removed,
     * a slot reserves no WAL and can no longer be copied.
     */
    private static NamedScenario syncedSlotReplacedByACopy() {
        return scenario("synced-slot-replaced-by-a-copy", "a synced slot replaced by a copy",
                "pg_copy_logical_replication_slot() gives a copy its source's plugin but never its failover (nor its two_phase): the synced slot dropped"
                        + " and made again as a copy loses its standby's copy at the next sync; invalidated wal_removed, a slot cannot be copied"
                        + " (cannot copy a replication slot that doesn't reserve WAL)",
                List.of("§1 item 24", "§1 item 12"),
                after(syncReadyCopy(),
                        new Operation.CopyLogicalSlot(PRIMARY, SLOT, "s1_copy"),
                        new Operation.DropSlot(PRIMARY, SLOT),
                        new Operation.CopyLogicalSlot(PRIMARY, "s1_copy", SLOT),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.WalPressure(PRIMARY, 3),
                        new Operation.CopyLogicalSlot(PRIMARY, SLOT, "s1_again")),
                run -> {
                    int copied = syncReadyCopy().size() + 1;
                    SlotRow copy = run.step(copied).observation(PRIMARY).orElseThrow().slot("s1_copy").orElseThrow();
                    SlotRow source = run.step(copied).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(source.isFailover() && !copy.isFailover() && !copy.isSynced(), "the copy has no failover: " + copy);
                    assertEquals(source.plugin(), copy.plugin(), "the copy decodes with its source's plugin");
                    assertFalse(copy.twoPhase(), "nor two_phase: " + copy);
                    assertFalse(run.step(copied + 2).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow().isFailover(), "made again, no failover");
                    assertInstanceOf(Outcome.Ok.class, run.step(copied + 3).outcome(), run.step(copied + 3).outcome().toString());
                    assertTrue(run.step(copied + 3).observation(STANDBY).orElseThrow().slot(SLOT).isEmpty(), "the sync dropped the standby's copy");
                    run.assertRefused(copied + 5, Message.COPY_WITHOUT_RESERVED_WAL);
                    run.assertExercised("copied-slot-never-fails-over");
                });
    }

    /**
     * §1 item 2: a sync maps a slot's database by name to the standby's own; a standby that has received, but not yet
     * replayed, the CREATE DATABASE of a failover slot's database fails the whole cycle with the generic error. The
     * barrier makes the consumer wait until the standby has received the WAL, so that the sync is not refused first for
     * being behind (§1 item 3).
     */
    private static NamedScenario databaseNotReplayedYet() {
        return scenario("database-not-replayed-yet", "a slot of a database not replayed yet",
                "the standby has received the CREATE DATABASE of a failover slot's database but, its replay paused, not applied it: a sync"
                        + " fails with database \"slotcheck_app\" does not exist; replayed, the standby syncs the slot into that database",
                List.of("§1 item 2"),
                List.of(new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.PauseReplay(STANDBY),
                        new Operation.CreateDatabase(PRIMARY, APP_DATABASE),
                        new Operation.CreateLogicalSlot(PRIMARY, SLOT, "test_decoding", false, false, true, APP_DATABASE),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.ResumeReplay(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "the consumer went on once the standby had received it: "
                            + run.step(7).outcome());
                    run.assertRefused(8, Message.DATABASE_DOES_NOT_EXIST);
                    assertTrue(failure(run.step(8)).message().contains("\"" + APP_DATABASE + "\""), failure(run.step(8)).message());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "replayed, the standby syncs: " + run.lastStep().outcome());
                    SlotRow copy = run.slot(STANDBY, SLOT);
                    assertTrue(copy.isSynced() && APP_DATABASE.equals(copy.database()), "the copy is of that database: " + copy);
                    run.assertExercised("synced-copy-mirrors-its-slot");
                });
    }

    /**
     * DROP DATABASE of a database with a failover slot (§1 item 28): the primary drops the slot with the database
     * (dbcommands.c dropdb()), and the standby, replaying the drop, drops its synced copy (dbase_redo() ->
     * ReplicationSlotsDropDBSlots()) with no sync in between, and no synchronizer's line for it.
     */
    private static NamedScenario databaseDroppedWithACopy() {
        return scenario("database-dropped-with-a-copy", "a database dropped with its synced slot",
                "the failover slot of an application's database has a failover-ready copy; DROP DATABASE on the primary drops the slot,"
                        + " and the standby, replaying it, drops the copy with no sync in between",
                List.of("§1 item 28"),
                List.of(new Operation.CreateDatabase(PRIMARY, APP_DATABASE),
                        new Operation.CreateLogicalSlot(PRIMARY, SLOT, "test_decoding", false, false, true, APP_DATABASE),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.DropDatabase(PRIMARY, APP_DATABASE),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    SlotRow copy = run.step(7).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(copy.isFailoverReady() && APP_DATABASE.equals(copy.database()), "the copy of the database's slot is ready: " + copy);
                    assertTrue(run.step(8).observation(PRIMARY).orElseThrow().slot(SLOT).isEmpty(), "the drop took the primary's slot");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertTrue(run.lastStep().observation(STANDBY).orElseThrow().slot(SLOT).isEmpty(), "replaying it, the standby dropped the copy");
                    run.assertExercised("dropped-database-takes-its-slots");
                });
    }

    /**
     * WAL pressure on the standby: its restartpoint removes WAL its copy still needs, so the copy is invalidated
     * wal_removed on the standby alone, while the primary's slot stays valid (§2 O24).
     */
    private static NamedScenario walPressureOnTheStandby() {
        return scenario("wal-pressure-standby", "WAL pressure on the standby",
                "its restartpoint invalidates the copy wal_removed while the primary's slot stays valid",
                List.of("§1 item 25", "§2 O24"),
                after(syncReadyCopy(), new Operation.WalPressure(STANDBY, 3)),
                run -> {
                    assertEquals("wal_removed", run.slot(STANDBY, SLOT).invalidationReason(), "the copy fell behind: " + run.slot(STANDBY, SLOT));
                    assertNull(run.slot(PRIMARY, SLOT).invalidationReason(), "the primary kept its WAL: " + run.slot(PRIMARY, SLOT));
                    run.assertExercised("conflicting-follows-invalidation-reason");
                });
    }

    /**
     * Crash of a standby: kill -9 of its postmaster, then a start. A persistent copy is restored from disk (at most
     * back to what its last restartpoint saved, never ahead of the primary), still synced, and the next sync brings it
     * to the primary's position again.
     */
    private static NamedScenario standbyKilled() {
        return scenario("standby-killed", "kill -9 of a standby",
                "started again, its persistent copy comes back from disk, still synced, and the next sync brings it to the primary's position",
                List.of("§1 item 4", "§1 item 5"),
                after(syncReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.CrashNode(STANDBY),
                        new Operation.StartNode(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    List<String> startLog = run.step(12).observation(STANDBY).orElseThrow().logLines();
                    assertTrue(startLog.stream().anyMatch(line -> line.contains("was interrupted while in recovery")),
                            "the standby started from a crash: " + startLog);
                    SlotRow restored = run.step(12).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(restored.isSynced() && !restored.temporary(), "the persistent copy came back from disk: " + restored);
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn(), "synced on");
                    run.assertExercised("synced-positions-never-retreat", "synced-copy-not-ahead-of-primary");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /** Pause of a standby (SIGSTOP of every process): it confirms nothing, so the barrier holds consumers until it resumes. */
    private static NamedScenario standbyPaused() {
        return scenario("standby-paused", "paused standby",
                "SIGSTOP of all its processes: the barrier holds failover consumers back until it resumes",
                List.of("§1 item 14"),
                barrierHoldsConsumersWhileTheStandby(new Operation.PauseNode(STANDBY), new Operation.ResumeNode(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    run.assertHeldByTheBarrier(5, "decoding waited for the standby");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "released when the standby ran again");
                    run.assertExercised("standby-barrier-holds-back-failover-consumers");
                });
    }

    /**
     * Configuration flip on the standby: wal_level lowered to replica (a restart) makes every sync fail with the
     * documented error; raised to logical again, the standby syncs.
     */
    private static NamedScenario standbyWalLevelLowered() {
        return new NamedScenario("standby-wal-level-lowered", "standby wal_level lowered",
                "17, 18: replica (a restart): every sync fails with replication slot synchronization requires \"wal_level\" >= \"logical\"; raised"
                        + " again, the standby syncs; lowered once it has a copy, it will not start (logical replication slot \"s1\" exists, but"
                        + " \"wal_level\" < \"logical\") until raised",
                List.of("§3", "§1 item 26"),
                new NamedScenario.Versions("PostgreSQL 17 and 18 (19 checks whether the primary has logical decoding on instead)",
                        profile -> !profile.syncNeedsLogicalDecodingOnThePrimary()),
                after(after(List.of(createFailoverSlot(),
                                new Operation.SetSetting(STANDBY, "wal_level", "replica"),
                                new Operation.SyncSlots(STANDBY),
                                new Operation.SetSetting(STANDBY, "wal_level", "logical")),
                        consumedThenSynced(2)),
                        new Operation.SetSetting(STANDBY, "wal_level", "replica"),
                        new Operation.SetSettingWhileStopped(STANDBY, "wal_level", "logical"),
                        new Operation.StartNode(STANDBY)),
                run -> {
                    run.assertRefused(3, Message.SYNC_NEEDS_WAL_LEVEL);
                    assertInstanceOf(Outcome.Ok.class, run.step(9).outcome(), "raised again, the standby syncs: " + run.step(9).outcome());
                    assertTrue(run.step(9).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow().isSynced(), "its copy is synced");
                    assertWillNotStart(run, 10, Message.LOGICAL_SLOT_NEEDS_WAL_LEVEL);
                    assertTrue(run.slot(STANDBY, SLOT).isFailoverReady(), "started again, the standby keeps its copy: " + run.slot(STANDBY, SLOT));
                });
    }

    /**
     * §1 item 26: a standby's copies are kept on disk, synced flag and all, across a restart; with hot_standby off it
     * refuses to start while it has them, and starts again, its copy still failover-ready, once it is on.
     */
    private static NamedScenario standbyThatWillNotStart() {
        int refused = syncReadyCopy().size() + 1;
        return scenario("standby-that-will-not-start", "a standby that will not start",
                "a standby with a failover-ready copy restarted with hot_standby off refuses to start (logical replication slot \"s1\" exists"
                        + " on the standby, but \"hot_standby\" = \"off\"); set on again while stopped, it starts with its copy still synced"
                        + " and persistent",
                List.of("§1 item 26"),
                after(syncReadyCopy(),
                        new Operation.SetSetting(STANDBY, "hot_standby", "off"),
                        new Operation.SetSettingWhileStopped(STANDBY, "hot_standby", "on"),
                        new Operation.StartNode(STANDBY)),
                run -> {
                    assertWillNotStart(run, refused, Message.LOGICAL_SLOT_NEEDS_HOT_STANDBY);
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "started: " + run.lastStep().outcome());
                    assertTrue(run.slot(STANDBY, SLOT).isFailoverReady(), "its copy is kept, synced and persistent: " + run.slot(STANDBY, SLOT));
                });
    }

    /** Step {@code index} restarted the standby, which refused to start with {@code fatal} about its copy. */
    private static void assertWillNotStart(ScenarioRun run, int index, Message fatal) {
        Outcome.Failed failed = failure(run.step(index));
        assertTrue(run.history().profile().text(fatal).foundIn(failed.message()) && failed.message().contains("\"" + SLOT + "\""),
                "step " + index + ": the standby refused to start with \"" + run.history().profile().text(fatal) + "\" for " + SLOT + ": "
                        + failed.message());
        assertTrue(run.step(index).observation(STANDBY).isEmpty(), "it is not running");
    }

    /**
     * 19 decides whether a standby may synchronize by whether its primary has logical decoding on (§3, §5.3): with the
     * primary's wal_level replica and no logical slot there, the standby's effective_wal_level shows replica and every
     * sync is refused, though the standby's own wal_level is logical; the primary's first logical slot turns logical
     * decoding on, and the standby syncs.
     */
    private static NamedScenario primaryWithoutLogicalDecoding() {
        return new NamedScenario("primary-without-logical-decoding", "primary without logical decoding",
                "19: the primary's wal_level replica and no logical slot: every sync fails with replication slot synchronization requires"
                        + " \"effective_wal_level\" >= \"logical\" on the primary, though the standby's own wal_level is logical; the primary's"
                        + " first logical slot turns decoding on, and the standby syncs",
                List.of("§3", "§5"),
                new NamedScenario.Versions("PostgreSQL 19 and later (17 and 18 need the primary's wal_level logical for any logical slot)",
                        VersionProfile::syncNeedsLogicalDecodingOnThePrimary),
                after(List.of(new Operation.SetSetting(PRIMARY, "wal_level", "replica"),
                                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                                new Operation.SyncSlots(STANDBY),
                                createFailoverSlot()),
                        consumedThenSynced(2)),
                run -> {
                    run.assertRefused(3, Message.SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY);
                    NodeSnapshot refused = run.step(3).observation(STANDBY).orElseThrow();
                    assertEquals("replica", refused.settings().get("effective_wal_level"), "the standby shows the primary's decoding off");
                    assertEquals("logical", refused.settings().get("wal_level"), "the standby's own wal_level is logical");
                    NodeSnapshot synced = run.lastStep().observation(STANDBY).orElseThrow();
                    assertEquals("logical", synced.settings().get("effective_wal_level"), "the primary's logical slot turned decoding on");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "decoding on, the standby syncs: " + run.lastStep().outcome());
                    assertTrue(run.slot(STANDBY, SLOT).isSynced(), run.slot(STANDBY, SLOT).toString());
                });
    }

    /**
     * Crash of one process: kill -9 of the slot sync worker makes the standby's postmaster end every process and run
     * crash recovery; the failover-ready copy, persistent, survives it and the worker keeps it ready afterwards.
     */
    private static NamedScenario syncWorkerKilled() {
        return scenario("sync-worker-killed", "kill -9 of the slot sync worker",
                "the standby's postmaster resets every process and runs crash recovery; the failover-ready copy survives and stays ready",
                List.of("§1 item 3", "§1 item 4"),
                after(workerReadyCopy(),
                        new Operation.SignalProcess(STANDBY, ServerProcess.SLOTSYNC_WORKER, true),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, WAIT_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "the worker was killed: " + run.step(7).outcome());
                    assertTrue(run.step(7).observation(STANDBY).orElseThrow().logLines().stream().anyMatch(l -> l.contains("terminated by signal 9")),
                            "the standby's postmaster saw its worker killed and reset: " + run.step(7).observation(STANDBY).orElseThrow().logLines());
                    assertTrue(run.step(7).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow().isFailoverReady(), "the copy survived");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and is failover-ready after the next changes");
                    run.assertExercised("synced-positions-never-retreat", "synced-confirmed-flush-within-standby-flush");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /** Crash of one process alone: SIGTERM of the walreceiver; the startup process starts another, replication goes on. */
    private static NamedScenario walreceiverTerminated() {
        return scenario("walreceiver-terminated", "SIGTERM of the walreceiver", "another walreceiver streams; the standby catches up",
                List.of(),
                List.of(new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.SignalProcess(STANDBY, ServerProcess.WALRECEIVER, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(2).outcome());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the standby caught up through a new walreceiver");
                    int before = run.step(1).observation(STANDBY).orElseThrow().walReceiver().orElseThrow().pid();
                    int after = run.lastStep().observation(STANDBY).orElseThrow().walReceiver().orElseThrow().pid();
                    assertNotEquals(before, after, "another walreceiver streams");
                });
    }

    /**
     * Pause of one process (field failure 9, a walsender stuck): with the standby's walsender stopped, the standby
     * confirms nothing, so the barrier holds failover consumers back until the walsender runs again.
     */
    private static NamedScenario walsenderPaused() {
        return scenario("walsender-paused", "paused walsender (field failure 9)",
                "with the standby's walsender stopped the barrier holds failover consumers back (decoding seen waiting for the standby,"
                        + " then cancelled) until it runs again",
                List.of("§1 item 14", "field failure 9"),
                barrierHoldsConsumersWhileTheStandby(new Operation.PauseProcess(PRIMARY, ServerProcess.WALSENDER),
                        new Operation.ResumeProcess(PRIMARY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(3).outcome(), "the walsender was paused: " + run.step(3).outcome());
                    run.assertHeldByTheBarrier(5, "decoding waited for the standby");
                    assertInstanceOf(Outcome.Ok.class, run.step(7).outcome(), "released when the walsender ran again");
                    run.assertExercised("standby-barrier-holds-back-failover-consumers");
                });
    }

    /**
     * A subscription made without failover is given it later (ALTER SUBSCRIPTION ... SET (failover = true), between a
     * disable and an enable): its slot on the publisher becomes a failover slot, and the worker gives the standby a
     * failover-ready copy of it.
     */
    private static NamedScenario failoverGivenToASubscriptionLater() {
        return scenario("failover-given-later", "failover given to a subscription later",
                "created without failover, then ALTER SUBSCRIPTION ... SET (failover = true) (disabled around it): the slot on the"
                        + " publisher becomes a failover slot and the standby gets a failover-ready copy",
                List.of("§2 O12"),
                List.of(new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, false, false),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.AlterSubscriptionFailover(SUBSCRIBER, SUBSCRIPTION, true),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)),
                run -> {
                    assertFalse(run.step(3).observation(PRIMARY).orElseThrow().slot(SUBSCRIPTION).orElseThrow().isFailover(),
                            "created without failover");
                    assertTrue(run.step(5).observation(PRIMARY).orElseThrow().slot(SUBSCRIPTION).orElseThrow().isFailover(),
                            "the ALTER reached the slot on the publisher");
                    assertInstanceOf(Outcome.Ok.class, run.step(8).outcome(), "the standby got a failover-ready copy: " + run.step(8).outcome());
                    assertEquals(List.of(1L, 2L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions());
                    run.assertExercised("subscription-failover-reaches-its-slot", "caught-up-subscriber-matches-its-publisher");
                });
    }

    /**
     * Business continuity through the stable endpoint (the seeds' VIP): the subscriber connects through it; at failover
     * the primary is killed, the standby promoted and the endpoint moved to it; the subscription reconnects by itself
     * and, caught up, has every transaction of both primaries exactly once.
     */
    private static NamedScenario subscriptionThroughTheEndpoint() {
        return scenario("subscription-through-endpoint", "subscription through the endpoint",
                "the subscriber connects through the stable endpoint (the seeds' VIP); the primary is killed, the standby promoted and the"
                        + " endpoint moved: the subscription reconnects by itself and, caught up, has every transaction of both primaries once",
                List.of("§1 item 18"),
                List.of(new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, true),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                        new Operation.CrashNode(PRIMARY),
                        new Operation.Promote(STANDBY),
                        new Operation.MoveEndpoint(STANDBY),
                        new Operation.WriteTransactions(STANDBY, 2, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)),
                run -> {
                    int primaryPort = Integer.parseInt(run.step(7).observation(PRIMARY).orElseThrow().settings().get("port"));
                    int standbyPort = Integer.parseInt(run.lastStep().observation(STANDBY).orElseThrow().settings().get("port"));
                    assertEquals(primaryPort, run.step(7).observation(SUBSCRIBER).orElseThrow().subscriptions().get(0).publisherPort(),
                            "through the endpoint, the subscription reached the primary");
                    assertInstanceOf(Outcome.Ok.class, run.step(9).outcome(), "the subscription's slot was failover-ready before the failover");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "the subscriber caught up with the promoted standby");
                    assertEquals(standbyPort, run.lastStep().observation(SUBSCRIBER).orElseThrow().subscriptions().get(0).publisherPort(),
                            "the endpoint led it to the promoted standby, without ALTER SUBSCRIPTION");
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions());
                    run.assertExercised("each-transaction-applied-once", "caught-up-subscriber-matches-its-publisher");
                });
    }

    /**
     * Hazard (field failure 8): the standby is promoted while the subscription's copy is still temporary — created after
     * the subscriber had paused, so the remote slot's catalog_xmin is older than what the standby can keep. Promotion
     * drops the copy; pointed at the new primary, the subscription cannot continue, and the wait for it says so at once.
     */
    private static NamedScenario hazardCopyStillTemporaryAtPromotion() {
        return scenario("hazard-temporary-copy-at-promotion", "hazard: copy still temporary at promotion",
                "the subscriber paused, so the copy made afterwards stays temporary; promotion drops it, and the subscription pointed at"
                        + " the new primary cannot continue: await_subscriber_catch_up fails at once saying its slot is not there (known"
                        + " behaviour \"promoted without a failover-ready copy\")",
                List.of("§1 item 7", "field failure 8"),
                List.of(new Operation.AddSubscriber(SUBSCRIBER),
                        new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                        new Operation.PauseNode(SUBSCRIBER),
                        new Operation.WriteTransactions(PRIMARY, 3, true),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, 3),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.Promote(STANDBY),
                        new Operation.ResumeNode(SUBSCRIBER),
                        new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, STANDBY),
                        new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS)),
                run -> {
                    SlotRow temporary = run.step(8).observation(STANDBY).orElseThrow().slot(SUBSCRIPTION).orElseThrow();
                    assertTrue(temporary.isSynced() && temporary.temporary(), "the copy was still temporary before the failover: " + temporary);
                    assertInstanceOf(Outcome.Unknown.class, run.step(8).outcome(), "so it was not failover-ready within the bound");
                    assertTrue(run.step(10).observation(STANDBY).orElseThrow().slot(SUBSCRIPTION).isEmpty(), "promotion dropped it");
                    Outcome.Failed cannotContinue = failure(run.lastStep());
                    assertTrue(cannotContinue.message().contains("cannot continue on standby1: its slot sub1 is not there"), cannotContinue.message());
                    assertTrue(run.lastStep().waits().isEmpty(), "said at once, not after a timeout");
                    assertEquals(List.of(new KnownBehaviour.Sighting(10, KnownBehaviour.PROMOTED_BEFORE_SYNC_READY)),
                            KnownBehaviour.sightings(run.history()));
                });
    }

    /** With the barrier, the subscriber gets nothing the standby lacks, and after the failover it matches the new primary. */
    private static NamedScenario cutOffFailoverWithTheBarrier() {
        return scenario("cut-off-failover-with-barrier", "failover while the standby is cut off, with the barrier",
                "synchronized_standby_slots holds the subscriber to what the standby has: after the failover it matches the new primary"
                        + " (what only the old primary had is lost on both)",
                List.of("§1 item 14", "§1 item 18"),
                failoverWhileTheStandbyIsCutOff(STANDBY),
                run -> {
                    assertInstanceOf(Outcome.Unknown.class, run.step(12).outcome(), "the barrier held the subscriber back: " + run.step(12).outcome());
                    assertEquals(List.of(1L, 2L), run.step(12).observation(SUBSCRIBER).orElseThrow().transactions());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(List.of(1L, 2L, 5L, 6L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions(),
                            "what the primary wrote while its standby was cut off is lost with it, on both");
                    run.assertExercised("caught-up-subscriber-matches-its-publisher");
                });
    }

    /**
     * Hazard: without the barrier the subscriber receives what the cut-off standby never had; after the failover it has
     * transactions the new primary lacks (the known behaviour, not a violation).
     */
    private static NamedScenario hazardCutOffFailoverWithoutTheBarrier() {
        return scenario("hazard-cut-off-failover-without-barrier", "hazard: failover while the standby is cut off, without the barrier",
                "the subscriber receives transactions the standby never had; after the failover it has rows the new primary lacks (known"
                        + " behaviour \"subscriber ahead of the new primary\")",
                List.of("§1 item 14", "field failure 3"),
                failoverWhileTheStandbyIsCutOff(""),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(12).outcome(), "nothing held the subscriber back: " + run.step(12).outcome());
                    assertEquals(List.of(1L, 2L, 3L, 4L), run.step(12).observation(SUBSCRIBER).orElseThrow().transactions());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(List.of(1L, 2L, 5L, 6L), run.lastStep().observation(STANDBY).orElseThrow().transactions(), "the new primary lacks 3 and 4");
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions(),
                            "the subscriber kept them, and received the new primary's");
                    assertEquals(List.of(new KnownBehaviour.Sighting(17, KnownBehaviour.SUBSCRIBER_AHEAD_OF_NEW_PRIMARY)),
                            KnownBehaviour.sightings(run.history()));
                });
    }

    /** With the barrier, the returned old primary cannot send the subscriber anything its former standby lacks. */
    private static NamedScenario returningOldPrimaryWithTheBarrier() {
        return scenario("returning-primary-with-barrier", "returning old primary, with the barrier",
                "the subscription is not disabled during the promotion and the old primary comes back and takes writes: the barrier keeps"
                        + " them from the subscriber, which, switched to the new primary, matches it",
                List.of("§1 item 14", "§1 item 18"),
                oldPrimaryComesBackWhileTheSubscriptionFollowsIt(STANDBY),
                run -> {
                    assertInstanceOf(Outcome.Unknown.class, run.step(14).outcome(), "the barrier held its writes back: " + run.step(14).outcome());
                    assertEquals(List.of(1L, 2L), run.step(14).observation(SUBSCRIBER).orElseThrow().transactions());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(List.of(1L, 2L, 5L, 6L), run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions(),
                            "switched, it has exactly the new primary's transactions");
                    assertEquals(List.of(), KnownBehaviour.sightings(run.history()));
                    run.assertExercised("caught-up-subscriber-matches-its-publisher");
                });
    }

    /** Hazard: without the barrier the returned old primary feeds the subscriber writes the new primary never has. */
    private static NamedScenario hazardReturningOldPrimaryWithoutTheBarrier() {
        return scenario("hazard-returning-primary-without-barrier", "hazard: returning old primary, without the barrier",
                "the old primary feeds the subscriber writes the new primary never has; switched, the subscriber's origin is past some of"
                        + " the new primary's commits, which it skips (same known behaviour: rows both ways)",
                List.of("§1 item 14", "field failure 3"),
                oldPrimaryComesBackWhileTheSubscriptionFollowsIt(""),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.step(14).outcome(), "nothing held them back: " + run.step(14).outcome());
                    assertEquals(List.of(1L, 2L, 3L, 4L), run.step(14).observation(SUBSCRIBER).orElseThrow().transactions());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    List<Long> applied = run.lastStep().observation(SUBSCRIBER).orElseThrow().transactions();
                    assertEquals(List.of(1L, 2L, 5L, 6L), run.lastStep().observation(STANDBY).orElseThrow().transactions());
                    assertTrue(applied.containsAll(List.of(3L, 4L)), "the subscriber kept what the new primary never had: " + applied);
                    // which of 5 and 6 it skips depends on where the new primary's commits fall against its origin's position
                    assertEquals(List.of(new KnownBehaviour.Sighting(17, KnownBehaviour.SUBSCRIBER_AHEAD_OF_NEW_PRIMARY)),
                            KnownBehaviour.sightings(run.history()));
                });
    }

    /**
     * Field failure 1: after a switchover the demoted primary rejoins as a standby with its own failover slots, not
     * synced; the first of them with a name the new primary sends ends every synchronization.
     */
    private static NamedScenario leftoverFailoverSlots() {
        int blocked = syncReadyCopy().size() + 6;
        return scenario("leftover-failover-slots", "field failure: leftover failover slots",
                "a demoted primary rejoining as standby keeps its own failover slot; sync fails with exiting from slot synchronization"
                        + " because same name slot \"s1\" already exists on the standby until it is dropped; its failover cannot be turned"
                        + " on there; the sync worker ends on the same error and starts again no sooner than 10 s later",
                List.of("§1 item 11", "§1 item 9", "field failure 1"),
                after(syncReadyCopy(),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.Promote(STANDBY),
                        new Operation.CreatePhysicalSlot(STANDBY, PRIMARY),
                        new Operation.Rejoin(PRIMARY, STANDBY, PRIMARY),
                        new Operation.AwaitReplayCatchUp(PRIMARY, WAIT_SECONDS),
                        new Operation.SyncSlots(PRIMARY),
                        new Operation.AlterSlotFailover(PRIMARY, SLOT, true),
                        new Operation.SetSetting(PRIMARY, "sync_replication_slots", "on"),
                        new Operation.AwaitFailoverReady(PRIMARY, SLOT, WORKER_RESTARTED_SECONDS),
                        new Operation.SetSetting(PRIMARY, "sync_replication_slots", "off"),
                        new Operation.DropSlot(PRIMARY, SLOT),
                        new Operation.LogStandbySnapshot(STANDBY),
                        consume(STANDBY),
                        new Operation.AwaitReplayCatchUp(PRIMARY, WAIT_SECONDS),
                        new Operation.SyncSlots(PRIMARY)),
                run -> {
                    run.assertRefused(blocked, Message.SYNC_SAME_NAME_EXISTS);
                    run.assertRefused(blocked + 1, Message.FAILOVER_ALTERED_ON_STANDBY);
                    SlotRow leftover = run.step(blocked + 3).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(leftover.isFailover() && !leftover.isSynced(), "the demoted primary's own slot stayed, the worker on: " + leftover);
                    assertTrue(run.logged(PRIMARY, Message.SYNC_SAME_NAME_EXISTS, "slotsync worker: ERROR:"), "the worker logged the same error");
                    run.assertReached("sync-worker-started-again");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome());
                    assertTrue(run.slot(PRIMARY, SLOT).isSynced(), "once dropped, the slot is synced from the new primary: " + run.slot(PRIMARY, SLOT));
                    run.assertExercised("documented-outcome", "synced-confirmed-flush-within-standby-flush", "sync-worker-waits-before-it-restarts");
                }).needing(NamedScenario.Need.REJOIN_KEEPING_DATA);
    }

    /** Long enough for a sync worker that ends on an error to be started a second time (10 s after the first). */
    private static final int WORKER_RESTARTED_SECONDS = 13;

    /** Field failure 2: an HA tool writes primary_conninfo without dbname, and the sync worker never syncs. */
    private static NamedScenario missingDbname() {
        return scenario("missing-dbname", "field failure: missing dbname",
                "with primary_conninfo written without dbname the worker syncs nothing (its error is in the standby's log); with dbname"
                        + " back it does",
                List.of("§3", "field failure 2"),
                List.of(createFailoverSlot(),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.RewritePrimaryConninfo(STANDBY, false),
                        new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, 3),
                        new Operation.RewritePrimaryConninfo(STANDBY, true),
                        new Operation.AwaitFailoverReady(STANDBY, SLOT, WAIT_SECONDS)),
                run -> {
                    assertInstanceOf(Outcome.Unknown.class, run.step(7).outcome(), "no copy while dbname is missing");
                    assertTrue(run.step(7).observation(STANDBY).orElseThrow().slot(SLOT).filter(SlotRow::isFailoverReady).isEmpty(),
                            "no failover-ready copy after the wait");
                    assertTrue(run.logged(STANDBY, Message.SYNC_NEEDS_DBNAME), "the standby's log says why");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "with dbname back, the worker syncs");
                }).needing(NamedScenario.Need.SERVER_LOGS);
    }

    /**
     * Field failure 3: synchronized_standby_slots copied to the standby names a slot the promoted standby does not
     * have; decoding on the new primary stalls until the setting is fixed.
     */
    private static NamedScenario staleSynchronizedStandbySlots() {
        int stalled = syncReadyCopy().size() + 5;
        return new NamedScenario("stale-standby-slots-list", "field failure: stale synchronized_standby_slots",
                "a list copied to the standby names a slot the new primary lacks: decoding stalls after promotion until the list is fixed",
                List.of("§1 item 14", "field failure 3"),
                // found on a 17.6 source build: there the list never takes effect, so decoding does not stall
                ACCEPTING_UNKNOWN_STANDBY_SLOTS,
                after(syncReadyCopy(),
                        new Operation.SetSetting(STANDBY, "synchronized_standby_slots", STANDBY),
                        new Operation.StopNode(PRIMARY, false),
                        new Operation.Promote(STANDBY),
                        new Operation.WriteTransactions(STANDBY, 2, false),
                        consume(STANDBY),
                        new Operation.SetSetting(STANDBY, "synchronized_standby_slots", ""),
                        consume(STANDBY)),
                run -> {
                    run.assertHeldByTheBarrier(stalled, "decoding waited for a slot that is not there");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "with the list fixed, decoding goes on");
                    run.assertExercised("documented-outcome", "standby-barrier-holds-back-failover-consumers");
                });
    }

    /**
     * A manual sync while the standby is behind its slot (§1 item 3): the primary's slot is consumed past what the
     * standby has flushed (its walreceiver paused); 17 and 18 refuse the whole call, 19 logs why and skips the copy,
     * sync-ready already, leaving it where it was; once the standby has caught up it syncs.
     */
    private static NamedScenario syncWhileTheStandbyIsBehind() {
        int refused = syncReadyCopy().size() + 4;
        return scenario("sync-while-standby-behind", "sync while the standby is behind",
                "the primary's slot consumed past what the standby flushed (walreceiver paused): pg_sync_replication_slots() is refused"
                        + " with skipping slot synchronization because the received slot sync LSN ... is ahead of the standby position"
                        + " (from 19 it logs that, and the copy shows wal_not_flushed) and the copy stays behind; caught up, the standby syncs",
                List.of("§1 item 3", "§5.3"),
                after(syncReadyCopy(),
                        new Operation.PauseProcess(STANDBY, ServerProcess.WALRECEIVER),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.ResumeProcess(STANDBY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    if (run.history().profile().refusesManualSyncAheadOfStandby()) {
                        run.assertRefused(refused, Message.SYNC_LSN_AHEAD);
                    } else {
                        assertInstanceOf(Outcome.Ok.class, run.step(refused).outcome(), "19 skips the copy, sync-ready already, and returns");
                        assertTrue(run.logged(STANDBY, Message.SYNC_LSN_AHEAD), "logging why");
                        assertEquals("wal_not_flushed", run.step(refused).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow().slotsyncSkipReason());
                    }
                    assertEquals(run.step(refused - 1).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow().confirmedFlushLsn(),
                            run.step(refused).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow().confirmedFlushLsn(),
                            "the call left the copy where it was");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "caught up, the standby syncs");
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn(), "to the primary's position");
                    run.assertExercised(run.history().profile().refusesManualSyncAheadOfStandby() ? "documented-outcome" : "skip-reason-says-why-a-copy-waits",
                            "synced-confirmed-flush-within-standby-flush");
                });
    }

    /**
     * A synced copy is read-only on its standby (§1 item 8): dropping, decoding and advancing it are refused with the
     * documented errors, and the next sync still finds it.
     */
    private static NamedScenario syncedCopyIsReadOnly() {
        int dropped = syncReadyCopy().size() + 1;
        return scenario("synced-copy-read-only", "a synced copy is read-only on the standby",
                "dropping, decoding and advancing the copy on the standby are refused (cannot drop replication slot, cannot use"
                        + " replication slot ... for logical decoding: it is being synchronized from the primary server); it stays"
                        + " failover-ready",
                List.of("§1 item 8"),
                after(syncReadyCopy(),
                        new Operation.DropSlot(STANDBY, SLOT),
                        consume(STANDBY),
                        new Operation.AdvanceSlot(STANDBY, SLOT, null),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    run.assertRefused(dropped, Message.SYNCED_SLOT_DROP);
                    run.assertRefused(dropped + 1, Message.SYNCED_SLOT_DECODING);
                    run.assertRefused(dropped + 2, Message.SYNCED_SLOT_DECODING);
                    assertTrue(run.slot(STANDBY, SLOT).isFailoverReady(), "the copy is still there, failover-ready: " + run.slot(STANDBY, SLOT));
                    assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn(), "and synced on");
                    run.assertExercised("documented-outcome");
                });
    }

    /** Only failover slots are copied (§1 item 2): a logical slot with failover = false next to one with it has no copy. */
    private static NamedScenario nonFailoverSlotNotCopied() {
        return scenario("non-failover-slot-not-copied", "a slot without failover is not copied",
                "of two logical slots consumed alike, the sync copies the one with failover = true and not the other",
                List.of("§1 item 2"),
                List.of(createFailoverSlot(),
                        new Operation.CreateLogicalSlot(PRIMARY, OTHER_SLOT, "test_decoding", false, false, false),
                        new Operation.WriteTransactions(PRIMARY, 3, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        consume(PRIMARY),
                        new Operation.ConsumeChanges(PRIMARY, OTHER_SLOT, null, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    NodeSnapshot standby = run.lastStep().observation(STANDBY).orElseThrow();
                    assertTrue(standby.slot(SLOT).filter(SlotRow::isSynced).isPresent(), "the failover slot is copied: " + standby.slots());
                    assertTrue(standby.slot(OTHER_SLOT).isEmpty(), "the other is not: " + standby.slots());
                    run.assertExercised("synced-copies-only-of-persistent-failover-slots", "synced-slots-are-failover-logical-slots");
                });
    }

    /**
     * Obsolete copies go (§1 item 12): a slot dropped on the primary, and one whose failover was turned off, lose their
     * copies at the next sync.
     */
    private static NamedScenario obsoleteCopiesDropped() {
        int bothCopied = syncReadyCopy().size() + 6;
        return scenario("obsolete-copies-dropped", "obsolete copies dropped",
                "a slot dropped on the primary and one altered to failover = false: the next sync drops both copies",
                List.of("§1 item 12"),
                after(syncReadyCopy(),
                        new Operation.CreateLogicalSlot(PRIMARY, OTHER_SLOT, "test_decoding", false, false, true),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        new Operation.LogStandbySnapshot(PRIMARY),
                        new Operation.ConsumeChanges(PRIMARY, OTHER_SLOT, null, false),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.DropSlot(PRIMARY, SLOT),
                        new Operation.AlterSlotFailover(PRIMARY, OTHER_SLOT, false),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    NodeSnapshot copied = run.step(bothCopied).observation(STANDBY).orElseThrow();
                    assertTrue(copied.slot(SLOT).filter(SlotRow::isFailoverReady).isPresent()
                            && copied.slot(OTHER_SLOT).filter(SlotRow::isFailoverReady).isPresent(), "both were copied: " + copied.slots());
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), run.lastStep().outcome().toString());
                    assertEquals(List.of(), run.lastStep().observation(STANDBY).orElseThrow().slots().stream().filter(SlotRow::isLogical).toList(),
                            "both copies were dropped");
                    run.assertExercised("synced-copies-only-of-persistent-failover-slots");
                });
    }

    /**
     * Hazard: the primary's slot, consumed since its last checkpoint, comes back behind its copy when the primary
     * crashes; the copy does not go back with it (§1 item 4), so every sync fails at it until the slot passes it again.
     */
    private static NamedScenario hazardSlotBehindItsCopyAfterACrash() {
        int moved = syncReadyCopy().size() + 4;
        int refused = moved + 3;
        return scenario("hazard-slot-behind-its-copy-after-crash", "hazard: the primary's slot behind its copy after a crash",
                "consumed since the last checkpoint, the slot restarts behind its copy: the copy stays, the sync fails with cannot"
                        + " synchronize local slot (known behaviour \"copy ahead of the recovered slot\") until the slot is consumed past it",
                List.of("§1 item 4", "§1 item 11"),
                after(syncReadyCopy(),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.CrashNode(PRIMARY),
                        new Operation.StartNode(PRIMARY),
                        new Operation.SyncSlots(STANDBY),
                        new Operation.WriteTransactions(PRIMARY, 2, false),
                        consume(PRIMARY),
                        new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                        new Operation.SyncSlots(STANDBY)),
                run -> {
                    SlotRow copy = run.step(moved).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow();
                    SlotRow recovered = run.step(refused - 1).observation(PRIMARY).orElseThrow().slot(SLOT).orElseThrow();
                    assertTrue(recovered.confirmedFlushLsn().isBefore(copy.confirmedFlushLsn()),
                            "the crash sent the slot back behind its copy: " + recovered + " / " + copy);
                    run.assertRefused(refused, Message.SYNC_LOCAL_SLOT_AHEAD);
                    assertEquals(copy.confirmedFlushLsn(), run.step(refused).observation(STANDBY).orElseThrow().slot(SLOT).orElseThrow()
                            .confirmedFlushLsn(), "the copy did not go back");
                    assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "consumed past the copy, the slot syncs again");
                    assertEquals(List.of(new KnownBehaviour.Sighting(refused, KnownBehaviour.COPY_AHEAD_OF_RECOVERED_SLOT_STOPS_SYNC)),
                            KnownBehaviour.sightings(run.history()));
                    run.assertExercised("synced-positions-never-retreat");
                });
    }

    // ---------------------------------------------------------------- building blocks

    /** {@code opening}, then {@code rest}. */
    private static List<Operation> after(List<Operation> opening, Operation... rest) {
        List<Operation> operations = new ArrayList<>(opening);
        operations.addAll(List.of(rest));
        return operations;
    }

    /**
     * A failover slot on the primary and a failover-ready copy of it on the standby by manual sync: the copy becomes
     * persistent once the primary's slot has been consumed past a running-transactions record the standby has replayed.
     */
    private static List<Operation> syncReadyCopy() {
        return after(List.of(createFailoverSlot()), consumedThenSynced(3));
    }

    /**
     * {@code writes} transactions, a standby snapshot, the slot consumed past it, the standby caught up and synced: what
     * makes an existing failover slot's copy sync-ready.
     */
    private static Operation[] consumedThenSynced(int writes) {
        return new Operation[] {new Operation.WriteTransactions(PRIMARY, writes, false), new Operation.LogStandbySnapshot(PRIMARY),
                consume(PRIMARY), new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS), new Operation.SyncSlots(STANDBY)};
    }

    /** A failover slot consumed past a standby snapshot, and the sync worker turned on until its copy is failover-ready. */
    private static List<Operation> workerReadyCopy() {
        return List.of(
                createFailoverSlot(),
                new Operation.WriteTransactions(PRIMARY, 3, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                consume(PRIMARY),
                new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                new Operation.AwaitFailoverReady(STANDBY, SLOT, WAIT_SECONDS));
    }

    /**
     * A failover slot behind the barrier (synchronized_standby_slots naming the standby), consumed while {@code hold}
     * keeps the standby from confirming, and again after {@code release} let it.
     */
    private static List<Operation> barrierHoldsConsumersWhileTheStandby(Operation hold, Operation... release) {
        List<Operation> operations = after(List.of(
                createFailoverSlot(),
                new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                hold,
                new Operation.WriteTransactions(PRIMARY, 2, false),
                consume(PRIMARY)), release);
        operations.add(consume(PRIMARY));
        return operations;
    }

    /**
     * A failover while the standby is cut off: the subscriber follows the endpoint to the promoted standby, which never
     * received the primary's last transactions ({@code barrier} names the standby's slot in synchronized_standby_slots,
     * or nothing).
     */
    private static List<Operation> failoverWhileTheStandbyIsCutOff(String barrier) {
        return List.of(
                new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", barrier),
                new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                new Operation.AddSubscriber(SUBSCRIBER),
                new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, true),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                // refused, not blackholed: what the primary sent after the cut must never reach the standby
                new Operation.PartitionLink(STANDBY, false),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, 5),
                new Operation.CrashNode(PRIMARY),
                new Operation.Promote(STANDBY),
                new Operation.MoveEndpoint(STANDBY),
                new Operation.WriteTransactions(STANDBY, 2, false),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS));
    }

    /**
     * Hazard: the subscription is not disabled during the promotion, and the old primary comes back (as a primary, a
     * split brain) and takes writes; the subscription, still pointed at it, is switched to the new primary only later.
     * {@code barrier} names the standby's slot in the old primary's synchronized_standby_slots, or nothing.
     */
    private static List<Operation> oldPrimaryComesBackWhileTheSubscriptionFollowsIt(String barrier) {
        return List.of(
                new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", barrier),
                new Operation.SetSetting(STANDBY, "sync_replication_slots", "on"),
                new Operation.AddSubscriber(SUBSCRIBER),
                new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, PRIMARY, true, false),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.LogStandbySnapshot(PRIMARY),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                new Operation.AwaitFailoverReady(STANDBY, SUBSCRIPTION, WAIT_SECONDS),
                new Operation.StopNode(PRIMARY, false),
                new Operation.Promote(STANDBY),
                new Operation.StartNode(PRIMARY),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, 5),
                new Operation.WriteTransactions(STANDBY, 2, false),
                new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, STANDBY),
                new Operation.AwaitSubscriberCatchUp(SUBSCRIBER, WAIT_SECONDS));
    }

    private static Operation createFailoverSlot() {
        return new Operation.CreateLogicalSlot(PRIMARY, SLOT, "test_decoding", false, false, true);
    }

    private static Operation consume(String node) {
        return new Operation.ConsumeChanges(node, SLOT, null, false);
    }
}
