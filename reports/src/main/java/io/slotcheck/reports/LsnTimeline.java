package io.slotcheck.reports;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.History;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The LSN timeline of a sequence, as a PNG: over the steps, each node's flushed WAL (a standby's replayed WAL too), and
 * the {@code confirmed_flush_lsn} and {@code restart_lsn} of every failover slot on every node, with the step where an
 * invariant broke marked. A synced copy's line above its standby's flush line is what loses data after failover.
 */
public final class LsnTimeline {

    /** One line of the plot: a position per step where it was observed. */
    record Line(String name, boolean slot, Map<Integer, Long> byStep) {
    }

    private LsnTimeline() {
    }

    /** The lines of {@code history}: node positions first, then slots, each in order of first appearance. */
    static List<Line> lines(History history) {
        Map<String, Line> lines = new java.util.LinkedHashMap<>();
        for (Step step : history.steps()) {
            for (NodeSnapshot node : new TreeMap<>(step.observations()).values()) {
                put(lines, node.node() + " flush", false, step, node.flushLsn());
                put(lines, node.node() + " replay", false, step, node.replayLsn());
            }
        }
        for (Step step : history.steps()) {
            for (NodeSnapshot node : new TreeMap<>(step.observations()).values()) {
                for (SlotRow slot : node.slots()) {
                    if (slot.isFailover() || slot.isSynced()) {
                        String slotOnNode = slot.slotName() + (slot.isSynced() ? " (synced copy)" : "") + " on " + node.node();
                        put(lines, slotOnNode + " confirmed_flush", true, step, slot.confirmedFlushLsn());
                        put(lines, slotOnNode + " restart", true, step, slot.restartLsn());
                    }
                }
            }
        }
        return List.copyOf(lines.values());
    }

    private static void put(Map<String, Line> lines, String name, boolean slot, Step step, Lsn lsn) {
        if (lsn != null && !lsn.equals(Lsn.INVALID)) {
            lines.computeIfAbsent(name, n -> new Line(n, slot, new TreeMap<>())).byStep().put(step.index(), lsn.value());
        }
    }

    /** The plot as PNG bytes; {@code violationStep} (0 for none) is marked with a vertical line, and named with {@code violationLabel} in the title. */
    public static byte[] png(History history, int violationStep, String violationLabel) {
        String title = "LSN timeline: " + history.target() + (violationStep > 0 ? " (violation at step " + violationStep + ": "
                + violationLabel + ")" : "");
        XYChart chart = new XYChartBuilder().width(1400).height(700).title(title).xAxisTitle("step").yAxisTitle("LSN").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setyAxisTickLabelsFormattingFunction(value -> new Lsn(value.longValue()).toString());
        List<Line> lines = lines(history);
        if (lines.isEmpty()) {
            chart.addSeries("nothing observed", new double[] {0}, new double[] {0});
        }
        for (Line line : lines) {
            XYSeries series = chart.addSeries(line.name(), line.byStep().keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    line.byStep().values().stream().mapToDouble(Long::doubleValue).toArray());
            series.setLineStyle(line.slot() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
            series.setMarker(line.slot() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        }
        if (violationStep > 0) {
            chart.addAnnotation(new AnnotationLine(violationStep, true, false));
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the LSN timeline", e);
        }
    }
}
