package io.slotcheck.model.invariant;

import io.slotcheck.model.history.Operation;
import io.slotcheck.model.history.Operation.AdvanceSlot;
import io.slotcheck.model.history.Operation.AlterSlotFailover;
import io.slotcheck.model.history.Operation.ConsumeChanges;
import io.slotcheck.model.history.Operation.CreateLogicalSlot;
import io.slotcheck.model.history.Operation.DropSlot;
import io.slotcheck.model.history.Operation.SyncSlots;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcomes PostgreSQL documents for operations, judged from what the nodes looked like before the operation.
 * Where the server's answer depends on timing the model cannot see, it allows each documented answer.
 */
final class Predictions {

    /** ERRCODE_INVALID_PARAMETER_VALUE, the SQLSTATE of every slot sync configuration error (§3). */
    static final String INVALID_PARAMETER_VALUE = "22023";

    private Predictions() {
    }

    static Expected expect(StepContext step) {
        Operation operation = step.operation();
        Optional<NodeSnapshot> before = step.before(operation.node());
        if (before.isEmpty() || !step.profile().hasFailoverSlots()) {
            return new Expected.Unpredicted();
        }
        NodeSnapshot node = before.get();
        VersionProfile profile = step.profile();
        if (operation instanceof SyncSlots) {
            return manualSync(step, node);
        }
        if (operation instanceof CreateLogicalSlot create && create.failover()) {
            if (node.inRecovery()) {
                return new Expected.FailsWith(Message.FAILOVER_SLOT_ON_STANDBY);
            }
            return create.temporary() ? new Expected.FailsWith(Message.FAILOVER_TEMPORARY_SLOT) : new Expected.Unpredicted();
        }
        if (operation instanceof DropSlot drop && syncedOnStandby(node, drop.slot()).isPresent()) {
            return new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE);
        }
        if (operation instanceof ConsumeChanges consume) {
            return node.inRecovery() ? usingSyncedSlot(node, consume.slot(), Message.SYNCED_SLOT_DECODING, profile)
                    : decodingAfterPromotion(node, consume.slot());
        }
        if (operation instanceof AdvanceSlot advance) {
            return usingSyncedSlot(node, advance.slot(), Message.SYNCED_SLOT_DECODING, profile);
        }
        if (operation instanceof AlterSlotFailover alter) {
            return usingSyncedSlot(node, alter.slot(), Message.SYNCED_SLOT_ALTER, profile);
        }
        return new Expected.Unpredicted();
    }

    /** §1 items 19, 20 and §3: who may call pg_sync_replication_slots(), and the settings it checks, in its order. */
    private static Expected manualSync(StepContext step, NodeSnapshot node) {
        if (!node.inRecovery()) {
            return new Expected.FailsWith(Message.SYNC_ON_PRIMARY);
        }
        Optional<Message> misconfigured = syncParameterProblem(node.settings());
        if (misconfigured.isPresent()) {
            return new Expected.FailsWith(List.of(misconfigured.get()), INVALID_PARAMETER_VALUE);
        }
        boolean upstreamInRecovery = step.upstreamOf(node).map(NodeSnapshot::inRecovery).orElse(false);
        return upstreamInRecovery ? new Expected.FailsWith(Message.SYNC_FROM_STANDBY) : new Expected.Unpredicted();
    }

    /**
     * The first failing check of {@code ValidateSlotSyncParams()} (wal_level, primary_slot_name, hot_standby_feedback,
     * primary_conninfo), then {@code CheckAndGetDbnameFromConninfo()}.
     */
    static Optional<Message> syncParameterProblem(Map<String, String> settings) {
        String conninfo = settings.getOrDefault("primary_conninfo", "");
        if (!"logical".equals(settings.get("wal_level"))) {
            return Optional.of(Message.SYNC_NEEDS_WAL_LEVEL);
        }
        if (settings.getOrDefault("primary_slot_name", "").isEmpty()) {
            return Optional.of(Message.SYNC_NEEDS_PRIMARY_SLOT_NAME);
        }
        if (!"on".equals(settings.get("hot_standby_feedback"))) {
            return Optional.of(Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK);
        }
        if (conninfo.isEmpty()) {
            return Optional.of(Message.SYNC_NEEDS_PRIMARY_CONNINFO);
        }
        return conninfo.matches("(^|.*\\s)dbname\\s*=.*") ? Optional.empty() : Optional.of(Message.SYNC_NEEDS_DBNAME);
    }

    /** §1 item 8: decoding, advancing or altering a synced slot on a standby is refused. */
    private static Expected usingSyncedSlot(NodeSnapshot node, String slot, Message refusal, VersionProfile profile) {
        Optional<SlotRow> synced = syncedOnStandby(node, slot);
        if (synced.isEmpty()) {
            return new Expected.Unpredicted();
        }
        List<Message> allowed = new ArrayList<>(List.of(refusal, Message.SLOT_ACTIVE));
        if (synced.get().invalidationReason() != null) {
            if (!profile.rejectsInvalidatedSlotAccessFirst()) {
                return new Expected.Unpredicted(); // 17 has version-specific errors for invalidated slots first
            }
            allowed.add(Message.SLOT_INVALIDATED_ACCESS);
        }
        return new Expected.FailsWith(allowed, null);
    }

    /**
     * §1 items 13 and 18: a copy that was sync-ready (persistent, valid) when its standby was promoted decodes on the new
     * primary: its catalog_xmin kept the catalog rows it needs. Only a consumer holding it right then may stand in the way.
     */
    private static Expected decodingAfterPromotion(NodeSnapshot node, String slot) {
        return node.slot(slot).filter(s -> s.isFailoverReady() && s.isLogical())
                .<Expected>map(ready -> new Expected.Succeeds("slot " + slot + " was a sync-ready copy when " + node.node()
                        + " left recovery, and its catalog_xmin kept the catalog rows decoding needs", List.of(Message.SLOT_ACTIVE)))
                .orElse(new Expected.Unpredicted());
    }

    private static Optional<SlotRow> syncedOnStandby(NodeSnapshot node, String slot) {
        return node.inRecovery() ? node.slot(slot).filter(SlotRow::isSynced) : Optional.empty();
    }
}
