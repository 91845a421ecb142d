package io.slotcheck.reports;

import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllureResultsTest {

    @TempDir
    Path directory;

    @Test
    void aViolationIsAFailedTestWithItsInvariantAsStoryAndEverythingToReproduceItAttached() throws IOException {
        Path serverFiles = Files.createDirectories(directory.resolve("logs"));
        Files.writeString(serverFiles.resolve("standby1.log"), "LOG:  slot sync worker started\n");
        Files.writeString(serverFiles.resolve("standby1.conf"), "primary_conninfo = 'host=127.0.0.1 password=****'\n");
        AllureResults results = new AllureResults(directory.resolve("allure-results"));
        results.write(Sequences.record("sequence 001", Sequences.aheadOfTheStandby(), Sequences.reproduced(), serverFiles));

        Map<?, ?> result = onlyResult();
        assertEquals("failed", result.get("status"));
        Map<?, ?> details = (Map<?, ?>) result.get("statusDetails");
        assertTrue(details.get("message").toString().startsWith("VIOLATION of synced-confirmed-flush-within-standby-flush at step 2:"),
                details.toString());
        assertEquals(false, details.get("flaky"));
        assertTrue(labels(result).contains("story=synced-confirmed-flush-within-standby-flush"), labels(result).toString());
        assertTrue(labels(result).contains("severity=blocker"));
        List<?> steps = (List<?>) result.get("steps");
        assertEquals(List.of("1. create_logical_slot on primary", "2. sync_slots on standby1"),
                steps.stream().map(s -> ((Map<?, ?>) s).get("name")).toList());
        assertEquals(List.of("passed", "failed"), steps.stream().map(s -> ((Map<?, ?>) s).get("status")).toList());
        assertTrue(((List<?>) ((Map<?, ?>) steps.get(0)).get("parameters")).contains(Map.of("name", "slot", "value", "s")));
        assertTrue(result.get("descriptionHtml").toString().contains("./slotcheck replay results/replay-sequence-001.json"));
        assertTrue(result.get("descriptionHtml").toString().contains("situations reached (steps), where a broken server would show a violation:"
                + " sync-while-standby-behind-a-failover-slot 1"), result.get("descriptionHtml").toString());

        Map<String, String> attachments = attachments(result);
        assertEquals(List.of("model vs observed at step 2", "LSN timeline", "shrunk steps and replay command", "standby1 configuration",
                "standby1 server log"), List.copyOf(attachments.keySet()));
        String diff = Files.readString(directory.resolve("allure-results").resolve(attachments.get("model vs observed at step 2")));
        assertTrue(diff.contains("0/3000250") && diff.contains("class=\"changed\""), diff);
        byte[] png = Files.readAllBytes(directory.resolve("allure-results").resolve(attachments.get("LSN timeline")));
        assertEquals("PNG", new String(png, 1, 3));
        assertTrue(Files.readString(directory.resolve("allure-results").resolve(attachments.get("shrunk steps and replay command")))
                .contains("1. sync_slots on standby1"));
    }

    @Test
    void aViolationThatDidNotReproduceIsFlaky() throws IOException {
        AllureResults results = new AllureResults(directory);
        results.write(Sequences.record("sequence 002", Sequences.aheadOfTheStandby(),
                new SequenceRecord.Reproduction(false, List.of(Sequences.CREATE, Sequences.SYNC), "./slotcheck replay r.json"), null));
        assertEquals(true, ((Map<?, ?>) onlyResult().get("statusDetails")).get("flaky"));
    }

    @Test
    void aViolationOfADefectFixedUpstreamNamesTheFixAndFallsInItsOwnCategory() throws IOException {
        new AllureResults(directory).write(Sequences.record("sequence 007", Sequences.retreatBefore17_6(), Sequences.reproduced(), null));
        Map<?, ?> result = onlyResult();
        assertEquals("failed", result.get("status"));
        String message = ((Map<?, ?>) result.get("statusDetails")).get("message").toString();
        assertTrue(message.startsWith("FIXED UPSTREAM in 17.6 (commit 7318f241d2, \"Don't retreat slot's confirmed_flush LSN\"): violation of"
                + " primary-confirmed-flush-never-retreats at step 2:"), message);
        assertTrue(result.get("descriptionHtml").toString().contains("https://www.postgresql.org/docs/release/17.6/"));
        List<?> categories = (List<?>) Json.parse(Files.readString(directory.resolve("categories.json")));
        List<String> matching = categories.stream().map(c -> (Map<?, ?>) c).filter(c -> ((List<?>) c.get("matchedStatuses")).contains("failed") && message.matches(c.get("messageRegex").toString()))
                .map(c -> c.get("name").toString()).toList();
        assertEquals(List.of("Fixed upstream (a known defect of this minor)"), matching);
    }

    @Test
    void aConformingSequencePassesWithTheInvariantsItExercisedAsStoriesAndNoAttachments() throws IOException {
        new AllureResults(directory).write(Sequences.record("sequence 003", Sequences.conforming(), null, null));
        Map<?, ?> result = onlyResult();
        assertEquals("passed", result.get("status"));
        assertTrue(labels(result).contains("story=synced-confirmed-flush-within-standby-flush"));
        assertTrue(attachments(result).isEmpty());
    }

    @Test
    void aNamedScenarioThatDidNotShowWhatItIsThereToShowFailsWithItsMessage() throws IOException {
        new AllureResults(directory).write(Sequences.record("manual sync", Sequences.conforming(), null, null),
                Optional.of("the next sync moved the copy on ==> expected: <true> but was: <false>"));
        Map<?, ?> result = onlyResult();
        assertEquals("failed", result.get("status"));
        assertEquals("NOT SHOWN: the next sync moved the copy on ==> expected: <true> but was: <false>",
                ((Map<?, ?>) result.get("statusDetails")).get("message"));
    }

    @Test
    void onRequestAConformingSequenceHasItsLsnTimelineToo() throws IOException {
        SequenceRecord plain = Sequences.record("sequence 005", Sequences.conforming(), null, null);
        new AllureResults(directory).write(new SequenceRecord(plain.epic(), plain.feature(), plain.suite(), plain.name(), plain.history(),
                plain.report(), null, null, null, true));
        assertEquals(List.of("LSN timeline"), List.copyOf(attachments(onlyResult()).keySet()));
    }

    @Test
    void aSequenceThatCouldNotRunIsBrokenAsAnInfrastructureError() throws IOException {
        new AllureResults(directory).writeInfrastructureError("Randomized campaigns", "default", "campaign 42", "sequence 006",
                "could not start the primary: port 5432 is taken");
        Map<?, ?> result = onlyResult();
        assertEquals("broken", result.get("status"));
        assertEquals("INFRASTRUCTURE: could not start the primary: port 5432 is taken", ((Map<?, ?>) result.get("statusDetails")).get("message"));
        List<?> categories = (List<?>) Json.parse(Files.readString(directory.resolve("categories.json")));
        assertEquals(List.of("broken"), ((Map<?, ?>) categories.get(5)).get("matchedStatuses"));
    }

    @Test
    void aKnownUpstreamBehaviourPassesWithItsThreadsLinked() throws IOException {
        new AllureResults(directory).write(Sequences.record("sequence 004", Sequences.leftoverSlot(), null, null));
        Map<?, ?> result = onlyResult();
        assertEquals("passed", result.get("status"));
        assertTrue(((Map<?, ?>) result.get("statusDetails")).get("message").toString().startsWith("KNOWN UPSTREAM BEHAVIOUR at step 1:"));
        assertTrue(result.get("descriptionHtml").toString().contains("https://github.com/cloudnative-pg/cloudnative-pg/issues/9969"));
    }

    @Test
    void categoriesMatchTheFirstWordOfEachKindOfStatusMessage() throws IOException {
        new AllureResults(directory);
        List<?> categories = (List<?>) Json.parse(Files.readString(directory.resolve("categories.json")));
        assertEquals(6, categories.size());
        assertTrue("VIOLATION of x at step 1: y".matches(((Map<?, ?>) categories.get(0)).get("messageRegex").toString()));
        assertFalse("VIOLATIONS".matches(((Map<?, ?>) categories.get(0)).get("messageRegex").toString()));
        assertTrue("FIXED UPSTREAM in 17.6 (commit c, \"t\"): violation of x".matches(((Map<?, ?>) categories.get(1)).get("messageRegex").toString()));
        assertTrue("KNOWN UPSTREAM BEHAVIOUR at step 1: z".matches(((Map<?, ?>) categories.get(3)).get("messageRegex").toString()));
        assertTrue("NOT READY: a promotion of db2 now loses s: no copy on db2".matches(((Map<?, ?>) categories.get(4)).get("messageRegex")
                .toString()));
    }

    @Test
    void environmentEntriesOfSeveralRunsAreMergedAndExecutorIsWrittenOnlyInCi() throws IOException {
        AllureResults results = new AllureResults(directory);
        results.addEnvironment(Map.of("target", "embedded 17.11.0", "backend", "embedded"));
        results.addEnvironment(Map.of("target", "embedded 18.6.0", "backend", "embedded"));
        results.addEnvironment(Map.of("target", "embedded 17.11.0"));
        assertEquals("backend = embedded\ntarget = embedded 17.11.0 | embedded 18.6.0\n",
                Files.readString(directory.resolve("environment.properties")));
        results.writeExecutor(Map.of());
        assertFalse(Files.exists(directory.resolve("executor.json")));
        results.writeExecutor(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "o/r", "GITHUB_RUN_ID", "7", "GITHUB_RUN_NUMBER", "3",
                "GITHUB_WORKFLOW", "nightly"));
        Map<?, ?> executor = (Map<?, ?>) Json.parse(Files.readString(directory.resolve("executor.json")));
        assertEquals("https://github.com/o/r/actions/runs/7", executor.get("buildUrl"));
        assertEquals("nightly #3", executor.get("buildName"));
    }

    private Map<?, ?> onlyResult() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> results = files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList();
            assertEquals(1, results.size(), results.toString());
            return (Map<?, ?>) Json.parse(Files.readString(results.get(0)));
        }
    }

    private static List<String> labels(Map<?, ?> result) {
        return ((List<?>) result.get("labels")).stream().map(l -> ((Map<?, ?>) l).get("name") + "=" + ((Map<?, ?>) l).get("value")).toList();
    }

    private static Map<String, String> attachments(Map<?, ?> result) {
        Map<String, String> attachments = new java.util.LinkedHashMap<>();
        List<?> list = result.get("attachments") == null ? List.of() : (List<?>) result.get("attachments");
        list.forEach(a -> attachments.put(((Map<?, ?>) a).get("name").toString(), ((Map<?, ?>) a).get("source").toString()));
        return attachments;
    }
}
