package io.slotcheck.model.history;

import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.operation.Operation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a history: the operation, how it ended, and what every reachable node looked like afterwards; with the
 * time the operation took ({@code actionMillis}, including its {@code waits}) and the time observing took.
 */
public record Step(int index, Operation operation, Outcome outcome, Map<String, NodeSnapshot> observations, List<BoundedWait> waits,
                   long actionMillis, long observationMillis) {

    public Step {
        observations = Map.copyOf(observations);
        waits = List.copyOf(waits);
    }

    /** A step whose timing was not measured (written by hand, or by a tool that does not time). */
    public Step(int index, Operation operation, Outcome outcome, Map<String, NodeSnapshot> observations) {
        this(index, operation, outcome, observations, List.of(), 0, 0);
    }

    public Optional<NodeSnapshot> observation(String node) {
        return Optional.ofNullable(observations.get(node));
    }

    /** The primary observed at this step that {@code subscription} connects to (by the port, and host, of its connection). */
    public Optional<NodeSnapshot> publisherOf(SubscriptionRow subscription) {
        return observations.values().stream()
                .filter(node -> !node.inRecovery() && node.reachedAt(subscription.publisherHost(), subscription.publisherPort()))
                .findFirst();
    }

    /** Whether the step's call was seen waiting on {@code waitEvent}, then cancelled or released ({@link BoundedWait#heldOn}). */
    public boolean heldOn(String waitEvent) {
        return waits.stream().anyMatch(wait -> wait.heldOn(waitEvent));
    }

    /** The time the step's bounded waits took. */
    public long waitedMillis() {
        return waits.stream().mapToLong(BoundedWait::tookMillis).sum();
    }
}
