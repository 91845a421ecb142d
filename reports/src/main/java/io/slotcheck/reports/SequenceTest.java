package io.slotcheck.reports;

import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.hazard.KnownBehaviour;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Consequence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.slotcheck.reports.AllureResults.label;
import static io.slotcheck.reports.AllureResults.parameter;

/**
 * A sequence as an Allure test: each operation a step (its arguments and outcome as parameters, its bounded waits as
 * sub-steps), the invariants it exercised or broke as stories, severity by what breaking the worst of them costs, a
 * description of what ran and held, and for a violation what a reader needs to see and reproduce it. Used for a
 * campaign's sequences and for named scenarios running as JUnit tests.
 */
public final class SequenceTest {

    /** Stores an attachment's content and returns the source name the test result refers to it by. */
    @FunctionalInterface
    public interface AttachmentStore {
        String store(String extension, byte[] content);
    }

    private SequenceTest() {
    }

    /** Adds {@code sequence} to {@code result}: labels, parameters, steps, status, description and attachments. */
    public static void fill(TestResult result, SequenceRecord sequence, AttachmentStore store) {
        History history = sequence.history();
        result.getLabels().addAll(labels(sequence));
        result.getParameters().add(parameter("target", history.target()));
        if (history.seed() != null) {
            result.getParameters().add(parameter("seed", history.seed().toString()));
        }
        result.getSteps().addAll(steps(history, sequence.report().findings()));
        List<KnownBehaviour.Sighting> sightings = KnownBehaviour.sightings(history);
        StringBuilder description = new StringBuilder(Description.summary(sequence));
        if (sequence.violated()) {
            // a new defect outranks the known ones a sequence also shows
            Finding first = sequence.report().findings().stream().filter(Finding::isNewDefect).findFirst()
                    .orElse(sequence.report().findings().get(0));
            boolean reproduced = sequence.reproduction() == null || sequence.reproduction().reproduced();
            String violated = first.invariant().name() + " at step " + first.step() + ": " + first.violation().explanation();
            result.setStatus(Status.FAILED).setStatusDetails(new StatusDetails().setFlaky(!reproduced)
                    .setMessage(!reproduced ? "VIOLATION of " + violated + " (did not reproduce on a fresh cluster)"
                            : first.fixedUpstream().map(fix -> "FIXED UPSTREAM " + fix.where() + ": violation of " + violated)
                            .orElse("VIOLATION of " + violated))
                    .setTrace(String.join("\n", first.violation().evidence())));
            description.append(Description.violation(sequence, first));
            attachViolation(result, sequence, first, store);
        } else if (!sightings.isEmpty()) {
            KnownBehaviour.Sighting sighting = sightings.get(0);
            result.setStatus(Status.PASSED).setStatusDetails(new StatusDetails().setKnown(true)
                    .setMessage("KNOWN UPSTREAM BEHAVIOUR at step " + sighting.step() + ": " + sighting.behaviour().description()));
        } else {
            result.setStatus(Status.PASSED);
        }
        description.append(Description.knownBehaviours(sightings));
        result.setDescriptionHtml(description.toString());
        if (sequence.plot() && !sequence.violated()) {
            attach(result, store, "LSN timeline", "image/png", "png", LsnTimeline.png(history, 0, ""));
        }
    }

    private static List<Label> labels(SequenceRecord sequence) {
        List<Label> labels = new ArrayList<>(List.of(label("epic", sequence.epic()), label("feature", sequence.feature()),
                label("severity", severity(sequence))));
        List<String> stories = sequence.violated()
                ? sequence.report().findings().stream().map(f -> f.invariant().name()).distinct().toList()
                : sequence.report().exercised().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        stories.forEach(story -> labels.add(label("story", story)));
        return labels;
    }

    /** Allure's severity of the worst consequence among the violated invariants. */
    static String severity(SequenceRecord sequence) {
        return sequence.report().findings().stream().map(f -> f.invariant().consequence()).min(Enum::compareTo)
                .map(SequenceTest::severity).orElse("normal");
    }

    private static String severity(Consequence consequence) {
        return switch (consequence) {
            case LOST_CHANGES -> "blocker";
            case DUPLICATED_CHANGES, FAILOVER_UNUSABLE -> "critical";
            case MISREPORTED_STATE, UNDOCUMENTED_OUTCOME -> "normal";
        };
    }

    private static List<StepResult> steps(History history, List<Finding> findings) {
        List<StepResult> steps = new ArrayList<>();
        long clock = startOf(history);
        for (Step step : history.steps()) {
            StepResult result = new StepResult().setName(step.index() + ". " + Steps.title(step.operation()))
                    .setStart(clock).setStop(clock + step.actionMillis() + step.observationMillis());
            clock = result.getStop();
            List<Parameter> parameters = new ArrayList<>();
            Steps.arguments(step.operation()).forEach((name, value) -> parameters.add(parameter(name, value)));
            parameters.add(parameter("outcome", Steps.outcome(step.outcome())));
            result.setParameters(parameters);
            List<Finding> here = findings.stream().filter(f -> f.step() == step.index()).toList();
            if (!here.isEmpty()) {
                result.setStatus(Status.FAILED).setStatusDetails(new StatusDetails().setMessage(here.get(0).toString()));
            } else {
                result.setStatus(Status.PASSED); // a refusal or an unknown outcome the model allows is no failure: see "outcome"
            }
            long waitStart = result.getStart();
            for (BoundedWait wait : step.waits()) {
                result.getSteps().add(new StepResult().setName("waited for " + wait.what() + ": " + wait.tookMillis() + " ms of "
                                + wait.boundMillis() + " ms" + (wait.reached() ? "" : ", not reached"))
                        .setStatus(Status.PASSED).setStart(waitStart).setStop(waitStart + wait.tookMillis()));
            }
            steps.add(result);
        }
        return steps;
    }

    /** When the first step began: its first observation, less the time the step took. */
    private static long startOf(History history) {
        if (history.steps().isEmpty() || history.steps().get(0).observations().isEmpty()) {
            return System.currentTimeMillis();
        }
        Step first = history.steps().get(0);
        return first.observations().values().iterator().next().takenAt().toEpochMilli() - first.actionMillis() - first.observationMillis();
    }

    private static void attachViolation(TestResult result, SequenceRecord sequence, Finding first, AttachmentStore store) {
        attach(result, store, "model vs observed at step " + first.step(), "text/html", "html",
                ViolationDiff.html(sequence.history(), first).getBytes(StandardCharsets.UTF_8));
        attach(result, store, "LSN timeline", "image/png", "png", LsnTimeline.png(sequence.history(), first.step(), first.invariant().name()));
        if (sequence.reproduction() != null) {
            attach(result, store, "shrunk steps and replay command", "text/plain", "txt", (Description.reproduction(sequence.reproduction()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (sequence.historyFile() != null && Files.exists(sequence.historyFile())) {
            attach(result, store, "history (" + sequence.historyFile().getFileName() + ")", "text/plain", "jsonl", read(sequence.historyFile()));
        }
        if (sequence.serverFiles() != null && Files.isDirectory(sequence.serverFiles())) {
            try (Stream<Path> files = Files.list(sequence.serverFiles())) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    String node = name.substring(0, name.lastIndexOf('.'));
                    attach(result, store, name.endsWith(".conf") ? node + " configuration" : node + " server log", "text/plain", "txt", read(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + sequence.serverFiles(), e);
            }
        }
    }

    private static void attach(TestResult result, AttachmentStore store, String name, String type, String extension, byte[] content) {
        result.getAttachments().add(new Attachment().setName(name).setType(type).setSource(store.store(extension, content)));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
