package io.slotcheck.scenarios;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.run.ConformanceSuite;
import io.slotcheck.harness.run.Generator;
import io.slotcheck.harness.run.SequenceRun;
import io.slotcheck.harness.run.StreamingSlots;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.VersionProfile;
import io.slotcheck.reports.AllureResults;
import io.slotcheck.reports.SequenceRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs named scenarios on a target, each on a fresh pair: {@code ./slotcheck suite}, and one at a time the JUnit suite,
 * through the same {@link #runOne}. A scenario passes when the model found no violation in any step and its own
 * assertions hold; one whose operations the target cannot undergo, or whose versions the server is not of, is not run.
 */
public final class Suite implements ConformanceSuite {

    static final String EPIC = "Named scenarios";

    /** How a scenario ended. */
    /** FIXED_UPSTREAM: it failed only by defects PostgreSQL fixed in a later minor than the servers' (a known defect of theirs). */
    public enum Verdict { PASSED, FAILED, FIXED_UPSTREAM, NOT_RUN }

    /**
     * One scenario's result.
     *
     * @param detail why it failed (the first violation, else the first assertion that did not hold) or was not run;
     *               empty when it passed
     * @param run    its history and the model's report, when it ran
     * @param server the version of the target's servers, when a pair was started
     */
    public record Result(NamedScenario scenario, Verdict verdict, String detail, Optional<ScenarioRun> run, Duration took,
                         Optional<VersionProfile> server) {
    }

    /** For {@link java.util.ServiceLoader}. */
    public Suite() {
    }

    @Override
    public List<String> ids() {
        return NamedScenarios.catalogue().stream().map(NamedScenario::id).toList();
    }

    @Override
    public ExitCode run(Target target, List<String> only, Path out, PrintStream progress) {
        List<NamedScenario> selected = NamedScenarios.catalogue().stream().filter(s -> only.isEmpty() || only.contains(s.id())).toList();
        AllureResults allure = new AllureResults(out.resolve("allure-results"));
        allure.addEnvironment(Map.of("target", target.describe(), "backend", target.backend()));
        allure.addEnvironment(AllureResults.machine());
        allure.writeExecutor(System.getenv());
        progress.printf("%s: %d scenarios, results in %s%n", suiteName(target), selected.size(), out);
        SuiteSummary summary = new SuiteSummary(target);
        // one target, one version: once a pair has shown it, a scenario not of that version starts no pair to learn it
        Optional<VersionProfile> server = Optional.empty();
        try (Pairs pairs = new Pairs(target)) {
            for (int index = 0; index < selected.size(); index++) {
                NamedScenario scenario = selected.get(index);
                Optional<VersionProfile> known = server;
                boolean another = selected.subList(index + 1, selected.size()).stream().anyMatch(later -> notRunnableBeforeAPair(later, target, known).isEmpty());
                server = runAndRecord(scenario, target, pairs.forScenario(another), server, out, allure, summary, progress);
            }
        }
        summary.finish();
        summary.write(out.resolve("summary.json"));
        progress.println(summary.describe());
        boolean withoutFailoverSlots = server.filter(profile -> !profile.hasFailoverSlots()).isPresent();
        summary.whyNothingRan().ifPresent(reason -> {
            throw new SlotcheckException(withoutFailoverSlots ? ExitCode.NO_FAILOVER_SLOTS : ExitCode.USAGE, "no scenario could run on "
                    + target.describe() + " (" + reason + "): choose a target of PostgreSQL 17 or later, or scenarios it can run (--only)");
        });
        progress.println("report: ./slotcheck report " + out);
        return summary.exitCode();
    }

    /** Runs {@code scenario} on a pair {@code pairs} gives, writes what it gave, and returns the servers' version as known after it. */
    private static Optional<VersionProfile> runAndRecord(NamedScenario scenario, Target target, Supplier<Cluster> pairs,
                                                         Optional<VersionProfile> server, Path out, AllureResults allure,
                                                         SuiteSummary summary, PrintStream progress) {
        String suite = suiteName(target);
        Path serverFiles = out.resolve("logs").resolve(scenario.id());
        Result result;
        try {
            result = runOne(target, scenario, serverFiles, server, pairs);
        } catch (RuntimeException e) {
            if (!Cluster.shuttingDown()) {
                allure.writeInfrastructureError(EPIC, scenario.title(), suite, scenario.title(), String.valueOf(e.getMessage()));
            }
            throw e;
        }
        result.run().ifPresent(run -> {
            Path historyFile = out.resolve("histories").resolve(scenario.id() + ".jsonl");
            write(historyFile, HistoryFormat.write(run.history()));
            allure.addEnvironment(Map.of("server_version", run.history().serverVersion()));
            boolean failed = result.verdict() == Verdict.FAILED || result.verdict() == Verdict.FIXED_UPSTREAM;
            allure.write(new SequenceRecord(EPIC, scenario.title(), suite, scenario.title(), run.history(), run.report(), null, historyFile,
                    failed ? serverFiles : null, false), failed ? Optional.of(result.detail()) : Optional.empty());
        });
        summary.add(result);
        summary.write(out.resolve("summary.json"));
        progress.println(progressLine(result));
        return server.or(result::server);
    }

    private static String suiteName(Target target) {
        return "named scenarios on " + target.describe();
    }

    /** Why {@code scenario} cannot run on {@code target}, as far as is known before a pair is started for it. */
    private static Optional<String> notRunnableBeforeAPair(NamedScenario scenario, Target target, Optional<VersionProfile> known) {
        return scenario.notRunnableWithout(target.operationsItCannotRun()).or(() -> known.flatMap(scenario::notApplyingTo));
    }

    /**
     * Runs {@code scenario} on a fresh pair of {@code target}, which is closed afterwards; the servers' logs and
     * configuration of a failed scenario are kept in {@code serverFiles}.
     */
    public static Result runOne(Target target, NamedScenario scenario, Path serverFiles) {
        return runOne(target, scenario, serverFiles, Optional.empty(), target::startPair);
    }

    /**
     * {@link #runOne(Target, NamedScenario, Path)}, the version of the target's servers {@code known} already, or not,
     * on a pair of {@code pairs}.
     */
    static Result runOne(Target target, NamedScenario scenario, Path serverFiles, Optional<VersionProfile> known, Supplier<Cluster> pairs) {
        long started = System.nanoTime();
        Optional<String> notRunnable = notRunnableBeforeAPair(scenario, target, known);
        if (notRunnable.isPresent()) {
            return new Result(scenario, Verdict.NOT_RUN, notRunnable.get(), Optional.empty(), since(started), known);
        }
        Cluster cluster = pairs.get();
        try {
            Optional<VersionProfile> server = known.or(() -> Optional.of(cluster.profile()));
            Optional<String> notApplying = scenario.notApplyingTo(server.get()).or(() -> unmetNeed(scenario, target, cluster));
            if (notApplying.isPresent()) {
                return new Result(scenario, Verdict.NOT_RUN, notApplying.get(), Optional.empty(), since(started), server);
            }
            ScenarioRun run;
            try (SequenceRun sequence = new SequenceRun(cluster, target.describe())) {
                StreamingSlots streamingSlots = StreamingSlots.of(cluster);
                operationsOn(target, scenario).stream().map(streamingSlots::naming).forEach(sequence::perform);
                run = new ScenarioRun(sequence.history(null), sequence.report());
            }
            Optional<String> failure = firstFailure(scenario, run);
            if (failure.isPresent()) {
                cluster.copyServerFilesTo(serverFiles);
                Verdict verdict = run.report().holds() || run.report().hasNewDefect() ? Verdict.FAILED : Verdict.FIXED_UPSTREAM;
                return new Result(scenario, verdict, failure.get(), Optional.of(run), since(started), server);
            }
            return new Result(scenario, Verdict.PASSED, "", Optional.of(run), since(started), server);
        } finally {
            cluster.close();
        }
    }

    /**
     * {@code scenario}'s operations as {@code target} runs them: where the sync worker cannot be woken (the servers'
     * processes are not slotcheck's to signal), its convergence is waited for as long as campaigns there wait for it.
     * (Settings naming a standby's slot by its node name are given the slot it streams through, per pair.)
     */
    static List<Operation> operationsOn(Target target, NamedScenario scenario) {
        int convergence = Generator.convergenceSeconds(!target.operationsItCannotRun().containsKey(Generator.SIGNAL_PROCESS));
        return scenario.operations().stream().map(operation -> operation instanceof Operation.AwaitConvergence await
                ? new Operation.AwaitConvergence(await.node(), Math.max(await.boundSeconds(), convergence)) : operation).toList();
    }

    /** Why {@code cluster} of {@code target} cannot give {@code scenario} what it needs, if it cannot. */
    private static Optional<String> unmetNeed(NamedScenario scenario, Target target, Cluster cluster) {
        return scenario.needs().stream().sorted().map(need -> switch (need) {
            case SERVER_LOGS -> cluster.unreadableLog().map(reason -> "needs the servers' logs, which slotcheck cannot read: " + reason);
            case REJOIN_KEEPING_DATA -> target.rejoinMayLoseData().map(reason -> "needs a rejoin that keeps the server's own slots: " + reason);
        }).flatMap(Optional::stream).findFirst();
    }

    /**
     * The first violation the model found in {@code run} (of a new defect, if one is), else the first of the scenario's
     * assertions that did not hold.
     */
    private static Optional<String> firstFailure(NamedScenario scenario, ScenarioRun run) {
        List<Finding> findings = run.report().findings();
        Optional<Finding> newDefect = findings.stream().filter(Finding::isNewDefect).findFirst();
        if (newDefect.isPresent()) {
            return Optional.of("VIOLATION " + newDefect.get());
        }
        if (!findings.isEmpty()) {
            return Optional.of("FIXED UPSTREAM " + findings.get(0));
        }
        try {
            scenario.verify().accept(run);
            return Optional.empty();
        } catch (AssertionError e) {
            return Optional.of(String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // an observation the assertions expected is missing: the scenario did not show what it is there to show
            return Optional.of(e.toString());
        }
    }

    /** {@code scenario manual-sync: passed (12 steps, 8.1 s)}. */
    static String progressLine(Result result) {
        String head = "scenario " + result.scenario().id() + ": ";
        if (result.verdict() == Verdict.NOT_RUN) {
            return head + "not run: " + result.detail();
        }
        String steps = String.format("(%d steps, %.1f s)", result.run().orElseThrow().history().steps().size(), result.took().toMillis() / 1000.0);
        return switch (result.verdict()) {
            case PASSED -> head + "passed " + steps;
            case FIXED_UPSTREAM -> head + "KNOWN DEFECT " + steps + ": " + result.detail();
            default -> head + "FAILED " + steps + ": " + result.detail();
        };
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Writes {@code content} to {@code file}, making its directory first. */
    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
