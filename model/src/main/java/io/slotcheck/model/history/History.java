package io.slotcheck.model.history;

import io.slotcheck.model.version.SlotSyncMechanism;
import io.slotcheck.model.version.VersionProfile;

import java.util.List;

/**
 * The record of a run, and the input of the checker: what was run against what, and every step.
 *
 * @param target        what the run was pointed at, e.g. {@code embedded 17.11.0}
 * @param serverVersion {@code SELECT version()} of the primary: it selects the version profile
 * @param slotSync      what kept the standby's copies: the server's own slot sync, or the pg_failover_slots extension
 * @param seed          the seed of a randomized campaign, {@code null} for a named scenario
 */
public record History(String target, String serverVersion, SlotSyncMechanism slotSync, Long seed, List<Step> steps) {

    public History {
        steps = List.copyOf(steps);
    }

    /** The profile the model judges this history by. */
    public VersionProfile profile() {
        return VersionProfile.of(serverVersion, slotSync);
    }
}
