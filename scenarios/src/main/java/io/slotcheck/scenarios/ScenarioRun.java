package io.slotcheck.scenarios;

import io.slotcheck.harness.run.OperationExecutor;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.util.stream.Stream;

import static io.slotcheck.scenarios.Expect.assertEquals;
import static io.slotcheck.scenarios.Expect.assertInstanceOf;
import static io.slotcheck.scenarios.Expect.assertTrue;

/** A named scenario's history and the model's report of it: what its assertions read. */
public record ScenarioRun(History history, HistoryChecker.Report report) {

    /** Step {@code index}, counted from 1 as histories count them. */
    public Step step(int index) {
        return history.steps().get(index - 1);
    }

    public Step lastStep() {
        return history.steps().get(history.steps().size() - 1);
    }

    /** The slot as the last observation of {@code node} showed it. */
    public SlotRow slot(String node, String slot) {
        return lastStep().observation(node).orElseThrow().slot(slot)
                .orElseThrow(() -> new AssertionError(node + " has no slot " + slot + " at the end:\n" + describe()));
    }

    /** The physical slot {@code node}, a standby, streamed through at the first step ({@code primary_slot_name}). */
    public String streamingSlot(String node) {
        return history.steps().get(0).observation(node).map(snapshot -> snapshot.settings().get("primary_slot_name"))
                .orElseThrow(() -> new AssertionError(node + " was not observed at the first step"));
    }

    /** Whether {@code node}'s log, as observed at any step, has {@code message} in this version's text. */
    public boolean logged(String node, Message message) {
        return logged(node, message, "");
    }

    /**
     * Whether {@code node}'s log has {@code message} from a process of {@code backendType} (as the line prefix's
     * {@code %b} shows it, e.g. {@code slotsync worker}).
     */
    public boolean logged(String node, Message message, String backendType) {
        VersionProfile profile = history.profile();
        return history.steps().stream().flatMap(s -> s.observation(node).stream()).flatMap(o -> o.logLines().stream())
                .anyMatch(line -> profile.text(message).foundIn(line) && line.contains(backendType));
    }

    /** How {@code step} failed, which it must have. */
    public static Outcome.Failed failure(Step step) {
        return assertInstanceOf(Outcome.Failed.class, step.outcome(), "step " + step.index() + " " + step.operation());
    }

    /** The SQLSTATE of a cancelled statement. */
    private static final String QUERY_CANCELED = "57014";

    /**
     * Step {@code index}, decoding or advancing a failover slot, was held by the standby barrier: the server showed it
     * waiting for the listed standbys ({@code WaitForStandbyConfirmation}) until it was cancelled.
     */
    public void assertHeldByTheBarrier(int index, String why) {
        Step step = step(index);
        assertEquals(QUERY_CANCELED, failure(step).sqlState(), why + ", until cancelled: " + step.outcome());
        assertTrue(step.waits().stream().anyMatch(wait -> wait.what().contains(OperationExecutor.BARRIER_WAIT_EVENT)),
                why + ", seen waiting on " + OperationExecutor.BARRIER_WAIT_EVENT + ": " + step.waits());
    }

    /** Step {@code index} failed with {@code message}, in this version's text, and with its SQLSTATE. */
    public void assertRefused(int index, Message message) {
        Outcome.Failed failed = failure(step(index));
        assertTrue(history.profile().text(message).matches(failed.message()),
                "step " + index + " refused with " + message + ": " + failed.message());
        assertEquals(message.sqlState(), failed.sqlState(), "SQLSTATE of step " + index);
    }

    /** Each of {@code invariants} was checked against a non-trivial observation: the scenario did not pass by seeing nothing. */
    public void assertExercised(String... invariants) {
        Stream.of(invariants).forEach(invariant -> assertTrue(report.exercised().getOrDefault(invariant, 0) > 0,
                invariant + " was checked against a non-trivial observation: " + report.exercised()));
    }

    /** Each of {@code situations} arose at some step: what the scenario builds is there for the checks. */
    public void assertReached(String... situations) {
        Stream.of(situations).forEach(situation -> assertTrue(report.situations().getOrDefault(situation, 0) > 0,
                situation + " arose: " + report.situations()));
    }

    /** Every step, one a line: its operation and outcome. */
    public String describe() {
        return String.join("\n", history.steps().stream().map(s -> s.index() + ": " + s.operation() + " -> " + s.outcome()).toList());
    }
}
