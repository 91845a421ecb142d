package io.slotcheck.model.invariant;

import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.operation.SlotSync;

import java.util.List;
import java.util.Optional;

/**
 * What 19 shows in {@code slotsync_skip_reason} after a sync cycle (§5.3, slotsync.c update_local_synced_slot()): the
 * checks in their order — the slot's confirmed_flush past the standby's flushed WAL, then its restart_lsn or catalog_xmin
 * behind those of the copy the cycle found — and none when neither stopped the update ({@code none} internally, shown as NULL). Predicted only
 * for a slot of the primary that no consumer moved during the cycle, and where the standby's flushed WAL before and after
 * the cycle agree on the first check.
 *
 * @param allowed the values the copy may show ({@link #NONE} for NULL): one, or two where the cycle may have stopped at a
 *                consistent snapshot it could not build (a temporary copy)
 * @param why     the reason, for the violation's explanation
 */
record SyncSkipReason(List<String> allowed, String why) {

    static final String NONE = "none";

    boolean allows(String shown) {
        return allowed.contains(shown == null ? NONE : shown);
    }

    static Optional<SyncSkipReason> expected(StepContext step, StepContext.SyncCycle cycle, SlotRow copy) {
        if (copy.invalidationReason() != null) {
            return Optional.of(new SyncSkipReason(List.of("slot_invalidated"), "it is invalidated, which no cycle syncs"));
        }
        Optional<SlotRow> remoteBefore = step.before(cycle.primary().node()).flatMap(primary -> primary.slot(copy.slotName()));
        Optional<SlotRow> remote = cycle.primary().slot(copy.slotName());
        Optional<NodeSnapshot> standbyBefore = step.before(cycle.standby().node());
        if (remote.isEmpty() || remoteBefore.isEmpty() || standbyBefore.isEmpty() || !unmoved(remoteBefore.get(), remote.get())
                || remote.get().invalidationReason() != null || remote.get().confirmedFlushLsn() == null) {
            return Optional.empty();
        }
        SlotRow slot = remote.get();
        if (slot.confirmedFlushLsn().isAfter(cycle.standby().flushLsn())) {
            return Optional.of(new SyncSkipReason(List.of("wal_not_flushed"), "its slot's confirmed_flush " + slot.confirmedFlushLsn()
                    + " is past the WAL the standby has flushed (" + cycle.standby().flushLsn() + ")"));
        }
        if (slot.confirmedFlushLsn().isAfter(standbyBefore.get().flushLsn())) {
            return Optional.empty();
        }
        // judged against the copy the cycle found: decoding to its slot's confirmed_flush may move a copy's restart_lsn past
        // its slot's, which the next cycle then finds
        Optional<SlotRow> found = standbyBefore.get().slot(copy.slotName()).filter(SlotRow::isSynced);
        if (found.isPresent() && SlotSync.remotePrecedes(found.get(), slot)) {
            return Optional.of(new SyncSkipReason(List.of("wal_or_rows_removed"), "its slot's restart_lsn " + slot.restartLsn() + " or catalog_xmin "
                    + slot.catalogXmin() + " is behind the copy's (" + found.get().restartLsn() + ", " + found.get().catalogXmin() + ")"));
        }
        // a copy made in the cycle starts at the WAL its standby still has, which may be past its slot's: whether it was
        // skipped for that or moved there after the check, its row does not tell
        if (found.isEmpty() && SlotSync.remotePrecedes(copy, slot)) {
            return Optional.empty();
        }
        return Optional.of(new SyncSkipReason(copy.temporary() ? List.of(NONE, "no_consistent_snapshot") : List.of(NONE),
                "nothing stopped the cycle from bringing it to its slot"));
    }

    /**
     * For a copy the cycle shows skipped (a reason, as the server gives it) and whose statistics are observed: its
     * slotsync_skip_count before the cycle (0 for a copy the cycle made, or made again), which the skip must have raised.
     */
    static Optional<Long> skipsBefore(StepContext step, StepContext.SyncCycle cycle, SlotRow copy) {
        if (copy.slotsyncSkipReason() == null || copy.slotsyncSkipCount() == null) {
            return Optional.empty();
        }
        // a copy invalidated on the standby alone is dropped and made again, its statistics with it (§1 item 12)
        Optional<SlotRow> found = step.before(cycle.standby().node()).flatMap(standby -> standby.slot(copy.slotName()))
                .filter(SlotRow::isSynced).filter(before -> before.invalidationReason() == null || copy.invalidationReason() != null);
        if (found.isPresent() && found.get().slotsyncSkipCount() == null) {
            return Optional.empty();
        }
        return Optional.of(found.map(SlotRow::slotsyncSkipCount).orElse(0L));
    }

    private static boolean unmoved(SlotRow before, SlotRow after) {
        return !before.active() && !after.active() && SlotInvariants.samePositions(before, after);
    }
}
