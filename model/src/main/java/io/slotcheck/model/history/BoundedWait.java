package io.slotcheck.model.history;

/**
 * A wait for something the servers do on their own (a replay, a flush, leaving recovery) that a step made: what was
 * awaited, the bound, how long it took, and whether it came within the bound.
 */
public record BoundedWait(String what, long boundMillis, long tookMillis, boolean reached) {

    /** The wait event of a call the standby barrier holds (§1 item 14, slot.c WaitForStandbyConfirmation()). */
    public static final String STANDBY_CONFIRMATION = "WaitForStandbyConfirmation";

    /** The wait event of a synchronizer napping between cycles; from 19 a manual sync naps so while it retries (§5.3). */
    public static final String SYNC_NAP = "ReplicationSlotsyncMain";

    /** How {@link #what} tells of a call seen waiting on {@code waitEvent} for {@code millis}, then cancelled. */
    public static String held(String waitEvent, long millis) {
        return " (held: " + waitEvent + " for " + millis + " ms, then cancelled)";
    }

    /** How {@link #what} tells of a call seen waiting on {@code waitEvent} for {@code millis}, then released {@code how}. */
    public static String released(String waitEvent, long millis, String how) {
        return " (held: " + waitEvent + " for " + millis + " ms, then released " + how + ")";
    }

    /** Whether the call was seen waiting on {@code waitEvent}, then cancelled or released for it. */
    public boolean heldOn(String waitEvent) {
        return what.contains(" (held: " + waitEvent + " for ");
    }
}
