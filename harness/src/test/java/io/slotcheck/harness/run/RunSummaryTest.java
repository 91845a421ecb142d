package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a campaign's summary classifies what it found: a new defect, a defect fixed upstream, or nothing. */
class RunSummaryTest {

    @TempDir
    Path out;

    @Test
    void aReproducedViolationOfADefectFixedUpstreamIsClassifiedWithItsFixAndExitCode() throws Exception {
        RunSummary summary = summaryOf(recorded("stale-acknowledgement-on-17.5.jsonl"));

        assertTrue(summary.conformant(), "a known defect of 17.5 is not a new one");
        assertEquals(ExitCode.FIXED_UPSTREAM, summary.exitCode());
        Map<?, ?> json = (Map<?, ?>) Json.parse(Json.write(summary.toJson()));
        assertEquals("fixed-upstream", json.get("status"));
        Map<?, ?> violation = (Map<?, ?>) ((List<?>) json.get("violations")).get(0);
        assertEquals("fixed-upstream", violation.get("classification"));
        assertEquals(Map.of("release", "17.6", "commit", "7318f241d2", "fix", "Don't retreat slot's confirmed_flush LSN",
                "release_notes", "https://www.postgresql.org/docs/release/17.6/"), violation.get("fixed_upstream"));
        assertTrue(summary.describe().endsWith("2 violation(s) of defects fixed upstream: 17.6 (commit 7318f241d2, \"Don't retreat"
                + " slot's confirmed_flush LSN\") (the servers lack them; upgrade); replay files in " + out), summary.describe());
    }

    @Test
    void theSameViolationOnAMinorWithTheFixIsANewDefect() throws Exception {
        String recorded = Files.readString(recorded("stale-acknowledgement-on-17.5.jsonl"));
        RunSummary summary = summaryOf(Files.writeString(out.resolve("on-17.12.jsonl"), recorded.replace("PostgreSQL 17.5 on", "PostgreSQL 17.12 on")));

        assertEquals(ExitCode.VIOLATION, summary.exitCode());
        Map<?, ?> violation = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(Json.write(summary.toJson()))).get("violations")).get(0);
        assertEquals("violation", violation.get("classification"));
        assertTrue(!violation.containsKey("fixed_upstream"), violation.toString());
    }

    @Test
    void anInvariantOnlyANamedScenarioExercisesIsNotCountedAsNeverExercised() throws Exception {
        RunSummary summary = summaryOf(recorded("stale-acknowledgement-on-17.5.jsonl"));

        assertTrue(!summary.neverExercised().contains("dropped-database-takes-its-slots"),
                "campaigns drop no database: its one situation is not built, " + summary.neverExercised());
        assertTrue(summary.neverExercised().contains("worker-converges-when-quiet"), "one campaigns do exercise is still counted");
    }

    private RunSummary summaryOf(Path historyFile) throws Exception {
        History history = HistoryFormat.read(Files.readString(historyFile));
        RunSummary summary = new RunSummary(Clusters.embedded("17"), new Campaign.Settings(1, history.steps().size(), 1,
                CampaignProfile.named("default"), Duration.ofMinutes(1), Duration.ofMinutes(1), out));
        summary.add(new Campaign.SequenceResult(1, history, HistoryChecker.check(history, Invariants.all()), 0, historyFile,
                out.resolve("replay-sequence-001.json"), List.of(), 0, true, 0));
        summary.finish();
        return summary;
    }

    private static Path recorded(String name) throws Exception {
        return Path.of(RunSummaryTest.class.getResource("/recorded/" + name).toURI());
    }
}
