package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.VersionProfile;
import io.slotcheck.reports.AllureResults;
import io.slotcheck.reports.SequenceRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A randomized campaign: sequences of operations drawn from one seed, each on a fresh primary/standby pair, every
 * step observed and checked against the model at once. A violation ends its sequence; its history, its servers' logs
 * and configuration ({@code logs/sequence-NNN/}) and a replay file are kept with the results. Every sequence is also a
 * test in the Allure results directory, from which {@code ./slotcheck report} makes the HTML report.
 */
public final class Campaign {

    /** The nodes every sequence starts with. */
    static final Map<String, Role> TOPOLOGY = Map.of("primary", Role.PRIMARY, "standby1", Role.STANDBY);

    /**
     * What to run: {@code sequences} × {@code steps}, from {@code seed}, until {@code timeBudget} is spent; each
     * violation is shrunk for at most {@code shrinkBudget}. Results go to {@code out}, the Allure results to
     * {@code allureResults}; {@code plotAll} attaches the LSN timeline to conforming sequences too; of the sequences,
     * {@code shard}'s are run.
     */
    public record Settings(int sequences, int steps, long seed, CampaignProfile profile, Duration timeBudget, Duration shrinkBudget,
                           Path out, Path allureResults, boolean plotAll, Shard shard) {

        /** Settings of the whole campaign whose Allure results go to {@code out/allure-results}, with plots of violations only. */
        public Settings(int sequences, int steps, long seed, CampaignProfile profile, Duration timeBudget, Duration shrinkBudget, Path out) {
            this(sequences, steps, seed, profile, timeBudget, shrinkBudget, out, out.resolve("allure-results"), false, Shard.WHOLE);
        }
    }

    /** The nodes a sequence starts with, and the physical slot each standby streams through: what its operations are drawn for. */
    private record Layout(Map<String, Role> topology, StreamingSlots streamingSlots) {

        static Layout of(Cluster cluster) {
            Map<String, Role> topology = new LinkedHashMap<>();
            cluster.nodes().forEach(node -> topology.put(node.name(), node == cluster.primary() ? Role.PRIMARY : Role.STANDBY));
            return new Layout(topology, StreamingSlots.of(cluster));
        }
    }

    /** The seed of sequence {@code index}: derived from the campaign's, so a replay needs only the campaign seed and index. */
    static long sequenceSeed(long campaignSeed, int index) {
        return campaignSeed * 0x9E3779B97F4A7C15L + index;
    }

    private final Target target;
    private final Settings settings;
    private final PrintStream progress;
    private final Supplier<UnaryOperator<Step>> lenses;
    /** The profile as the target can run it. */
    private final CampaignProfile drawn;
    /** The situations the campaign's directions went for so far, which decide the directions of the next sequence. */
    private final DirectedSteps.Ledger ledger;
    /** When the campaign began ({@link System#nanoTime()}): violations say how long after it they were found. */
    private long started;
    /** The layout of the target's clusters, once one was seen: every sequence of the target starts from it. */
    private Layout layout;

    public Campaign(Target target, Settings settings, PrintStream progress) {
        this(target, settings, progress, UnaryOperator::identity, Set.of());
    }

    /**
     * A campaign whose checker sees each cluster's steps through a new lens from {@code lenses} (a test double
     * of a lying server).
     */
    Campaign(Target target, Settings settings, PrintStream progress, Supplier<UnaryOperator<Step>> lenses) {
        this(target, settings, progress, lenses, Set.of());
    }

    /** Such a campaign whose sequences take the directions that build the situations {@code focus} names first. */
    Campaign(Target target, Settings settings, PrintStream progress, Supplier<UnaryOperator<Step>> lenses, Set<String> focus) {
        this.target = target;
        this.settings = settings;
        this.progress = progress;
        this.lenses = lenses;
        this.drawn = settings.profile().forSlotSync(target.slotSync()).without(target.operationsItCannotRun());
        this.ledger = new DirectedSteps.Ledger(drawn.slotSync(), settings.seed(), focus);
    }

    public RunSummary run() {
        return run(false);
    }

    /** The campaign, ended by its first violating sequence (once shrunk): how soon a campaign catches a broken server. */
    RunSummary runUntilFirstViolation() {
        return run(true);
    }

    private RunSummary run(boolean untilFirstViolation) {
        started = System.nanoTime();
        RunSummary summary = new RunSummary(target, settings);
        createDirectories(settings.out().resolve("histories"));
        AllureResults allure = new AllureResults(settings.allureResults());
        allure.addEnvironment(Map.of("target", target.describe(), "backend", target.backend(), "seed", Long.toString(settings.seed()),
                "profile", settings.profile().name()));
        allure.addEnvironment(AllureResults.machine());
        allure.writeExecutor(System.getenv());
        long deadline = System.nanoTime() + settings.timeBudget().toNanos();
        for (int index = 1; index <= settings.sequences() && System.nanoTime() < deadline
                && !(untilFirstViolation && summary.violationCount() > 0); index++) {
            if (!settings.shard().runs(index)) {
                drawWithoutRunning(index);
                continue;
            }
            long started = System.nanoTime();
            SequenceResult result;
            try {
                result = runSequence(index);
            } catch (RuntimeException e) {
                if (!Cluster.shuttingDown()) {
                    allure.writeInfrastructureError(EPIC, feature(), suite(), sequenceName(index), String.valueOf(e.getMessage()));
                }
                throw e;
            }
            if (index == settings.shard().index()) {
                allure.addEnvironment(Map.of("server_version", result.history().serverVersion()));
            }
            allure.write(record(index, result));
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

    static final String EPIC = "Randomized campaigns";

    private String feature() {
        return "profile " + settings.profile().name();
    }

    private String suite() {
        return "campaign seed " + settings.seed() + " (" + settings.profile().name() + ") on " + target.describe();
    }

    /** Where a violating sequence's server logs and configuration are kept. */
    private Path serverFilesOf(int index) {
        return settings.out().resolve("logs").resolve(String.format("sequence-%03d", index));
    }

    private static String sequenceName(int index) {
        return String.format("sequence %03d", index);
    }

    private SequenceRecord record(int index, SequenceResult result) {
        boolean violated = result.replayFile() != null;
        SequenceRecord.Reproduction reproduction = violated
                ? new SequenceRecord.Reproduction(result.reproduced(), result.shrunk(), "./slotcheck replay " + result.replayFile()) : null;
        return new SequenceRecord(EPIC, feature(), suite(), sequenceName(index), result.history(), result.report(), reproduction,
                result.historyFile(), violated ? serverFilesOf(index) : null, settings.plotAll());
    }

    /**
     * One sequence of the campaign, on a fresh pair. {@code replay} is the replay file of its violation (null when it
     * conformed), {@code shrunk} the shortest operation list found that still violates, {@code reproduced} whether the
     * violation showed again on a fresh cluster (if not, it is flaky, not a product violation).
     */
    public record SequenceResult(int index, History history, HistoryChecker.Report report, long checkMillis, Path historyFile,
                                 Path replayFile, List<Operation> shrunk, long shrinkMillis, boolean reproduced, long foundAfterMillis) {
    }

    /**
     * A server without failover slots (PostgreSQL 16 and earlier) gives nothing to check: every slot operation fails and
     * no invariant applies, so a run there is refused before its first operation instead of ending "conformant".
     */
    private static void refuseWithoutFailoverSlots(Target target, Cluster cluster) {
        VersionProfile profile = cluster.profile();
        if (profile.withoutFailoverSlots().isPresent()) {
            cluster.close();
            throw new SlotcheckException(ExitCode.NO_FAILOVER_SLOTS, target.describe() + " has no failover slots (" + profile
                    + "; they came with PostgreSQL 17): there is nothing to check; choose a target of 17 or later (--target 17),"
                    + " or an installation with the pg_failover_slots extension (--pg-home)");
        }
    }

    private SequenceResult runSequence(int index) {
        History history;
        HistoryChecker.Report report;
        long checkMillis;
        List<Finding> findings;
        Path historyFile = settings.out().resolve("histories").resolve(String.format("sequence-%03d.jsonl", index));
        Cluster cluster = target.startPair();
        if (index == settings.shard().index()) {
            refuseWithoutFailoverSlots(target, cluster);
        }
        // the pair, or the primary and standbys of an external cluster, each standby with the slot it streams through
        Map<String, Role> topology;
        try (SequenceRun run = new SequenceRun(cluster, target.describe(), lenses.get())) {
            layout = Layout.of(cluster);
            topology = layout.topology();
            Generator generator = generator(index, layout);
            List<Operation> steps = draw(generator);
            run.performUntilViolation(steps);
            // every fault is healed before the sequence ends, and the healthy cluster must then converge
            run.performUntilViolation(generator.healing());
            run.performUntilViolation(generator.convergence());
            history = run.history(settings.seed());
            report = run.report();
            checkMillis = run.checkMillis();
            findings = run.findings();
            // written before the cluster is closed, which can fail (an external cluster that cannot be tidied): kept either way
            write(historyFile, HistoryFormat.write(history));
            if (!findings.isEmpty()) {
                cluster.copyServerFilesTo(serverFilesOf(index));
                findings.forEach(finding -> progress.println("  VIOLATION " + finding));
            }
        } finally {
            cluster.close();
        }
        if (findings.isEmpty()) {
            return new SequenceResult(index, history, report, checkMillis, historyFile, null, List.of(), 0, false, 0);
        }
        long foundAfterMillis = (System.nanoTime() - started) / 1_000_000;
        String invariant = findings.get(0).invariant().name();
        List<Operation> failing = history.steps().stream().map(Step::operation).toList();
        Shrinker.Trial trial = operations -> SequenceRun.violates(target, operations, invariant, lenses.get());
        boolean reproduced = trial.violates(failing);
        long shrinkStarted = System.nanoTime();
        List<Operation> shrunk = reproduced ? Shrinker.shrink(failing, ModelState.of(topology), trial, settings.shrinkBudget()) : failing;
        long shrinkMillis = (System.nanoTime() - shrinkStarted) / 1_000_000;
        progress.printf("  %s; %d of %d operations still violate %s (shrunk in %.1f s)%n",
                reproduced ? "reproduced on a fresh cluster" : "did NOT reproduce (flaky)", shrunk.size(), failing.size(), invariant,
                shrinkMillis / 1000.0);
        Path replayFile = settings.out().resolve(String.format("replay-sequence-%03d.json", index));
        write(replayFile, new ReplayFile(target.selection(), settings.seed(), index, invariant, findings.get(0).step(), shrunk).toJson());
        return new SequenceResult(index, history, report, checkMillis, historyFile, replayFile, shrunk, shrinkMillis, reproduced,
                foundAfterMillis);
    }

    private Generator generator(int index, Layout of) {
        return new Generator(sequenceSeed(settings.seed(), index), drawn, ModelState.of(of.topology()), of.streamingSlots(),
                drawn.directed() ? ledger.forSequence(index) : List.of(), settings.steps());
    }

    /**
     * The sequence's operations, drawn whole before it runs, so that what the next sequence is directed to depends on the
     * seed alone: the directions it began go into the ledger.
     */
    private List<Operation> draw(Generator generator) {
        List<Operation> steps = Stream.generate(generator::next).limit(settings.steps()).toList();
        ledger.record(generator.directionsBegun());
        return steps;
    }

    /**
     * A sequence another shard runs, drawn here all the same, for the directions of this shard's later sequences. The
     * layout is that of a cluster of the target, one started for it if none ran yet.
     */
    private void drawWithoutRunning(int index) {
        if (layout == null) {
            try (Cluster cluster = target.startPair()) {
                refuseWithoutFailoverSlots(target, cluster);
                layout = Layout.of(cluster);
            }
        }
        draw(generator(index, layout));
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
