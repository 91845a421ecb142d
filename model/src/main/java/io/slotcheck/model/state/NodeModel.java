package io.slotcheck.model.state;

import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.ServerProcess;

import java.util.Map;
import java.util.Optional;

/**
 * The model's knowledge of one node: its role and status, set by operations (so a campaign's plan depends on its seed
 * alone), and what it looked like when last observed (slots, settings, recovery, WAL positions), which the operations'
 * predictions read. {@code pausedProcess} is the one server process stopped with SIGSTOP while the rest runs (null
 * when none): whatever acts on the whole server (a stop, a crash, a pause, a promotion) resumes it first.
 * {@code linkImpaired}: the standby's replication link to its upstream is cut or slowed (a partition), whether the
 * server runs or not; a new role (promotion, a rejoin) comes with a new link.
 */
public record NodeModel(String name, Role role, NodeStatus status, NodeSnapshot lastSeen, ServerProcess pausedProcess,
                        boolean linkImpaired) {

    public NodeModel(String name, Role role, NodeStatus status, NodeSnapshot lastSeen) {
        this(name, role, status, lastSeen, null, false);
    }

    public boolean running() {
        return status == NodeStatus.RUNNING;
    }

    /** Stopped or crashed: its server is not there, and can be started. */
    public boolean down() {
        return status == NodeStatus.STOPPED || status == NodeStatus.CRASHED;
    }

    public boolean inRecovery() {
        return lastSeen != null && lastSeen.inRecovery();
    }

    public Optional<SlotRow> slot(String slot) {
        return lastSeen == null ? Optional.empty() : lastSeen.slot(slot);
    }

    public Map<String, String> settings() {
        return lastSeen == null ? Map.of() : lastSeen.settings();
    }

    /** A synced slot of a node in recovery: read-only to users (§1 item 8). */
    public Optional<SlotRow> syncedCopy(String slot) {
        return inRecovery() ? slot(slot).filter(SlotRow::isSynced) : Optional.empty();
    }

    NodeModel withStatus(NodeStatus newStatus) {
        return new NodeModel(name, role, newStatus, lastSeen, null, linkImpaired);
    }

    NodeModel withRole(Role newRole) {
        return new NodeModel(name, newRole, status, lastSeen, null, false);
    }

    NodeModel withPausedProcess(ServerProcess process) {
        return new NodeModel(name, role, status, lastSeen, process, linkImpaired);
    }

    NodeModel withLinkImpaired(boolean impaired) {
        return new NodeModel(name, role, status, lastSeen, pausedProcess, impaired);
    }

    NodeModel seen(NodeSnapshot snapshot) {
        return new NodeModel(name, role, NodeStatus.RUNNING, snapshot, pausedProcess, linkImpaired);
    }
}
