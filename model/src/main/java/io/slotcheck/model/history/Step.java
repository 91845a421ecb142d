package io.slotcheck.model.history;

import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.operation.Operation;

import java.util.Map;
import java.util.Optional;

/** One step of a history: the operation, how it ended, and what every reachable node looked like afterwards. */
public record Step(int index, Operation operation, Outcome outcome, Map<String, NodeSnapshot> observations) {

    public Step {
        observations = Map.copyOf(observations);
    }

    public Optional<NodeSnapshot> observation(String node) {
        return Optional.ofNullable(observations.get(node));
    }
}
