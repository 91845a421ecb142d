package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.operation.Operation;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subscriber that has caught up with its publisher, both observed at the same step, with what the rows say: the
 * workload's transactions the subscriber lacks and those it has that the publisher does not.
 */
public record SubscriberData(NodeSnapshot subscriber, SubscriptionRow subscription, NodeSnapshot publisher, Set<Long> missing,
                             Set<Long> extra) {

    /**
     * The comparison a successful {@link Operation.AwaitSubscriberCatchUp} allows, when it had one enabled subscription whose
     * tables had all finished their initial copy (a crash of the subscriber during the copy can leave one unfinished).
     */
    public static Optional<SubscriberData> caughtUpAt(Step step) {
        if (!(step.operation() instanceof Operation.AwaitSubscriberCatchUp await) || !(step.outcome() instanceof Outcome.Ok)) {
            return Optional.empty();
        }
        Optional<NodeSnapshot> subscriber = step.observation(await.node());
        List<SubscriptionRow> enabled = subscriber.map(s -> s.subscriptions().stream().filter(SubscriptionRow::enabled).toList())
                .orElse(List.of());
        if (enabled.size() != 1 || !enabled.get(0).allTablesReady()) {
            return Optional.empty();
        }
        SubscriptionRow subscription = enabled.get(0);
        return step.publisherOf(subscription)
                .map(publisher -> new SubscriberData(subscriber.get(), subscription, publisher,
                        difference(publisher.transactions(), subscriber.get().transactions()),
                        difference(subscriber.get().transactions(), publisher.transactions())));
    }

    /** The ids a node has more than once. */
    public static Set<Long> repeated(List<Long> transactions) {
        Set<Long> seen = new HashSet<>();
        Set<Long> repeated = new TreeSet<>();
        transactions.forEach(id -> {
            if (!seen.add(id)) {
                repeated.add(id);
            }
        });
        return repeated;
    }

    private static Set<Long> difference(List<Long> these, List<Long> others) {
        Set<Long> difference = new TreeSet<>(these);
        difference.removeAll(new HashSet<>(others));
        return difference;
    }
}
