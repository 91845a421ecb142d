package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.operation.Operation;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the rows show, beyond slot positions: the workload's transactions on a subscriber against those on its
 * publisher (Jepsen's set checker, with each transaction's id in {@code slotcheck_txn}).
 */
final class DataInvariants {

    private DataInvariants() {
    }

    static Invariant eachTransactionAppliedOnce() {
        return new Invariant("each-transaction-applied-once", Consequence.DUPLICATED_CHANGES,
                "A subscriber applies each transaction of its publishers at most once, across reconnects, restarts and failovers:"
                        + " its replication origin tells the publisher where to resume, and a slot (a synced copy too) never sends"
                        + " a transaction that committed before that point.",
                "§1 item 18; replication/logical/origin.c (origin progress committed with each applied transaction);"
                        + " snapbuild.c SnapBuildXactNeedsSkip(); logical-replication-failover documentation",
                profile -> true,
                List.of(Situations.subscriberAppliesAfterAFailover()),
                step -> {
                    Findings findings = new Findings();
                    step.observations().stream().filter(node -> !node.subscriptions().isEmpty() && !node.transactions().isEmpty())
                            .forEach(subscriber -> {
                                Set<Long> repeated = SubscriberData.repeated(subscriber.transactions());
                                findings.require(repeated.isEmpty(),
                                        () -> subscriber.node() + " applied transactions " + repeated + " more than once",
                                        () -> List.of(subscriber.node() + ": slotcheck_txn holds " + subscriber.transactions().size() + " rows for "
                                                + Set.copyOf(subscriber.transactions()).size() + " transactions; repeated: " + repeated,
                                                subscriber.node() + " subscriptions: " + subscriber.subscriptions()));
                            });
                    return findings.verdict();
                });
    }

    static Invariant preparedTransactionSurvivesPromotion() {
        return new Invariant("prepared-transaction-survives-promotion", Consequence.LOST_CHANGES,
                "A transaction prepared on the primary, whose PREPARE its standby has replayed, is prepared on that standby once it"
                        + " is promoted (a standby in recovery does not list it in pg_prepared_xacts), to be committed there: its COMMIT"
                        + " PREPARED then reaches a two-phase subscriber through the synced copy of the subscription's slot.",
                "§1 item 22; twophase.c RecoverPreparedTransactions() (at the end of recovery); 040_standby_failover_slots_sync.pl"
                        + " (18: prepared data replicated from the new primary)",
                profile -> true,
                List.of(Situations.promotionWithAPreparedTransaction()),
                step -> {
                    Findings findings = new Findings();
                    if (step.step().outcome() instanceof Outcome.Ok) {
                        preparedAndReplayed(step).ifPresent(prepared -> step.now(step.operation().node())
                                .filter(promoted -> !promoted.inRecovery()).ifPresent(promoted -> {
                                    List<String> lost = prepared.stream().filter(gid -> !promoted.preparedTransactions().contains(gid)).toList();
                                    findings.require(lost.isEmpty(),
                                            () -> promoted.node() + " was promoted without the prepared transactions " + lost + " it had replayed",
                                            () -> List.of("its primary, last seen: pg_prepared_xacts " + prepared,
                                                    promoted.node() + " after: pg_prepared_xacts " + promoted.preparedTransactions()));
                                }));
                    }
                    return findings.verdict();
                });
    }

    /**
     * For a promotion: the prepared transactions of the standby's primary as last seen, when the standby had replayed all
     * that primary had flushed then (no later COMMIT PREPARED: it would have been seen).
     */
    static Optional<List<String>> preparedAndReplayed(StepContext step) {
        if (!(step.operation() instanceof Operation.Promote promote)) {
            return Optional.empty();
        }
        return Situations.standbyAndPrimaryBefore(step, promote.node())
                .filter(pair -> !pair.primary().preparedTransactions().isEmpty() && pair.primary().flushLsn() != null
                        && pair.standby().replayLsn() != null && !pair.standby().replayLsn().isBefore(pair.primary().flushLsn()))
                .map(pair -> pair.primary().preparedTransactions());
    }

    static Invariant caughtUpSubscriberMatchesItsPublisher() {
        return new Invariant("caught-up-subscriber-matches-its-publisher", Consequence.LOST_CHANGES,
                "Once a subscriber has applied all its publisher wrote, it has every transaction the publisher has (no gap, also"
                        + " after the publisher replaced a failed primary) and none the publisher lacks, unless a primary left behind"
                        + " fed it without synchronized_standby_slots holding those transactions for the publisher: then it is ahead,"
                        + " and skips what the publisher committed below its replication origin's position.",
                "§1 items 14 and 18; logical-replication-failover documentation (a subscriber ahead of the promoted standby);"
                        + " slot.c StandbySlotsHaveCaughtup()",
                profile -> true,
                List.of(Situations.subscriberCaughtUpAfterAFailover()),
                step -> {
                    Findings findings = new Findings();
                    SubscriberData.caughtUpAt(step.step()).ifPresent(data -> {
                        String subscriber = data.subscriber().node();
                        String publisher = data.publisher().node();
                        List<String> evidence = List.of(
                                publisher + " (publisher): " + data.publisher().transactions().size() + " transactions, up to "
                                        + data.publisher().transactions().stream().max(Long::compare).orElse(0L),
                                subscriber + ": " + data.subscriber().transactions().size() + " transactions; subscription "
                                        + data.subscription());
                        // a subscriber a left-behind primary fed without the barrier is ahead of the publisher: its origin
                        // is past what the publisher wrote since, which it skips (the known behaviour, both ways)
                        boolean aheadWithoutBarrier = !data.extra().isEmpty() && !barrierHeldBehindEveryOtherPublisher(step, data);
                        if (aheadWithoutBarrier) {
                            return;
                        }
                        findings.require(data.missing().isEmpty(),
                                () -> subscriber + " caught up with " + publisher + " but lacks its transactions " + data.missing()
                                        + ": changes lost on the way", () -> evidence);
                        findings.require(data.extra().isEmpty(), () -> subscriber + " has transactions " + data.extra() + " that " + publisher
                                + " lacks, although every other primary of its slot held them back for " + publisher, () -> evidence);
                    });
                    return findings.verdict();
                });
    }

    /**
     * Whether every primary other than the publisher that held the subscription's slot, at every observation so far,
     * named the publisher's physical slot in synchronized_standby_slots: then nothing could reach the subscriber that the
     * publisher, while it was their standby, had not flushed.
     */
    private static boolean barrierHeldBehindEveryOtherPublisher(StepContext step, SubscriberData data) {
        String publisherSlot = data.publisher().settings().getOrDefault("primary_slot_name", "");
        return step.steps().subList(0, step.position() + 1).stream()
                .flatMap(earlier -> earlier.observations().values().stream())
                .filter(node -> !node.node().equals(data.publisher().node()) && !node.inRecovery())
                .filter(node -> node.slot(data.subscription().slotName()).isPresent())
                .allMatch(node -> !publisherSlot.isEmpty() && node.synchronizedStandbySlots().contains(publisherSlot));
    }
}
