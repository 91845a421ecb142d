package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.model.HistoryChecker.Finding;

import io.slotcheck.model.history.Step;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code ./slotcheck replay FILE}: runs a failing sequence's operations again on a fresh cluster and says what happened;
 * when a violation shows, the servers' logs and configuration are copied to {@code logs}.
 */
public final class Replay {

    private Replay() {
    }

    /** Exit code 1 when a violation shows again (the same invariant or another), 0 when none does: a flaky reproduction. */
    public static int run(ReplayFile replay, Path logs, Target target, PrintStream out) {
        return run(replay, logs, target, out, UnaryOperator.identity());
    }

    /** A replay whose checker sees steps through {@code lens} (a test double of a lying server). */
    static int run(ReplayFile replay, Path logs, Target target, PrintStream out, UnaryOperator<Step> lens) {
        out.printf("replaying sequence %d of seed %d (%d operations) on %s; it violated %s at step %d%n", replay.sequence(), replay.seed(),
                replay.operations().size(), target.describe(), replay.invariant(), replay.step());
        Cluster cluster = target.startPair();
        try (SequenceRun run = new SequenceRun(cluster, target.describe(), lens)) {
            run.performUntilViolation(replay.operations());
            if (run.findings().isEmpty()) {
                out.println("did not reproduce: no invariant violated in " + replay.operations().size()
                        + " operations (the violation depends on timing, or this slotcheck's model no longer sees one there)");
                return ExitCode.OK.code();
            }
            cluster.copyServerFilesTo(logs);
            Finding finding = run.findings().get(0);
            boolean same = finding.invariant().name().equals(replay.invariant());
            out.println((same ? "reproduced: " : "a different violation: ") + finding);
            finding.violation().evidence().forEach(line -> out.println("    " + line));
            out.println("server logs: " + logs);
            return ExitCode.forViolations(List.of(finding)).code();
        } finally {
            cluster.close();
        }
    }
}
