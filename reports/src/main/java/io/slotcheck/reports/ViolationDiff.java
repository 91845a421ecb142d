package io.slotcheck.reports;

import io.slotcheck.model.HistoryChecker.Finding;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.invariant.Invariant;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The failing step of a sequence as a page a reader can take in at once: what the model requires (the guarantee and
 * why this step breaks it), what the servers showed (the evidence), and what changed on every node at this step
 * (positions and slot fields, before and after; changed values marked).
 */
public final class ViolationDiff {

    private ViolationDiff() {
    }

    public static String html(History history, Finding finding) {
        Step step = history.steps().stream().filter(s -> s.index() == finding.step()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the history has no step " + finding.step()));
        Step previous = history.steps().stream().filter(s -> s.index() == finding.step() - 1).findFirst().orElse(null);
        Invariant invariant = finding.invariant();
        StringBuilder page = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><style>
                body{font-family:sans-serif;font-size:14px;margin:16px} table{border-collapse:collapse;margin-bottom:12px}
                td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-family:monospace} th{background:#eee}
                .changed{background:#ffe08a} .model{background:#e3f2e1} .observed{background:#fbe3e3} h2{margin-top:0}
                </style></head><body>
                """);
        page.append("<h2>Step ").append(step.index()).append(": ").append(escape(Steps.title(step.operation()))).append("</h2>");
        page.append("<p>outcome: <code>").append(escape(Steps.outcome(step.outcome()))).append("</code></p>");
        page.append("<table><tr><th></th><th>invariant <code>").append(escape(invariant.name())).append("</code></th></tr>")
                .append("<tr class=\"model\"><th>model requires</th><td>").append(escape(invariant.guarantee())).append("</td></tr>")
                .append("<tr class=\"observed\"><th>servers showed</th><td>").append(escape(finding.violation().explanation()))
                .append("</td></tr>");
        for (String evidence : finding.violation().evidence()) {
            page.append("<tr class=\"observed\"><th>evidence</th><td>").append(escape(evidence)).append("</td></tr>");
        }
        page.append("<tr><th>if it breaks</th><td>").append(escape(invariant.consequence().effect())).append("</td></tr>")
                .append("<tr><th>PostgreSQL source</th><td>").append(escape(invariant.source())).append("</td></tr></table>");
        page.append("<h3>What changed on each node at this step</h3>");
        for (String node : new TreeSet<>(step.observations().keySet())) {
            NodeSnapshot after = step.observations().get(node);
            NodeSnapshot before = previous == null ? null : previous.observations().get(node);
            page.append("<h4>").append(escape(node)).append(after.inRecovery() ? " (in recovery)" : "").append("</h4>");
            table(page, "position", positions(before), positions(after));
            for (String slot : slotNames(before, after)) {
                table(page, "slot " + slot, fields(before, slot), fields(after, slot));
            }
        }
        return page.append("</body></html>").toString();
    }

    private static void table(StringBuilder page, String title, Map<String, String> before, Map<String, String> after) {
        page.append("<table><tr><th>").append(escape(title)).append("</th><th>before</th><th>after</th></tr>");
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String was = before.getOrDefault(key, "—");
            String is = after.getOrDefault(key, "—");
            page.append("<tr").append(Objects.equals(was, is) ? "" : " class=\"changed\"").append("><td>").append(escape(key))
                    .append("</td><td>").append(escape(was)).append("</td><td>").append(escape(is)).append("</td></tr>");
        }
        page.append("</table>");
    }

    private static Map<String, String> positions(NodeSnapshot node) {
        Map<String, String> positions = new LinkedHashMap<>();
        if (node != null) {
            positions.put("timeline", String.valueOf(node.timeline()));
            put(positions, "current_lsn", node.currentLsn());
            put(positions, "flush_lsn", node.flushLsn());
            put(positions, "receive_lsn", node.receiveLsn());
            put(positions, "replay_lsn", node.replayLsn());
        }
        return positions;
    }

    private static Map<String, String> fields(NodeSnapshot node, String slotName) {
        Map<String, String> fields = new TreeMap<>();
        Optional<SlotRow> slot = node == null ? Optional.empty() : node.slot(slotName);
        slot.ifPresent(row -> ((Map<?, ?>) RecordCodec.encode(row)).forEach((key, value) -> put(fields, String.valueOf(key), value)));
        return fields;
    }

    private static TreeSet<String> slotNames(NodeSnapshot before, NodeSnapshot after) {
        TreeSet<String> names = new TreeSet<>();
        for (NodeSnapshot node : new NodeSnapshot[] {before, after}) {
            if (node != null) {
                node.slots().forEach(slot -> names.add(slot.slotName()));
            }
        }
        return names;
    }

    private static void put(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
