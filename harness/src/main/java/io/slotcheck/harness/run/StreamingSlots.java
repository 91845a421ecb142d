package io.slotcheck.harness.run;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The physical slot each standby of a cluster streams through, by node: what {@code synchronized_standby_slots} and
 * {@code primary_slot_name} name to mean that standby, as a DBA would. A pair slotcheck made names the slot like the
 * node; an external cluster's standby has a slot of its own ({@code db2}, say).
 */
public record StreamingSlots(Map<String, String> byNode) {

    private static final Set<String> SETTINGS_NAMING_SLOTS = Set.of("synchronized_standby_slots", "primary_slot_name", PgFailoverSlots.STANDBY_SLOT_NAMES);

    public StreamingSlots {
        byNode = Map.copyOf(byNode);
    }

    /** Those of {@code cluster}'s standbys, read from their {@code primary_slot_name}. */
    public static StreamingSlots of(Cluster cluster) {
        Map<String, String> slots = new LinkedHashMap<>();
        for (Node node : cluster.nodes()) {
            if (node != cluster.primary()) {
                slots.put(node.name(), node.queryValue("SELECT current_setting('primary_slot_name')"));
            }
        }
        return new StreamingSlots(slots);
    }

    /** {@code operation}, where a setting names a standby by node, naming the slot that standby streams through. */
    public Operation naming(Operation operation) {
        if (operation instanceof Operation.SetSetting set && SETTINGS_NAMING_SLOTS.contains(set.setting())) {
            return new Operation.SetSetting(set.node(), set.setting(), byNode.getOrDefault(set.value(), set.value()));
        }
        return operation;
    }
}
