package io.slotcheck.harness.run;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.observe.HistoryRecorder;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.Role;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A randomized campaign: sequences of operations drawn from one seed, each on a fresh primary/standby pair, every
 * step observed and checked against the model at once. A violation ends its sequence; its history, its servers'
 * files and a replay file are kept.
 */
public final class Campaign {

    /** The nodes every sequence starts with. */
    static final Map<String, Role> TOPOLOGY = Map.of("primary", Role.PRIMARY, "standby1", Role.STANDBY);

    /** What to run: {@code sequences} × {@code steps}, from {@code seed}, until {@code timeBudget} is spent. */
    public record Settings(int sequences, int steps, long seed, CampaignProfile profile, Duration timeBudget, Path out) {
    }

    /** The seed of sequence {@code index}: derived from the campaign's, so a replay needs only the campaign seed and index. */
    static long sequenceSeed(long campaignSeed, int index) {
        return campaignSeed * 0x9E3779B97F4A7C15L + index;
    }

    private final Target target;
    private final Settings settings;
    private final PrintStream progress;

    public Campaign(Target target, Settings settings, PrintStream progress) {
        this.target = target;
        this.settings = settings;
        this.progress = progress;
    }

    public RunSummary run() {
        RunSummary summary = new RunSummary(target, settings);
        createDirectories(settings.out().resolve("histories"));
        long deadline = System.nanoTime() + settings.timeBudget().toNanos();
        for (int index = 1; index <= settings.sequences() && System.nanoTime() < deadline; index++) {
            long started = System.nanoTime();
            SequenceResult result = runSequence(index);
            summary.add(result);
            summary.write(settings.out().resolve("summary.json"));
            double seconds = (System.nanoTime() - started) / 1e9;
            progress.printf("sequence %d/%d: %d steps, %.1f steps/s, violations so far: %d%n", index, settings.sequences(),
                    result.history().steps().size(), result.history().steps().size() / seconds, summary.violationCount());
        }
        summary.finish();
        summary.write(settings.out().resolve("summary.json"));
        return summary;
    }

    /** One sequence of the campaign, on a fresh pair. */
    public record SequenceResult(int index, History history, HistoryChecker.Report report, Path historyFile, Path replayFile) {
    }

    private SequenceResult runSequence(int index) {
        Generator generator = new Generator(sequenceSeed(settings.seed(), index), settings.profile(), ModelState.of(TOPOLOGY));
        Cluster cluster = target.startPair();
        try {
            SequenceRun run = new SequenceRun(cluster, target);
            for (int step = 1; step <= settings.steps() && run.findings().isEmpty(); step++) {
                run.perform(generator.next());
            }
            History history = run.recorder().history(settings.seed());
            Path historyFile = settings.out().resolve("histories").resolve(String.format("sequence-%03d.jsonl", index));
            write(historyFile, HistoryFormat.write(history));
            Path replayFile = null;
            if (!run.findings().isEmpty()) {
                cluster.keepFiles();
                replayFile = settings.out().resolve(String.format("replay-sequence-%03d.json", index));
                write(replayFile, ReplayFile.of(target, settings.seed(), index, history, run.findings().get(0)).toJson());
                run.findings().forEach(finding -> progress.println("  VIOLATION " + finding));
            }
            return new SequenceResult(index, history, run.report(), historyFile, replayFile);
        } finally {
            cluster.close();
        }
    }

    /** Performs and checks operations on one cluster; shared by campaigns and replays. */
    static final class SequenceRun {
        private final OperationExecutor executor;
        private final HistoryRecorder recorder;
        private final HistoryChecker.Session session;
        private final List<Finding> findings = new ArrayList<>();

        SequenceRun(Cluster cluster, Target target) {
            executor = new OperationExecutor(cluster);
            executor.setUp();
            recorder = new HistoryRecorder(cluster, target.describe());
            session = new HistoryChecker.Session(cluster.primary().queryValue("SELECT version()"), Invariants.all());
        }

        Outcome perform(Operation operation) {
            Outcome outcome = recorder.step(operation, () -> executor.execute(operation));
            List<Step> steps = recorder.steps();
            findings.addAll(session.add(steps.get(steps.size() - 1)));
            return outcome;
        }

        List<Finding> findings() {
            return findings;
        }

        HistoryRecorder recorder() {
            return recorder;
        }

        HistoryChecker.Report report() {
            return session.report();
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
