package io.slotcheck.harness.junit;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.history.History;
import io.slotcheck.reports.AllureResults;
import io.slotcheck.reports.SequenceRecord;
import io.slotcheck.reports.SequenceTest;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Puts a sequence run inside a JUnit test (a named scenario) into that test's Allure result, as a campaign's
 * sequences are: its operations as steps, the invariants it exercised as stories, a known upstream behaviour it showed
 * flagged, a violation's diff and plot attached. The test's own outcome stays JUnit's. The results directory gets the
 * categories and what was tested.
 */
public final class AllureSequence {

    /** The build's results directory, set up once per JVM (categories, machine, CI executor); null until first used. */
    private static AllureResults results;
    private static final Set<String> DESCRIBED_TARGETS = new HashSet<>();

    private AllureSequence() {
    }

    /** Adds the target of {@code history} to what the results say was tested, once per target. */
    private static synchronized void describeTarget(History history) {
        if (results == null) {
            results = new AllureResults(Path.of(System.getProperty("allure.results.directory", "allure-results")));
            results.addEnvironment(AllureResults.machine());
            results.writeExecutor(System.getenv());
        }
        if (DESCRIBED_TARGETS.add(history.target())) {
            results.addEnvironment(Map.of("target", history.target(), "server_version", history.serverVersion()));
        }
    }

    /** Adds {@code history} and its {@code report} to the running test, as {@code feature} of {@code epic}. */
    public static void addToCurrentTest(String epic, String feature, History history, HistoryChecker.Report report) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        if (lifecycle.getCurrentTestCase().isEmpty()) {
            return; // not run under Allure's JUnit listener (an IDE without it)
        }
        describeTarget(history);
        lifecycle.updateTestCase(result -> {
            SequenceRecord sequence = new SequenceRecord(epic, feature, "", result.getName(), history, report, null, null, null, false);
            SequenceTest.fill(result, sequence, (extension, content) -> {
                String source = UUID.randomUUID() + "-attachment." + extension;
                lifecycle.writeAttachment(source, new ByteArrayInputStream(content));
                return source;
            });
        });
    }
}
