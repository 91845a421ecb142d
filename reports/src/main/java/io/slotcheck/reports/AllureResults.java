package io.slotcheck.reports;

import io.qameta.allure.FileSystemResultsWriter;
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
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Consequence;
import io.slotcheck.model.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An Allure results directory: one test result per sequence (each operation a step, with its arguments and outcome),
 * labelled by the invariants it exercised or broke, with what a reader needs to sign off or to reproduce a
 * violation attached. The status message starts with the word its category ({@link #CATEGORIES}) matches.
 */
public final class AllureResults {

    /** Allure's categories: a failed or passed test falls in one of these by the first word of its status message. */
    static final List<Map<String, Object>> CATEGORIES = List.of(
            category("Conformance violation (product defect)", "The servers broke an invariant of the model, and did so again on"
                    + " a fresh cluster.", "failed", "VIOLATION", false),
            category("Flaky (did not reproduce on replay)", "An invariant broke once, but not when the same operations ran again on a"
                    + " fresh cluster: timing-dependent, or a harness problem.", "failed", "VIOLATION", true),
            category("Known upstream behaviour", "PostgreSQL behaved as designed, yet users of HA tools report this as a failure:"
                    + " failover protection is lost. The test's description links the threads.", "passed", "KNOWN UPSTREAM BEHAVIOUR", false),
            category("Infrastructure error", "A server could not be started, stopped or reached, or the machine failed:"
                    + " nothing was learned about the product.", "broken", "", false));

    private final Path directory;
    private final FileSystemResultsWriter writer;

    public AllureResults(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("categories.json"), Json.write(CATEGORIES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Allure results in " + directory, e);
        }
        writer = new FileSystemResultsWriter(directory);
    }

    public Path directory() {
        return directory;
    }

    /** Writes the test result of {@code sequence} and its attachments. */
    public void write(SequenceRecord sequence) {
        History history = sequence.history();
        TestResult result = new TestResult().setUuid(UUID.randomUUID().toString())
                .setHistoryId(digest(sequence.feature() + "/" + sequence.name()))
                .setTestCaseId(digest(sequence.feature() + "/" + sequence.name()))
                .setName(sequence.name()).setFullName(sequence.suite() + ": " + sequence.name())
                .setLabels(labels(sequence))
                .setParameters(List.of(parameter("target", history.target()),
                        parameter("seed", history.seed() == null ? "none (named scenario)" : history.seed().toString())))
                .setSteps(steps(history, sequence.report().findings()));
        result.setStart(result.getSteps().isEmpty() ? System.currentTimeMillis() : result.getSteps().get(0).getStart());
        result.setStop(result.getSteps().isEmpty() ? result.getStart() : result.getSteps().get(result.getSteps().size() - 1).getStop());
        List<KnownBehaviour.Sighting> sightings = KnownBehaviour.sightings(history);
        StringBuilder description = new StringBuilder(Description.summary(sequence));
        if (sequence.violated()) {
            Finding first = sequence.report().findings().get(0);
            boolean reproduced = sequence.reproduction() == null || sequence.reproduction().reproduced();
            result.setStatus(Status.FAILED).setStatusDetails(new StatusDetails().setFlaky(!reproduced)
                    .setMessage("VIOLATION of " + first.invariant().name() + " at step " + first.step() + ": " + first.violation().explanation()
                            + (reproduced ? "" : " (did not reproduce on a fresh cluster)"))
                    .setTrace(String.join("\n", first.violation().evidence())));
            description.append(Description.violation(sequence, first));
            attachViolation(result, sequence, first);
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
            attach(result, "LSN timeline", "image/png", "png", LsnTimeline.png(history, 0, ""));
        }
        writer.write(result);
    }

    /** A sequence that could not run because a server or the machine failed. */
    public void writeInfrastructureError(String epic, String feature, String suite, String name, String problem) {
        long now = System.currentTimeMillis();
        writer.write(new TestResult().setUuid(UUID.randomUUID().toString()).setHistoryId(digest(feature + "/" + name))
                .setTestCaseId(digest(feature + "/" + name)).setName(name).setFullName(suite + ": " + name)
                .setLabels(new ArrayList<>(List.of(label("epic", epic), label("feature", feature), label("suite", suite),
                        label("severity", "critical"))))
                .setStatus(Status.BROKEN).setStatusDetails(new StatusDetails().setMessage("INFRASTRUCTURE: " + problem))
                .setStart(now).setStop(now));
    }

    /**
     * Adds {@code entries} to {@code environment.properties}; a key another run wrote with another value keeps both
     * (a build that runs 17 and 18 shows both versions).
     */
    public synchronized void addEnvironment(Map<String, String> entries) {
        Path file = directory.resolve("environment.properties");
        Properties properties = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
            }
            entries.forEach((key, value) -> {
                String existing = properties.getProperty(key);
                boolean known = existing != null && Stream.of(existing.split(" \\| ")).anyMatch(value::equals);
                properties.setProperty(key, existing == null ? value : known ? existing : existing + " | " + value);
            });
            StringBuilder text = new StringBuilder();
            new TreeMap<>(properties).forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes {@code executor.json} when {@code environment} is a CI job's (Allure links the report to the build). */
    public void writeExecutor(Map<String, String> environment) {
        Executor.of(environment).ifPresent(executor -> {
            try {
                Files.writeString(directory.resolve("executor.json"), Json.write(executor));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write executor.json in " + directory, e);
            }
        });
    }

    private static List<Label> labels(SequenceRecord sequence) {
        List<Label> labels = new ArrayList<>(List.of(label("epic", sequence.epic()), label("feature", sequence.feature()),
                label("suite", sequence.suite()), label("severity", severity(sequence))));
        List<String> stories = sequence.violated()
                ? sequence.report().findings().stream().map(f -> f.invariant().name()).distinct().toList()
                : sequence.report().exercised().entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        stories.forEach(story -> labels.add(label("story", story)));
        return labels;
    }

    /** Allure's severity of the worst consequence among the violated invariants. */
    static String severity(SequenceRecord sequence) {
        return sequence.report().findings().stream().map(f -> f.invariant().consequence()).min(Enum::compareTo)
                .map(AllureResults::severity).orElse("normal");
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
        long clock = history.steps().isEmpty() || history.steps().get(0).observations().isEmpty() ? System.currentTimeMillis()
                : history.steps().get(0).observations().values().iterator().next().takenAt().toEpochMilli();
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
                result.setStatus(step.outcome() instanceof Outcome.Unknown ? Status.BROKEN : Status.PASSED);
            }
            long waitStart = result.getStart();
            for (BoundedWait wait : step.waits()) {
                result.getSteps().add(new StepResult().setName("waited for " + wait.what() + ": " + wait.tookMillis() + " ms of "
                                + wait.boundMillis() + " ms" + (wait.reached() ? "" : ", not reached"))
                        .setStatus(wait.reached() ? Status.PASSED : Status.BROKEN).setStart(waitStart).setStop(waitStart + wait.tookMillis()));
            }
            steps.add(result);
        }
        return steps;
    }

    private void attachViolation(TestResult result, SequenceRecord sequence, Finding first) {
        attach(result, "model vs observed at step " + first.step(), "text/html", "html",
                ViolationDiff.html(sequence.history(), first).getBytes(StandardCharsets.UTF_8));
        attach(result, "LSN timeline", "image/png", "png", LsnTimeline.png(sequence.history(), first.step(), first.invariant().name()));
        if (sequence.reproduction() != null) {
            attach(result, "shrunk steps and replay command", "text/plain", "txt", (Description.reproduction(sequence.reproduction()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (sequence.historyFile() != null && Files.exists(sequence.historyFile())) {
            attach(result, "history (" + sequence.historyFile().getFileName() + ")", "application/json", "json", read(sequence.historyFile()));
        }
        if (sequence.serverFiles() != null && Files.isDirectory(sequence.serverFiles())) {
            try (Stream<Path> files = Files.list(sequence.serverFiles())) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    String node = name.substring(0, name.lastIndexOf('.'));
                    attach(result, name.endsWith(".conf") ? node + " configuration" : node + " server log", "text/plain", "txt", read(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + sequence.serverFiles(), e);
            }
        }
    }

    private void attach(TestResult result, String name, String type, String extension, byte[] content) {
        String source = UUID.randomUUID() + "-attachment." + extension;
        writer.write(source, new ByteArrayInputStream(content));
        result.getAttachments().add(new Attachment().setName(name).setType(type).setSource(source));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Map<String, Object> category(String name, String description, String status, String firstWord, boolean flaky) {
        Map<String, Object> category = new LinkedHashMap<>();
        category.put("name", name);
        category.put("description", description);
        category.put("matchedStatuses", List.of(status));
        category.put("messageRegex", firstWord.isEmpty() ? "(?s).*" : "(?s)" + firstWord + "\\b.*");
        category.put("flaky", flaky);
        return category;
    }

    private static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }

    private static Parameter parameter(String name, String value) {
        return new Parameter().setName(name).setValue(value);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
