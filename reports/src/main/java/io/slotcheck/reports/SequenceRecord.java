package io.slotcheck.reports;

import io.slotcheck.model.HistoryChecker;
import io.slotcheck.model.history.History;
import io.slotcheck.model.operation.Operation;

import java.nio.file.Path;
import java.util.List;

/**
 * One sequence as a report shows it: a campaign's sequence or a named scenario, with what the checker made of it.
 *
 * @param epic         the kind of run, e.g. {@code Randomized campaigns}
 * @param feature      the campaign profile or the scenario
 * @param suite        the run it belongs to, e.g. {@code campaign 2032 (sync-heavy) on embedded 17.11.0}
 * @param name         its name within the suite, e.g. {@code sequence 003}
 * @param reproduction how its violation was re-run and shrunk; {@code null} when it conformed
 * @param historyFile  the history on disk, attached when it violated; may be {@code null}
 * @param serverFiles  a directory of {@code <node>.log} and {@code <node>.conf} kept when it violated; may be {@code null}
 * @param plot         whether to attach the LSN timeline even when it conformed
 */
public record SequenceRecord(String epic, String feature, String suite, String name, History history, HistoryChecker.Report report,
                             Reproduction reproduction, Path historyFile, Path serverFiles, boolean plot) {

    /**
     * @param reproduced    whether the violation showed again on a fresh cluster (if not, it is flaky)
     * @param shrunk        the shortest operation list found that still violates
     * @param replayCommand the command that runs {@code shrunk} again
     */
    public record Reproduction(boolean reproduced, List<Operation> shrunk, String replayCommand) {
        public Reproduction {
            shrunk = List.copyOf(shrunk);
        }
    }

    public boolean violated() {
        return !report.findings().isEmpty();
    }
}
