package io.slotcheck.model.history;

/**
 * A wait for something the servers do on their own (a replay, a flush, leaving recovery) that a step made: what was
 * awaited, the bound, how long it took, and whether it came within the bound.
 */
public record BoundedWait(String what, long boundMillis, long tookMillis, boolean reached) {
}
