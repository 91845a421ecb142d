package io.slotcheck.reports;

import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.hazard.KnownBehaviour;
import io.slotcheck.model.history.History;

import java.util.List;
import java.util.Map;

import static io.slotcheck.reports.ViolationDiff.escape;

/** The description of a sequence's test result: what ran, what held, and for a violation how to reproduce it. */
final class Description {

    private Description() {
    }

    static String summary(SequenceRecord sequence) {
        History history = sequence.history();
        HistoryChecker.Report report = sequence.report();
        StringBuilder html = new StringBuilder("<p><b>").append(escape(history.target())).append("</b>: ")
                .append(escape(history.serverVersion())).append("<br>")
                .append(history.seed() == null ? "named scenario" : "seed " + history.seed()).append(", ")
                .append(history.steps().size()).append(" steps</p>");
        html.append("<p>invariants checked (non-trivial checks): ");
        html.append(String.join(", ", report.exercised().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> escape(e.getKey()) + " " + e.getValue()).toList()));
        List<String> never = report.neverExercised();
        if (!never.isEmpty()) {
            html.append("<br>not exercised by this sequence: ").append(escape(String.join(", ", never)));
        }
        if (!report.notApplying().isEmpty()) {
            html.append("<br>not made by this version: ").append(escape(String.join(", ", report.notApplying())));
        }
        html.append("</p><p>situations reached (steps), where a broken server would show a violation: ");
        html.append(escape(String.join(", ", report.situations().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).toList())));
        return html.append("</p>").toString();
    }

    static String violation(SequenceRecord sequence, Finding first) {
        StringBuilder html = new StringBuilder("<h3>Violated: ").append(escape(first.invariant().name())).append(" at step ")
                .append(first.step()).append("</h3><p>").append(escape(first.invariant().guarantee())).append("<br><i>If it breaks: ")
                .append(escape(first.invariant().consequence().effect())).append(".</i></p><p>").append(escape(first.violation().explanation()))
                .append("</p><ul>");
        first.violation().evidence().forEach(line -> html.append("<li><code>").append(escape(line)).append("</code></li>"));
        html.append("</ul>");
        first.fixedUpstream().ifPresent(missing -> html.append("<p><b>A known defect of this minor</b>, ").append(escape(missing.describe()))
                .append(": this server lacks that fix. Release notes: <a href=\"").append(missing.release().releaseNotes()).append("\">")
                .append(escape(missing.release().releaseNotes())).append("</a></p>"));
        if (sequence.reproduction() != null) {
            SequenceRecord.Reproduction reproduction = sequence.reproduction();
            html.append("<p>").append(reproduction.reproduced() ? "Reproduced on a fresh cluster; shortest sequence found ("
                    + reproduction.shrunk().size() + " of " + sequence.history().steps().size() + " operations):"
                    : "Did <b>not</b> reproduce on a fresh cluster (flaky); the operations:").append("</p><pre>")
                    .append(escape(Steps.listing(reproduction.shrunk()))).append("</pre><p>Replay: <code>")
                    .append(escape(reproduction.replayCommand())).append("</code></p>");
        }
        return html.toString();
    }

    static String reproduction(SequenceRecord.Reproduction reproduction) {
        return (reproduction.reproduced() ? "reproduced on a fresh cluster" : "did NOT reproduce on a fresh cluster (flaky)")
                + "\n\nshortest failing sequence (" + reproduction.shrunk().size() + " operations):\n" + Steps.listing(reproduction.shrunk())
                + "\nreplay: " + reproduction.replayCommand() + "\n";
    }

    static String knownBehaviours(List<KnownBehaviour.Sighting> sightings) {
        StringBuilder html = new StringBuilder();
        for (KnownBehaviour.Sighting sighting : sightings) {
            html.append("<h3>Known upstream behaviour at step ").append(sighting.step()).append("</h3><p>")
                    .append(escape(sighting.behaviour().description())).append("</p><ul>");
            sighting.behaviour().threads().forEach(url -> html.append("<li><a href=\"").append(escape(url)).append("\">")
                    .append(escape(url)).append("</a></li>"));
            html.append("</ul>");
        }
        return html.toString();
    }
}
