package io.slotcheck.model.state;

import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.WalReceiverRow;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.ServerProcess;

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

    /** The state of a cluster just made: every node running, in its role, not observed yet. */
    public static ModelState of(Map<String, Role> topology) {
        Map<String, NodeModel> nodes = new LinkedHashMap<>();
        topology.forEach((name, role) -> nodes.put(name, new NodeModel(name, role, NodeStatus.RUNNING, null)));
        return new ModelState(nodes);
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
            NodeModel known = affected.node(snapshot.node()).orElse(new NodeModel(snapshot.node(),
                    snapshot.inRecovery() ? Role.STANDBY : Role.PRIMARY, NodeStatus.RUNNING, null));
            updated.put(snapshot.node(), known.seen(snapshot));
        }
        return new ModelState(updated);
    }

    public Optional<NodeModel> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /**
     * The node {@code standby} streams from: the one its walreceiver was last seen connected to, else the one its
     * {@code primary_conninfo} names (where a sync connects, streaming or not), found by port (and host, see
     * {@link NodeSnapshot#host}).
     */
    public Optional<NodeModel> upstreamOf(NodeModel standby) {
        if (standby.lastSeen() == null) {
            return Optional.empty();
        }
        NodeSnapshot seen = standby.lastSeen();
        Optional<WalReceiverRow> receiver = seen.walReceiver().filter(row -> row.senderPort() != null);
        String host = receiver.map(WalReceiverRow::senderHost).orElse(seen.upstreamHost().orElse(null));
        Integer port = receiver.map(WalReceiverRow::senderPort).or(seen::upstreamPort).orElse(null);
        return nodes.values().stream().filter(n -> n.lastSeen() != null && n.lastSeen().reachedAt(host, port)).findFirst();
    }

    /** The state with a node added to the topology. */
    public ModelState withNode(String node, Role role, NodeStatus status) {
        Map<String, NodeModel> updated = new LinkedHashMap<>(nodes);
        updated.put(node, new NodeModel(node, role, status, null));
        return new ModelState(updated);
    }

    public ModelState withStatus(String node, NodeStatus status) {
        return changed(node, model -> model.withStatus(status));
    }

    public ModelState withRole(String node, Role role) {
        return changed(node, model -> model.withRole(role));
    }

    /** The state with {@code standby}'s replication link cut or slowed, or healed. */
    public ModelState withLinkImpaired(String standby, boolean impaired) {
        return changed(standby, model -> model.withLinkImpaired(impaired));
    }

    /** The state with one process of {@code node} stopped with SIGSTOP ({@code null}: none, resumed). */
    public ModelState withPausedProcess(String node, ServerProcess process) {
        return changed(node, model -> model.withPausedProcess(process));
    }

    private ModelState changed(String node, java.util.function.UnaryOperator<NodeModel> change) {
        Map<String, NodeModel> updated = new LinkedHashMap<>(nodes);
        updated.computeIfPresent(node, (name, model) -> change.apply(model));
        return new ModelState(updated);
    }
}
