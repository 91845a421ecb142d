package io.slotcheck.reports;

import io.qameta.allure.model.Link;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import io.slotcheck.model.readiness.CopyVerdict;
import io.slotcheck.model.readiness.Finding;
import io.slotcheck.model.readiness.Readiness;
import io.slotcheck.model.readiness.Rule;
import io.slotcheck.model.readiness.Unread;

import java.util.List;

/**
 * {@code ./slotcheck doctor --allure DIR}: the readiness of one cluster as Allure results a release report can carry.
 * One test per failover slot on each standby (passed: it survives a promotion now) and one per {@link Rule} (failed
 * when a finding of it blocks a failover or loses data; passed otherwise, what it found in its description).
 */
public final class ReadinessResults {

    static final String EPIC = "Failover readiness";

    private ReadinessResults() {
    }

    /** Writes the results of {@code assessment}, of the cluster whose primary is {@code cluster} (host:port). */
    public static void write(AllureResults results, Readiness.Assessment assessment, String cluster) {
        long now = System.currentTimeMillis();
        String suite = "doctor " + cluster;
        for (CopyVerdict copy : assessment.copies()) {
            TestResult result = AllureResults.newTest("failover slots", suite, copy.slot() + " on " + copy.standby())
                    .setDescription("The slot's confirmed_flush_lsn " + copy.slotPosition() + "; its copy's "
                            + (copy.copyPosition() == null ? "none" : copy.copyPosition() + " (" + copy.bytesBehind() + " bytes behind)") + ".");
            result.setStatus(copy.survives() ? Status.PASSED : Status.FAILED);
            if (!copy.survives()) {
                result.setStatusDetails(new StatusDetails().setMessage("NOT READY: a promotion of " + copy.standby() + " now loses "
                        + copy.slot() + ": " + String.join("; ", copy.reasons())));
            }
            finish(results, result, now);
        }
        for (Rule rule : Rule.values()) {
            List<Finding> found = assessment.findings().stream().filter(finding -> finding.rule() == rule).toList();
            TestResult result = AllureResults.newTest("rules", suite, rule.id()).setDescription(describe(rule, found, assessment.unread()));
            result.getLinks().add(new Link().setName(rule.basis()).setType("spec"));
            boolean blocking = found.stream().anyMatch(finding -> finding.severity().notReady());
            result.setStatus(blocking ? Status.FAILED : Status.PASSED);
            if (blocking) {
                Finding worst = found.get(0);
                result.setStatusDetails(new StatusDetails().setMessage("NOT READY: " + worst.node() + ": " + worst.problem())
                        .setTrace(String.join("\n", worst.evidence()) + "\nfix: " + worst.fix()));
            }
            finish(results, result, now);
        }
    }

    private static void finish(AllureResults results, TestResult result, long now) {
        result.getLabels().addAll(List.of(AllureResults.label("epic", EPIC), AllureResults.label("feature", "doctor")));
        results.write(result.setStart(now).setStop(now));
    }

    private static String describe(Rule rule, List<Finding> found, List<Unread> unread) {
        StringBuilder text = new StringBuilder(rule.guarantee()).append(" (").append(rule.basis()).append(").");
        for (Finding finding : found) {
            text.append("\n\n").append(finding.severity().label().toUpperCase()).append(" on ").append(finding.node()).append(": ")
                    .append(finding.problem()).append("\n").append(String.join("\n", finding.evidence())).append("\nfix: ").append(finding.fix());
        }
        if (found.isEmpty() && !unread.isEmpty()) {
            text.append("\n\nNot read, so not judged: ").append(String.join("; ", unread.stream()
                    .map(what -> what.node() + " " + what.what() + " (" + what.why() + ")").toList()));
        }
        return text.toString();
    }
}
