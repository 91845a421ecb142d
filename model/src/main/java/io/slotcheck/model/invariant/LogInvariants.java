package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the servers log about slot sync, as outcomes the model predicts from the slots it sees change and the
 * observations confirm. A line is written just after the change it reports, so it may be read with the next
 * observation: a change between a node's two previous observations is judged at the third, with the lines of the last
 * two. A node whose log shows nothing at all (a server slotcheck cannot read the log of) is not judged.
 */
final class LogInvariants {

    private LogInvariants() {
    }

    static Invariant syncLogsCopiesMadeReadyAndDropped() {
        return new Invariant("sync-logs-copies-made-ready-and-dropped", Consequence.MISREPORTED_STATE,
                "A synchronizer logs each copy it makes sync-ready (\"newly created replication slot ... is sync-ready now\") and"
                        + " each persistent copy it drops (\"dropped replication slot ... of database with OID ...\"): a standby that"
                        + " stayed in recovery and whose copy turned persistent, or whose persistent copy went, shows the line.",
                "§1 items 6 and 12; slotsync.c update_and_persist_local_synced_slot(), drop_local_obsolete_slots()",
                VersionProfile::hasFailoverSlots,
                List.of(Situations.copyMadeSyncReady(),
                        Situations.persistentCopyDropped()),
                step -> {
                    Findings findings = new Findings();
                    for (NodeSnapshot now : step.observations()) {
                        judgedChange(step, now).ifPresent(change -> {
                            for (SlotRow ready : change.copiesMadeReady()) {
                                requireLogged(findings, step, change, ready, Message.SYNC_SLOT_READY, "was made sync-ready");
                            }
                            // replaying DROP DATABASE drops its copies too, and that is no synchronizer's to log (§1 item 28)
                            for (SlotRow dropped : change.persistentCopiesGone()) {
                                if (!DroppedDatabases.wentWithItsDatabase(step, dropped)) {
                                    requireLogged(findings, step, change, dropped, Message.SYNC_DROPPED_SLOT, "was dropped");
                                }
                            }
                        });
                    }
                    return findings.verdict();
                });
    }

    private static void requireLogged(Findings findings, StepContext step, Change change, SlotRow copy, Message message, String what) {
        String node = change.to().node();
        findings.require(change.logged(step.profile(), message, copy.slotName()),
                () -> "the copy of " + copy.slotName() + " on " + node + " " + what + " between two observations, but its log does not say \""
                        + step.profile().text(message).text() + "\" for it",
                () -> List.of(node + " at " + change.from().takenAt() + ": " + describe(change.from().slot(copy.slotName())),
                        node + " at " + change.to().takenAt() + ": " + describe(change.to().slot(copy.slotName())),
                        node + ": " + change.lines().size() + " log lines read since, none of them that line"));
    }

    private static String describe(Optional<SlotRow> slot) {
        return slot.map(s -> s.slotName() + (s.isSynced() ? " synced" : "") + (s.temporary() ? " temporary" : " persistent"))
                .orElse("no such slot");
    }

    /**
     * Two successive observations of a standby that stayed in recovery, its server running all along, and the log lines
     * read with the second and with the observation after it.
     */
    record Change(NodeSnapshot from, NodeSnapshot to, List<String> lines) {

        /** Copies persistent in {@code to} that {@code from} did not show persistent. */
        List<SlotRow> copiesMadeReady() {
            return persistentCopies(to).filter(copy -> from.slot(copy.slotName()).filter(SlotRow::temporary).isPresent()
                    || from.slot(copy.slotName()).isEmpty()).toList();
        }

        /** Copies persistent in {@code from} that {@code to} does not show persistent: dropped (and maybe made again). */
        List<SlotRow> persistentCopiesGone() {
            return persistentCopies(from).filter(copy -> to.slot(copy.slotName()).filter(s -> s.isSynced() && !s.temporary()).isEmpty())
                    .toList();
        }

        boolean logged(VersionProfile profile, Message message, String slot) {
            return lines.stream().anyMatch(line -> profile.text(message).foundIn(line) && line.contains("\"" + slot + "\""));
        }

        private static Stream<SlotRow> persistentCopies(NodeSnapshot node) {
            return node.slots().stream().filter(slot -> slot.isSynced() && !slot.temporary());
        }
    }

    /** The change between the node's two observations before this step, if it is one to judge now (see the class comment). */
    static Optional<Change> judgedChange(StepContext step, NodeSnapshot now) {
        List<Step> steps = step.steps();
        int previous = StepContext.observedBefore(steps, now.node(), step.position());
        int earlier = previous < 0 ? -1 : StepContext.observedBefore(steps, now.node(), previous);
        if (earlier < 0 || !now.inRecovery()) {
            return Optional.empty();
        }
        NodeSnapshot from = steps.get(earlier).observation(now.node()).orElseThrow();
        NodeSnapshot to = steps.get(previous).observation(now.node()).orElseThrow();
        boolean ranThrough = steps.subList(earlier + 1, step.position() + 1).stream()
                .noneMatch(s -> s.operation().crashes(now.node()) || s.operation().restarts(now.node()));
        if (!from.inRecovery() || !to.inRecovery() || !ranThrough || !logRead(steps, now.node(), step.position())) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>(to.logLines());
        lines.addAll(now.logLines());
        return Optional.of(new Change(from, to, lines));
    }

    /** Whether slotcheck reads the node's log: some observation of it so far came with lines. */
    private static boolean logRead(List<Step> steps, String node, int upTo) {
        return steps.subList(0, upTo + 1).stream()
                .anyMatch(s -> s.observation(node).map(o -> !o.logLines().isEmpty()).orElse(false));
    }
}
