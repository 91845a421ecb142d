package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.cli.Main;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.junit.HeadlessChromium;
import io.slotcheck.harness.server.FileTrees;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign with one failing sequence (the lying test double of a primary) and conforming ones, its report made with
 * {@code ./slotcheck report}, and read in headless Chromium as a reader would: from the overview to the failing test,
 * its shrunk steps, replay command, diff and plot; and a passing test's steps. The run, its report and a screenshot
 * of the overview stay in {@code target/report-test/}.
 */
class CampaignReportTest {

    private static final Path RUN = Path.of("target", "report-test").toAbsolutePath();
    /** Three sequences of which the lie shows only in the one that creates a logical slot (see the assertion). */
    private static final long SEED = 3;

    @Test
    void aReaderFindsTheViolationItsShrunkStepsDiffPlotAndReplayFromTheOverview() throws Exception {
        FileTrees.delete(RUN);
        CampaignProfile writesAndRarelyASlot = new CampaignProfile("writes-and-rarely-a-slot",
                Map.of("write_transactions", 6, "checkpoint", 3, "create_logical_slot", 1));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        RunSummary summary = new Campaign(Clusters.embedded("17"), new Campaign.Settings(3, 6, SEED, writesAndRarelyASlot,
                Duration.ofMinutes(5), Duration.ofMinutes(1), RUN), new PrintStream(progress, true, StandardCharsets.UTF_8),
                LyingPrimary::retreatingConfirmedFlush).run();
        String printed = progress.toString(StandardCharsets.UTF_8);
        assertEquals(1, summary.violationCount(), "seed " + SEED + " must give one violating and two conforming sequences: " + printed);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("report", RUN.toString(), "--work-dir", WorkArea.defaultRoot().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCode.OK.code(), code, err.toString(StandardCharsets.UTF_8));
        Path index = RUN.resolve("allure-report/index.html");
        assertEquals(index.toString(), out.toString(StandardCharsets.UTF_8).strip(), "prints the path of index.html");

        HeadlessChromium chromium = HeadlessChromium.onPath(RUN);
        String url = index.toUri().toString();
        String overview = text(chromium.dom(url));
        assertTrue(overview.contains("3 test cases"), overview);
        assertTrue(overview.matches("(?s).*Conformance violation \\(product defect\\) 1\\b.*"), overview);
        chromium.screenshot(url, RUN.resolve("allure-report/overview.png"));

        String failing = only(leaves(chromium.dom(url + "#categories"), "categories"));
        String failingPage = chromium.dom(url + "#testresult/" + failing);
        String failingText = text(failingPage);
        assertTrue(failingText.contains("VIOLATION of primary-confirmed-flush-never-retreats"), failingText);
        assertTrue(failingText.matches("(?s).*shortest sequence found \\(2 of \\d+ operations\\).*"), failingText);
        assertTrue(failingText.contains("./slotcheck replay " + RUN.resolve("replay-sequence-")), failingText);
        Map<String, String> attachments = attachments(failingPage);
        assertTrue(attachments.keySet().containsAll(List.of("LSN timeline", "shrunk steps and replay command", "primary server log",
                "primary configuration", "standby1 server log")), attachments.toString());
        String diffName = attachments.keySet().stream().filter(n -> n.startsWith("model vs observed at step ")).findFirst().orElseThrow();

        String diff = new String(shownAttachment(chromium.dom(url + "#testresult/" + failing + "?attachment=" + attachments.get(diffName)),
                "text/html"), StandardCharsets.UTF_8);
        assertTrue(diff.contains("primary-confirmed-flush-never-retreats") && diff.contains("class=\"changed\""), diff);
        byte[] plot = shownAttachment(chromium.dom(url + "#testresult/" + failing + "?attachment=" + attachments.get("LSN timeline")),
                "image/png");
        assertEquals("PNG", new String(plot, 1, 3, StandardCharsets.US_ASCII));

        List<String> all = leaves(chromium.dom(url + "#suites"), "suites");
        assertEquals(3, all.size(), all.toString());
        String passing = all.stream().filter(uid -> !uid.equals(failing)).findFirst().orElseThrow();
        String passingText = text(chromium.dom(url + "#testresult/" + passing));
        assertTrue(passingText.contains("Passed") || passingText.contains("passed"), passingText);
        assertTrue(passingText.matches("(?s).*\\b1\\. (write_transactions|checkpoint|create_logical_slot) on .*"), passingText);
    }

    /** The uids of the tests listed in a tree page ({@code #categories}, {@code #suites}). */
    private static List<String> leaves(String dom, String tab) {
        Matcher leaf = Pattern.compile("href=\"#" + tab + "/[0-9a-f]+/([0-9a-f]+)/\"").matcher(dom);
        return leaf.results().map(m -> m.group(1)).distinct().toList();
    }

    /** Attachment name to uid, as the test result page lists them. */
    private static Map<String, String> attachments(String dom) {
        Map<String, String> attachments = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?s)class=\"attachment-row\" data-uid=\"([0-9a-f]+)\".*?attachment-row__name[^>]*>\\s*(.*?)\\s*</div>")
                .matcher(dom);
        while (row.find()) {
            attachments.put(row.group(2).replace("&amp;", "&"), row.group(1));
        }
        return attachments;
    }

    /** The content of the attachment the page shows in its modal (an iframe or image with a data: URL). */
    private static byte[] shownAttachment(String dom, String type) {
        Matcher data = Pattern.compile("class=\"modal__content\".*?src=\"data:" + Pattern.quote(type) + ";base64,([A-Za-z0-9+/=]+)\"",
                Pattern.DOTALL).matcher(dom);
        assertTrue(data.find(), "the page shows no " + type + " attachment");
        return Base64.getDecoder().decode(data.group(1));
    }

    private static String only(List<String> uids) {
        assertEquals(1, uids.size(), uids.toString());
        return uids.get(0);
    }

    /** The visible text of a DOM: scripts and styles dropped, tags as spaces, blanks collapsed. */
    private static String text(String dom) {
        String body = dom.substring(Math.max(0, dom.indexOf("<body")));
        return body.replaceAll("(?s)<script.*?</script>|<style.*?</style>", " ").replaceAll("<[^>]+>", " ").replace("&nbsp;", " ")
                .replace("&amp;", "&").replaceAll("\\s+", " ");
    }
}
