package io.slotcheck.harness.run;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.observe.HistoryRecorder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.operation.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Performs operations on one cluster, observes every node after each and checks the step against the model at once:
 * a campaign's sequence, a replay, or a named scenario of the conformance suite.
 */
public final class SequenceRun implements AutoCloseable {

    private final OperationExecutor executor;
    private final HistoryRecorder recorder;
    private final HistoryChecker.Session session;
    private final List<Finding> findings = new ArrayList<>();
    private long checkNanos;

    /** A run on {@code cluster}, just made from the template, whose histories name {@code target}. */
    public SequenceRun(Cluster cluster, String target) {
        this(cluster, target, UnaryOperator.identity());
    }

    /** A run whose checker sees steps through {@code lens} (a test double of a lying server). */
    SequenceRun(Cluster cluster, String target, UnaryOperator<Step> lens) {
        executor = new OperationExecutor(cluster);
        executor.setUp();
        recorder = new HistoryRecorder(cluster, target, lens);
        session = new HistoryChecker.Session(cluster.profile(), Invariants.all());
    }

    /** Whether {@code operations}, run on a fresh pair, violate {@code invariant} (a shrink or reproduction trial). */
    static boolean violates(Target target, List<Operation> operations, String invariant, UnaryOperator<Step> lens) {
        return trial(target, operations, lens).stream().anyMatch(f -> f.invariant().name().equals(invariant));
    }

    /** The violations {@code operations} show on a fresh pair, which is closed after: run until the step of the first. */
    static List<Finding> trial(Target target, List<Operation> operations, UnaryOperator<Step> lens) {
        try (Cluster cluster = target.startPair(); SequenceRun run = new SequenceRun(cluster, target.describe(), lens)) {
            run.performUntilViolation(operations);
            return List.copyOf(run.findings());
        }
    }

    /** Performs, records and checks one operation; returns the recorded step. */
    public Step perform(Operation operation) {
        Step step = recorder.step(operation, () -> executor.execute(operation));
        long started = System.nanoTime();
        findings.addAll(session.add(step));
        checkNanos += System.nanoTime() - started;
        return step;
    }

    /** Performs {@code operations} in order until one of them shows a violation. */
    public void performUntilViolation(List<Operation> operations) {
        for (int i = 0; i < operations.size() && findings.isEmpty(); i++) {
            perform(operations.get(i));
        }
    }

    /** The violations found so far. */
    public List<Finding> findings() {
        return findings;
    }

    /** The history so far; {@code seed} is the campaign's, null for a named scenario. */
    public History history(Long seed) {
        return recorder.history(seed);
    }

    /** What the checker made of the steps so far. */
    public HistoryChecker.Report report() {
        return session.report();
    }

    /** The time spent checking the steps against the model. */
    long checkMillis() {
        return checkNanos / 1_000_000;
    }

    @Override
    public void close() {
        executor.close();
        recorder.close();
    }
}
