package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.run.ShrinkBenchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code ./slotcheck bench}: how fast a primary/standby pair comes up and goes away, and how much memory its
 * servers take; with {@code --shrink}, how long shrinking a 25-step sequence takes. Figures, not assertions: the
 * template is built before the first timed run.
 */
final class Bench {

    private record Run(Cluster.StartupTimings startup, Duration close, long rssPeakKb, long pssKb) {
    }

    private Bench() {
    }

    static int run(Options options, PrintStream out) {
        if (options.external != null) {
            throw Options.usage("bench times pairs slotcheck makes: leave out --external");
        }
        Target target = options.target();
        target.prepare();
        if (options.shrink) {
            return shrink(target, options, out);
        }
        List<Run> runs = measure(target, options.runs);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("target", target.describe());
        figures.put("runs", runs.size());
        phase(figures, "data_directories", runs, r -> r.startup().dataDirectories());
        phase(figures, "primary_start", runs, r -> r.startup().primaryStart());
        phase(figures, "standby_ready", runs, r -> r.startup().standbyReady());
        phase(figures, "pair_ready", runs, r -> r.startup().total());
        phase(figures, "close", runs, Run::close);
        figures.put("server_rss_peak_mb", round(runs.stream().mapToLong(Run::rssPeakKb).max().orElse(0) / 1024.0));
        figures.put("server_pss_mb_median", round(median(runs.stream().map(r -> (double) r.pssKb() / 1024).toList())));
        Optional<Target> local = target.localCounterpart();
        if (local.isPresent()) {
            // the same binaries as local processes, measured the same way, for comparison
            local.get().prepare();
            List<Run> localRuns = measure(local.get(), options.runs);
            phase(figures, "local_pair_ready", localRuns, r -> r.startup().total());
            phase(figures, "local_close", localRuns, Run::close);
        }
        out.println(options.json ? json(figures) : table(target, figures));
        return ExitCode.OK.code();
    }

    /** Starts and closes {@code count} pairs of {@code target}, with their timings and the servers' memory. */
    private static List<Run> measure(Target target, int count) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Cluster cluster = target.startPair();
            long rss;
            long pss;
            try {
                rss = sum(cluster, "status", "VmHWM:");
                pss = sum(cluster, "smaps_rollup", "Pss:");
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            long closeStart = System.nanoTime();
            cluster.close();
            runs.add(new Run(cluster.startupTimings(), Duration.ofNanos(System.nanoTime() - closeStart), rss, pss));
        }
        return runs;
    }

    /** How long a violation in a 25-step sequence takes to shrink (a lying test double of a primary provides it). */
    private static int shrink(Target target, Options options, PrintStream out) {
        ShrinkBenchmark.Figures shrunk = ShrinkBenchmark.measure(target, options.seed != null ? options.seed : 1,
                options.shrinkBudget(Duration.ofMinutes(2)));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("target", target.describe());
        figures.put("original_steps", shrunk.originalSteps());
        figures.put("shrunk_steps", shrunk.shrunkSteps());
        figures.put("trials", shrunk.trials());
        figures.put("shrink_s", round(shrunk.shrink().toMillis() / 1000.0));
        out.println(options.json ? json(figures) : String.format("%s: a violation at step %d of %d shrunk to %d steps in %.1f s (%d trial runs"
                + " on fresh pairs)", target.describe(), shrunk.originalSteps(), shrunk.originalSteps(), shrunk.shrunkSteps(),
                shrunk.shrink().toMillis() / 1000.0, shrunk.trials()));
        return ExitCode.OK.code();
    }

    private static void phase(Map<String, Object> figures, String name, List<Run> runs, Function<Run, Duration> phase) {
        List<Double> millis = runs.stream().map(r -> phase.apply(r).toNanos() / 1e6).toList();
        figures.put(name + "_ms_median", round(median(millis)));
        figures.put(name + "_ms_max", round(Collections.max(millis)));
    }

    /** Sums a /proc figure over every server process of the cluster (VmHWM: each process's peak resident set). */
    private static long sum(Cluster cluster, String file, String field) {
        long total = 0;
        for (Node node : cluster.nodes()) {
            for (long pid : node.serverPids()) {
                // a process that exited meanwhile (a short-lived backend) holds no memory now
                for (String line : node.processFile(pid, file).map(text -> text.lines().toList()).orElse(List.of())) {
                    if (line.startsWith(field)) {
                        total += Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                    }
                }
            }
        }
        return total;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String json(Map<String, Object> figures) {
        List<String> entries = new ArrayList<>();
        figures.forEach((k, v) -> entries.add("\"" + k + "\": " + (v instanceof String s ? "\"" + s + "\"" : v)));
        return "{" + String.join(", ", entries) + "}";
    }

    private static String table(Target target, Map<String, Object> figures) {
        StringBuilder text = new StringBuilder(target.describe() + ", " + figures.get("runs") + " runs\n");
        text.append(String.format("%-16s %10s %10s%n", "phase", "median ms", "max ms"));
        for (String phase : List.of("data_directories", "primary_start", "standby_ready", "pair_ready", "close")) {
            text.append(String.format("%-16s %10s %10s%n", phase.replace('_', ' '), figures.get(phase + "_ms_median"), figures.get(phase + "_ms_max")));
        }
        if (figures.containsKey("local_pair_ready_ms_median")) {
            text.append(String.format("%-16s %10s %10s%n", "local pair ready", figures.get("local_pair_ready_ms_median"),
                    figures.get("local_pair_ready_ms_max")));
            text.append(String.format("%-16s %10s %10s%n", "local close", figures.get("local_close_ms_median"), figures.get("local_close_ms_max")));
        }
        text.append("server memory: peak RSS ").append(figures.get("server_rss_peak_mb")).append(" MB (sum over processes, shared pages counted"
                + " in each), PSS ").append(figures.get("server_pss_mb_median")).append(" MB (median)");
        return text.toString();
    }
}
