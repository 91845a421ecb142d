package io.slotcheck.model.state;

import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.operation.Operation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model knows between steps: every node's status and last observation. It advances step by step:
 * first the operation's effect ({@link Operation#effect}), then the step's observations, which are the truth about
 * whatever the servers did on their own (the sync worker, replication, recovery).
 */
public record ModelState(Map<String, NodeModel> nodes) {

    public ModelState {
        nodes = Map.copyOf(nodes);
    }

    public static ModelState initial() {
        return new ModelState(Map.of());
    }

    /** The state after each step of {@code steps}, folded from the initial one. */
    public static ModelState after(List<Step> steps) {
        ModelState state = initial();
        for (Step step : steps) {
            state = state.next(step);
        }
        return state;
    }

    public ModelState next(Step step) {
        ModelState affected = step.operation().effect(this, step.outcome());
        Map<String, NodeModel> updated = new LinkedHashMap<>(affected.nodes);
        for (NodeSnapshot snapshot : step.observations().values()) {
            updated.put(snapshot.node(), node(snapshot.node()).orElse(new NodeModel(snapshot.node(), NodeStatus.RUNNING, null)).seen(snapshot));
        }
        return new ModelState(updated);
    }

    public Optional<NodeModel> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** The node {@code standby} streams from, found by the port its walreceiver was last seen connected to. */
    public Optional<NodeModel> upstreamOf(NodeModel standby) {
        if (standby.lastSeen() == null) {
            return Optional.empty();
        }
        return standby.lastSeen().walReceiver().map(receiver -> String.valueOf(receiver.senderPort()))
                .flatMap(port -> nodes.values().stream().filter(n -> port.equals(n.settings().get("port"))).findFirst());
    }

    public ModelState withStatus(String node, NodeStatus status) {
        Map<String, NodeModel> updated = new LinkedHashMap<>(nodes);
        updated.computeIfPresent(node, (name, model) -> model.withStatus(status));
        return new ModelState(updated);
    }
}
