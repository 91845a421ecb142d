package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

/**
 * A subscription of a subscriber node: {@code pg_subscription} with its apply worker's row of
 * {@code pg_stat_subscription} (no worker: the positions are {@code null}).
 *
 * @param publisherHost the {@code host=} of its connection (see {@link NodeSnapshot#host} for when it tells nodes apart)
 * @param publisherPort the {@code port=} of its connection: the publishing node's (the harness's endpoint resolved)
 * @param receivedLsn   the last WAL position the apply worker received
 * @param latestEndLsn  the last WAL position it reported back to the publisher
 */
public record SubscriptionRow(
        String name,
        boolean enabled,
        String publisherHost,
        Integer publisherPort,
        String slotName,
        Boolean failover,
        Integer workerPid,
        Lsn receivedLsn,
        Lsn latestEndLsn,
        Boolean tablesReady) {

    /** The same row with another publisher port (the port of the node behind a harness endpoint). */
    public SubscriptionRow withPublisherPort(Integer port) {
        return new SubscriptionRow(name, enabled, publisherHost, port, slotName, failover, workerPid, receivedLsn, latestEndLsn, tablesReady);
    }

    /**
     * Whether every table of the subscription has finished its initial copy ({@code pg_subscription_rel.srsubstate = 'r'}):
     * until then the apply worker skips the changes of a table still being copied, and confirms past them, since its
     * copy will hold them. Histories before this field was recorded read as ready.
     */
    public boolean allTablesReady() {
        return !Boolean.FALSE.equals(tablesReady);
    }
}
