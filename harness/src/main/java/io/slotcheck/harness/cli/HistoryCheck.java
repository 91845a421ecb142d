package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.HistoryChecker.Report;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.invariant.Invariants;
import io.slotcheck.model.version.VersionProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code ./slotcheck check FILE}: the offline checker. Same verdicts as during the run, from the file alone. */
final class HistoryCheck {

    private HistoryCheck() {
    }

    static int run(List<String> arguments, PrintStream out) {
        if (arguments.size() != 1 || arguments.get(0).startsWith("--")) {
            throw Options.usage("check takes one history file");
        }
        Path file = Path.of(arguments.get(0));
        History history = read(file);
        VersionProfile profile = profile(file, history);
        profile.withoutFailoverSlots().ifPresent(reason -> {
            throw new SlotcheckException(ExitCode.HISTORY, file + ": " + reason);
        });
        Report report = HistoryChecker.check(history, Invariants.all());
        out.printf("history %s: %s, %s, %d steps%n", file, history.target(), profile, history.steps().size());
        out.printf("%-52s %7s  %s%n", "invariant", "checks", "verdict");
        report.exercised().forEach((invariant, checks) -> out.printf("%-52s %7d  %s%n", invariant, checks, verdict(report, invariant, checks)));
        report.notApplying().forEach(invariant -> out.printf("%-52s %7s  %s%n", invariant, "-", "not made by " + profile));
        out.println();
        out.printf("%-52s %7s  %s%n", "situation (where a broken server would show it)", "steps", "");
        report.situations().forEach((situation, steps) -> out.printf("%-52s %7d  %s%n", situation, steps, steps == 0 ? "never reached" : "reached"));
        for (Finding finding : report.findings()) {
            out.println();
            out.println(finding);
            finding.violation().evidence().forEach(line -> out.println("    " + line));
        }
        out.println();
        long fixedUpstream = report.findings().stream().filter(finding -> !finding.isNewDefect()).count();
        out.println(report.holds() ? "holds: no invariant violated" : report.findings().size() + " violation(s)"
                + (fixedUpstream == 0 ? "" : ", " + fixedUpstream + " of them of defects fixed upstream after " + profile));
        return ExitCode.forViolations(report.findings()).code();
    }

    private static String verdict(Report report, String invariant, int checks) {
        Optional<Finding> violated = report.findings().stream().filter(f -> f.invariant().name().equals(invariant)).findFirst();
        if (violated.isPresent()) {
            return violated.get().fixedUpstream().map(fix -> "VIOLATED, " + fix.describe()).orElse("VIOLATED");
        }
        return checks == 0 ? "never exercised" : "holds";
    }

    private static History read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.HISTORY, "cannot read history file " + file + " (" + reason(e)
                    + "): give the path of a .jsonl history written by slotcheck");
        }
        try {
            return HistoryFormat.read(text);
        } catch (HistoryFormat.HistoryFormatException e) {
            throw new SlotcheckException(ExitCode.HISTORY, file + " is not a readable slotcheck history: " + e.getMessage());
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    private static VersionProfile profile(Path file, History history) {
        try {
            return VersionProfile.of(String.valueOf(history.serverVersion()), history.slotSync());
        } catch (IllegalArgumentException e) {
            throw new SlotcheckException(ExitCode.HISTORY, file + ": line 1: server_version " + e.getMessage()
                    + "; the header must carry the target's SELECT version()");
        }
    }
}
