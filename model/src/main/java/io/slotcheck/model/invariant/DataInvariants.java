package io.slotcheck.model.invariant;

import java.util.List;
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
