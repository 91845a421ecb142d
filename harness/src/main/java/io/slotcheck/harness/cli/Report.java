package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.reports.ReportGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./slotcheck report [DIR]}: the HTML report of a run's Allure results, made offline; prints the path of its
 * {@code index.html}. DIR is a run's results directory (or an Allure results directory such as
 * {@code target/allure-results} of {@code mvn verify}); by default the newest run under {@code slotcheck-results/}.
 */
final class Report {

    static final Path RUNS = Path.of("slotcheck-results");

    private Report() {
    }

    static int run(List<String> arguments, PrintStream out) {
        boolean named = !arguments.isEmpty() && !arguments.get(0).startsWith("--");
        Options options = Options.parse(named ? arguments.subList(1, arguments.size()) : arguments, Set.of("--history-from", "--work-dir"));
        Path results = resultsIn(named ? Path.of(arguments.get(0)) : newestRun());
        Path report = results.resolveSibling("allure-report");
        Path zip = ReportGenerator.commandlineZip(EmbeddedBinaries.localRepository());
        if (!Files.isRegularFile(zip)) {
            throw new SlotcheckException(ExitCode.REPORT, "Allure's report generator is not in the local Maven repository (" + zip
                    + "): run mvn -B package once, it resolves it");
        }
        if (options.historyFrom != null && !Files.isDirectory(options.historyFrom.resolve("history"))) {
            throw new SlotcheckException(ExitCode.REPORT, options.historyFrom + " is not a report with a history/ directory: name the"
                    + " allure-report directory of the previous run");
        }
        Path tools = WorkArea.open(options.workDirectory, ServerAccount.forCurrentProcess()).root().resolve("allure");
        try {
            Files.createDirectories(tools);
            Path index = new ReportGenerator(ReportGenerator.unpackOnce(zip, tools)).generate(results, report, options.historyFrom);
            out.println(index.toAbsolutePath().normalize());
            return ExitCode.OK.code();
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.REPORT, "could not make the report of " + results + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while making the report");
        }
    }

    /** The Allure results of {@code directory}: its {@code allure-results/}, or itself when it holds results. */
    private static Path resultsIn(Path directory) {
        Path results = Files.isDirectory(directory.resolve("allure-results")) ? directory.resolve("allure-results") : directory;
        try (Stream<Path> files = Files.list(results)) {
            if (files.noneMatch(file -> file.getFileName().toString().endsWith("-result.json"))) {
                throw noResults(directory);
            }
        } catch (IOException e) {
            throw noResults(directory);
        }
        return results;
    }

    private static Path newestRun() {
        Optional<Path> newest = Optional.empty();
        if (Files.isDirectory(RUNS)) {
            try (Stream<Path> runs = Files.list(RUNS)) {
                newest = runs.filter(run -> Files.isDirectory(run.resolve("allure-results")))
                        .max(Comparator.comparing(run -> run.resolve("allure-results").toFile().lastModified()));
            } catch (IOException e) {
                throw noResults(RUNS);
            }
        }
        return newest.orElseThrow(() -> new SlotcheckException(ExitCode.REPORT, "no run under " + RUNS.toAbsolutePath()
                + ": run ./slotcheck run first, or name a results directory (./slotcheck report DIR)"));
    }

    private static SlotcheckException noResults(Path directory) {
        return new SlotcheckException(ExitCode.REPORT, "no Allure results in " + directory + ": name a directory written by"
                + " ./slotcheck run (or target/allure-results after mvn verify)");
    }
}
