package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

/** The row of {@code pg_stat_wal_receiver} on a standby whose walreceiver runs. */
public record WalReceiverRow(
        int pid,
        String status,
        Lsn receiveStartLsn,
        Lsn writtenLsn,
        Lsn flushedLsn,
        int receivedTimeline,
        String slotName,
        String senderHost,
        Integer senderPort) {

    public WalReceiverRow withSenderPort(Integer otherPort) {
        return new WalReceiverRow(pid, status, receiveStartLsn, writtenLsn, flushedLsn, receivedTimeline, slotName, senderHost, otherPort);
    }
}
