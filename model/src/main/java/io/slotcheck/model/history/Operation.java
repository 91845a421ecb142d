package io.slotcheck.model.history;

import io.slotcheck.model.Lsn;

/**
 * What a step did: the vocabulary of histories and campaigns. Each operation names the node it ran on.
 * The model's predictions for operations are in {@code io.slotcheck.model.invariant.Predictions}.
 */
public sealed interface Operation {

    String node();

    /** {@code pg_create_logical_replication_slot(slot, plugin, temporary, two_phase, failover)}. */
    record CreateLogicalSlot(String node, String slot, String plugin, boolean temporary, boolean twoPhase, boolean failover)
            implements Operation {
    }

    /** {@code pg_create_physical_replication_slot(slot, true)}. */
    record CreatePhysicalSlot(String node, String slot) implements Operation {
    }

    /** {@code pg_drop_replication_slot(slot)}. */
    record DropSlot(String node, String slot) implements Operation {
    }

    /** {@code ALTER_REPLICATION_SLOT slot (FAILOVER ...)} over the replication protocol. */
    record AlterSlotFailover(String node, String slot, boolean failover) implements Operation {
    }

    /** {@code count} transactions that write rows; with {@code catalogChange}, DDL that changes the catalogs. */
    record WriteTransactions(String node, int count, boolean catalogChange) implements Operation {
    }

    /** {@code pg_logical_slot_get_changes} (or {@code _peek_changes}) up to {@code upto}, or all when null. */
    record ConsumeChanges(String node, String slot, Lsn upto, boolean peek) implements Operation {
    }

    /** {@code pg_replication_slot_advance(slot, to)}. */
    record AdvanceSlot(String node, String slot, Lsn to) implements Operation {
    }

    /** A streaming consumer's acknowledgement of {@code lsn}, possibly older than one it sent before a reconnect. */
    record Acknowledge(String node, String slot, Lsn lsn) implements Operation {
    }

    /** {@code pg_sync_replication_slots()}. */
    record SyncSlots(String node) implements Operation {
    }

    /** {@code ALTER SYSTEM SET setting = value} and reload (or restart where the setting needs it). */
    record SetSetting(String node, String setting, String value) implements Operation {
    }

    record Checkpoint(String node) implements Operation {
    }

    /** {@code VACUUM} of the system catalogs. */
    record VacuumCatalogs(String node) implements Operation {
    }

    /** {@code pg_log_standby_snapshot()}. */
    record LogStandbySnapshot(String node) implements Operation {
    }

    /** pg_ctl stop, fast or immediate (immediate is a crash: recovery runs at the next start). */
    record StopNode(String node, boolean immediate) implements Operation {
    }

    record StartNode(String node) implements Operation {
    }

    /** kill -9 of the postmaster. */
    record CrashNode(String node) implements Operation {
    }

    /** SIGSTOP of every server process; {@link ResumeNode} ends it. */
    record PauseNode(String node) implements Operation {
    }

    record ResumeNode(String node) implements Operation {
    }

    record Promote(String node) implements Operation {
    }

    /** {@code CREATE SUBSCRIPTION subscription ... WITH (failover = ...)} on the subscriber {@code node}. */
    record CreateSubscription(String node, String subscription, String publisher, boolean failover) implements Operation {
    }

    /** {@code ALTER SUBSCRIPTION subscription SET (failover = ...)}. */
    record AlterSubscriptionFailover(String node, String subscription, boolean failover) implements Operation {
    }

    /** Point a subscription at another publisher (disable, {@code ALTER SUBSCRIPTION ... CONNECTION}, enable). */
    record RepointSubscription(String node, String subscription, String publisher) implements Operation {
    }

    /** Whether this operation can make the node lose what it had not checkpointed (slot positions go back). */
    default boolean crashes(String node) {
        return node().equals(node) && (this instanceof CrashNode || this instanceof StopNode stop && stop.immediate());
    }

    /** Whether the node's server restarts after this operation (temporary slots are gone after it). */
    default boolean restarts(String node) {
        return node().equals(node) && (this instanceof StartNode || this instanceof Promote);
    }
}
