package io.slotcheck.harness.observe;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeSqlException;
import io.slotcheck.harness.cluster.NodeState;
import io.slotcheck.harness.cluster.WaitTimeoutException;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.History;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Records a history while a scenario runs: each step performs an action on the cluster, classifies how it ended
 * (ok, failed with the server's error, or unknown after a timeout), then observes every running node.
 */
public final class HistoryRecorder implements AutoCloseable {

    private final Cluster cluster;
    private final String target;
    private final UnaryOperator<Step> lens;
    private final Observer observer = new Observer();
    private final List<Step> steps = new ArrayList<>();

    public HistoryRecorder(Cluster cluster, String target) {
        this(cluster, target, UnaryOperator.identity());
    }

    /**
     * @param lens what the history records of each step (its outcome and observations): the identity, except when the
     *             engine itself is tested with a test double of a server that lies
     */
    public HistoryRecorder(Cluster cluster, String target, UnaryOperator<Step> lens) {
        this.cluster = cluster;
        this.target = target;
        this.lens = lens;
    }

    /** Performs {@code action} as the step {@code operation}, records it, and returns the recorded step. */
    public Step step(Operation operation, Runnable action) {
        Outcome outcome;
        long started = System.nanoTime();
        Waits.Journal journal = Waits.journal();
        try {
            action.run();
            outcome = Outcome.ok();
        } catch (NodeSqlException e) {
            outcome = new Outcome.Failed(e.sqlState(), e.serverMessage());
        } catch (WaitTimeoutException e) {
            outcome = new Outcome.Unknown(e.getMessage());
        } catch (SlotcheckException e) {
            if (e.exitCode() != ExitCode.SERVER) {
                throw e;
            }
            // a server that refused to start or stop: the server's answer to this step, not a harness failure
            outcome = new Outcome.Failed(null, e.getMessage());
        } finally {
            journal.close();
        }
        List<BoundedWait> waits = journal.waits();
        long acted = System.nanoTime();
        Map<String, NodeSnapshot> observations = new LinkedHashMap<>();
        for (Node node : cluster.observationOrder()) {
            if (node.state() == NodeState.RUNNING) {
                observations.put(node.name(), cluster.withoutRelays(observer.snapshot(node)));
            }
        }
        Step step = lens.apply(new Step(steps.size() + 1, operation, outcome, observations, waits, (acted - started) / 1_000_000,
                (System.nanoTime() - acted) / 1_000_000));
        steps.add(step);
        return step;
    }

    /** Ends the observer's sessions; the cluster stays as it is. */
    @Override
    public void close() {
        observer.close();
    }

    /** The history so far, for a named scenario; its version is {@code version()} as first observed. */
    public History history() {
        return history(null);
    }

    /** The history so far, of a campaign with {@code seed}. */
    public History history(Long seed) {
        String serverVersion = steps.stream().flatMap(s -> s.observations().values().stream()).map(NodeSnapshot::serverVersion)
                .findFirst().orElseThrow(() -> new IllegalStateException("no node was observed yet"));
        return new History(target, serverVersion, cluster.slotSync(), seed, steps);
    }
}
