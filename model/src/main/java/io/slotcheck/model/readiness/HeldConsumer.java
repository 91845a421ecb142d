package io.slotcheck.model.readiness;

/**
 * A backend of the primary waiting, at the time it was read, for the standbys of {@code synchronized_standby_slots}
 * ({@code pg_stat_activity.wait_event = 'WaitForStandbyConfirmation'}): a consumer of a failover slot held back.
 */
public record HeldConsumer(int pid, String backendType, String applicationName) {
}
