package io.slotcheck.reports;

import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An Allure results directory: one test result per sequence ({@link SequenceTest}), the categories a failed or flagged
 * test falls in ({@link #CATEGORIES}), what was tested ({@code environment.properties}) and the CI build that ran it
 * ({@code executor.json}).
 */
public final class AllureResults {

    /** Allure's categories: a failed or passed test falls in one of these by the first word of its status message. */
    static final List<Map<String, Object>> CATEGORIES = List.of(
            category("Conformance violation (product defect)", "The servers broke an invariant of the model, and did so again on"
                    + " a fresh cluster.", "failed", "VIOLATION", false),
            category("Fixed upstream (a known defect of this minor)", "The servers broke a guarantee that PostgreSQL restored in a later"
                    + " minor release, and did so again on a fresh cluster: a defect of theirs already fixed upstream. The test names the"
                    + " fix, its commit and release notes: upgrade, or pick up the commit.", "failed", "FIXED UPSTREAM", false),
            category("Flaky (did not reproduce on replay)", "An invariant broke once, but not when the same operations ran again on a"
                    + " fresh cluster: timing-dependent, or a harness problem.", "failed", "VIOLATION", true),
            category("Known upstream behaviour", "PostgreSQL behaved as designed, yet users of HA tools report this as a failure:"
                    + " failover protection is lost. The test's description links the threads.", "passed", "KNOWN UPSTREAM BEHAVIOUR", false),
            category("Not ready for failover", "./slotcheck doctor found what a promotion now would lose: a failover slot without a"
                    + " failover-ready copy, or changes a consumer was sent that the standby does not have. The test gives the evidence"
                    + " and the fix.", "failed", "NOT READY", false),
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
        write(sequence, Optional.empty());
    }

    /**
     * Writes the test result of {@code sequence}, a named scenario, failed with {@code unmet} when what it is there to show
     * did not hold although the model found no violation (a violation is the failure then).
     */
    public void write(SequenceRecord sequence, Optional<String> unmet) {
        TestResult result = newTest(sequence.feature(), sequence.suite(), sequence.name());
        SequenceTest.fill(result, sequence, this::store);
        unmet.filter(message -> !sequence.violated()).ifPresent(message -> result.setStatus(Status.FAILED)
                .setStatusDetails(new StatusDetails().setMessage("NOT SHOWN: " + message)));
        List<StepResult> steps = result.getSteps();
        result.setStart(steps.isEmpty() ? System.currentTimeMillis() : steps.get(0).getStart());
        result.setStop(steps.isEmpty() ? result.getStart() : steps.get(steps.size() - 1).getStop());
        writer.write(result);
    }

    /** Writes a test result made elsewhere in this package (its start and stop set). */
    void write(TestResult result) {
        writer.write(result);
    }

    String store(String extension, byte[] content) {
        String source = UUID.randomUUID() + "-attachment." + extension;
        writer.write(source, new ByteArrayInputStream(content));
        return source;
    }

    /** A sequence that could not run because a server or the machine failed. */
    public void writeInfrastructureError(String epic, String feature, String suite, String name, String problem) {
        long now = System.currentTimeMillis();
        TestResult result = newTest(feature, suite, name).setStatus(Status.BROKEN)
                .setStatusDetails(new StatusDetails().setMessage("INFRASTRUCTURE: " + problem)).setStart(now).setStop(now);
        result.getLabels().addAll(List.of(label("epic", epic), label("feature", feature), label("severity", "critical")));
        writer.write(result);
    }

    /** A test named {@code name} in {@code suite}, identified across runs by its feature and name (for Allure's history). */
    static TestResult newTest(String feature, String suite, String name) {
        String id = digest(feature + "/" + name);
        TestResult result = new TestResult().setUuid(UUID.randomUUID().toString()).setHistoryId(id).setTestCaseId(id)
                .setName(name).setFullName(suite + ": " + name);
        result.getLabels().add(label("suite", suite));
        return result;
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

    /** The machine a run ran on, for {@code environment.properties}: operating system and JDK. */
    public static Map<String, String> machine() {
        return Map.of("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                "jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
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

    private static Map<String, Object> category(String name, String description, String status, String firstWord, boolean flaky) {
        Map<String, Object> category = new LinkedHashMap<>();
        category.put("name", name);
        category.put("description", description);
        category.put("matchedStatuses", List.of(status));
        category.put("messageRegex", firstWord.isEmpty() ? "(?s).*" : "(?s)" + firstWord + "\\b.*");
        category.put("flaky", flaky);
        return category;
    }

    static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }

    static Parameter parameter(String name, String value) {
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
