package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Fault;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How often a campaign picks each kind of operation: a weight per operation kind (0 leaves it out), which faults it
 * may inject (an operation injecting another fault is left out), the operations every sequence opens with (the
 * setting a theme needs), the kinds its target cannot run ({@code excluded}: never drawn, nor used to heal or
 * converge), whether its sequences take {@link DirectedSteps} between their random draws ({@code directed}), and whether
 * each sequence draws at random from a subset of the kinds of its own ({@code swarm}: swarm testing), and which slot
 * sync its operations drive ({@code slotSync}: the server's own, or the pg_failover_slots extension's). Named profiles
 * lean a campaign towards a theme, and all are directed and swarm.
 */
public record CampaignProfile(String name, Map<String, Integer> weights, Set<Fault> faults, List<Operation> opening, Set<String> excluded,
                              boolean directed, boolean swarm, SlotSyncMechanism slotSync) {

    /** A profile of weighted random draws alone, that may inject every fault its weights allow and opens with no fixed operation. */
    public CampaignProfile(String name, Map<String, Integer> weights) {
        this(name, weights, EnumSet.allOf(Fault.class), List.of(), Set.of(), false, false, SlotSyncMechanism.BUILT_IN);
    }

    private static final Map<String, Integer> DEFAULT_WEIGHTS = weights(
            "create_logical_slot", 6, "copy_logical_slot", 1, "create_physical_slot", 1, "drop_slot", 3, "alter_slot_failover", 2,
            "write_transactions", 10, "consume_changes", 6, "advance_slot", 3, "acknowledge", 3, "sync_slots", 10, "set_setting", 4,
            "checkpoint", 2, "vacuum_catalogs", 2, "log_standby_snapshot", 6, "stop_node", 1, "start_node", 4,
            "crash_node", 1, "pause_node", 1, "resume_node", 4, "signal_process", 1, "pause_process", 1, "resume_process", 4,
            "partition_link", 1, "delay_link", 1, "heal_link", 4, "wal_pressure", 1, "promote", 1, "rejoin", 3, "rewrite_primary_conninfo", 1,
            "await_failover_ready", 1, "await_replay_catch_up", 3, "await_standby_feedback", 1, "add_cascading_standby", 1, "add_subscriber", 1,
            "create_subscription", 2, "alter_subscription_failover", 1, "repoint_subscription", 1, "move_endpoint", 1,
            "disconnect_node", 1, "reconnect_node", 4, "consume_released_by_reload", 1, "consume_released_by_standby", 1,
            "prepare_transaction", 1, "commit_prepared", 1);

    public static final CampaignProfile DEFAULT = new CampaignProfile("default", DEFAULT_WEIGHTS, EnumSet.allOf(Fault.class), List.of(),
            Set.of(), true, true, SlotSyncMechanism.BUILT_IN);

    /**
     * The pg_failover_slots extension's own profile, which a campaign on servers it keeps the copies of runs: its worker
     * waited for instead of {@code pg_sync_replication_slots()}, its settings instead of the server's, and none of the
     * server's failover flags (slots and subscriptions are made without), nor its slot sync worker's process (16 has none).
     * Directed by the extension's own directions.
     */
    public static final CampaignProfile PG_FAILOVER_SLOTS = new CampaignProfile("pg-failover-slots", DEFAULT.with("pg-failover-slots",
            "sync_slots", 0, "alter_slot_failover", 0, "signal_process", 0, "pause_process", 0, "resume_process", 0,
            "rewrite_primary_conninfo", 0, "add_cascading_standby", 0, "alter_subscription_failover", 0, "acknowledge", 5, "await_failover_ready", 2,
            "await_convergence", 3).weights(), EnumSet.allOf(Fault.class), List.of(), Set.of(), true, true, SlotSyncMechanism.PG_FAILOVER_SLOTS);

    /** Names a profile can be chosen by, with what it changes from the default. */
    public static final Map<String, CampaignProfile> NAMED = Map.of(
            "default", DEFAULT,
            PG_FAILOVER_SLOTS.name(), PG_FAILOVER_SLOTS,
            "barrier-heavy", DEFAULT.with("barrier-heavy", "set_setting", 10, "consume_changes", 12, "acknowledge", 6, "stop_node", 2),
            "promotion-heavy", DEFAULT.with("promotion-heavy", "promote", 6, "crash_node", 3, "stop_node", 3, "start_node", 8, "rejoin", 8,
                    "signal_process", 2),
            // a copy can be persisted only once its primary slot was consumed past a standby snapshot with no write since
            // (§1 item 6): fewer writes, more snapshots, consumption and syncs
            "sync-heavy", DEFAULT.with("sync-heavy", "sync_slots", 20, "log_standby_snapshot", 14, "consume_changes", 14,
                    "write_transactions", 3, "create_logical_slot", 8, "promote", 0, "crash_node", 0, "stop_node", 0, "pause_node", 0,
                    "signal_process", 0, "pause_process", 0, "partition_link", 0, "delay_link", 0, "disconnect_node", 0, "wal_pressure", 0,
                    "await_replay_catch_up", 8, "await_failover_ready", 4),
            // business continuity: a subscriber through the stable endpoint, a failover-protected slot, writes and failovers
            "continuity", DEFAULT.with("continuity", "write_transactions", 16, "promote", 4, "crash_node", 2, "stop_node", 2,
                    "start_node", 6, "rejoin", 6, "move_endpoint", 4, "repoint_subscription", 3, "await_replay_catch_up", 5,
                    "await_failover_ready", 3, "create_logical_slot", 2, "consume_changes", 2, "acknowledge", 1, "sync_slots", 2,
                    "add_subscriber", 0, "create_subscription", 0, "alter_subscription_failover", 0).opening(
                    new Operation.SetSetting("standby1", "sync_replication_slots", "on"),
                    new Operation.SetSetting("primary", "synchronized_standby_slots", "standby1"),
                    new Operation.AddSubscriber("subscriber"),
                    new Operation.CreateSubscription("subscriber", "sub1", "primary", true, true)));

    public static CampaignProfile named(String name) {
        CampaignProfile profile = NAMED.get(name);
        if (profile == null) {
            throw new SlotcheckException(ExitCode.USAGE, "no campaign profile '" + name + "': choose one of "
                    + String.join(", ", NAMED.keySet().stream().sorted().toList()));
        }
        return profile;
    }

    /**
     * The profile a campaign runs on servers whose copies {@code slotSync} keeps: the default becomes the extension's own
     * profile there; any other is refused where it drives the other kind of slot sync.
     */
    public CampaignProfile forSlotSync(SlotSyncMechanism target) {
        if (target == slotSync) {
            return this;
        }
        if (target == SlotSyncMechanism.PG_FAILOVER_SLOTS && name.equals(DEFAULT.name())) {
            return PG_FAILOVER_SLOTS.withFaults(faults);
        }
        throw new SlotcheckException(ExitCode.USAGE, "profile " + name + " drives " + slotSync.description + ", and the target's copies are kept by "
                + target.description + ": " + (target == SlotSyncMechanism.PG_FAILOVER_SLOTS ? "leave out --profile (its own, pg-failover-slots, is taken)"
                : "choose another profile"));
    }

    /** How often {@code operation}'s kind is picked: 0 when it injects a fault not selected, or its target cannot run it. */
    public int weight(Operation operation) {
        boolean selected = operation.fault().map(faults::contains).orElse(true);
        return selected && runnable(operation) ? weights.getOrDefault(RecordCodec.typeName(operation), 0) : 0;
    }

    private static final String MOVE_ENDPOINT = "move_endpoint";

    /** Whether the target offers the stable endpoint, which subscriptions may connect through and which may be moved. */
    public boolean hasEndpoint() {
        return !excluded.contains(MOVE_ENDPOINT);
    }

    /** Whether the target can run {@code operation}'s kind. */
    public boolean runnable(Operation operation) {
        return !excluded.contains(RecordCodec.typeName(operation));
    }

    /**
     * This profile injecting only the faults named in {@code selection}: comma-separated selectors ({@code crash},
     * {@code pause}, {@code partition}, {@code wal}, {@code config}, {@code catalog}, {@code roles}), {@code all}, or {@code none}.
     */
    public CampaignProfile withFaults(String selection) {
        Set<Fault> selected = EnumSet.noneOf(Fault.class);
        for (String selector : selection.split(",")) {
            String name = selector.strip();
            if (name.equals("all")) {
                selected.addAll(EnumSet.allOf(Fault.class));
            } else if (!name.equals("none")) {
                selected.add(Fault.bySelector(name).orElseThrow(() -> new SlotcheckException(ExitCode.USAGE, "no fault '" + name
                        + "': choose from " + String.join(", ", Arrays.stream(Fault.values()).map(Fault::selector).toList())
                        + ", all or none")));
            }
        }
        return withFaults(selected);
    }

    private CampaignProfile withFaults(Set<Fault> selected) {
        return new CampaignProfile(name, weights, selected, opening, excluded, directed, swarm, slotSync);
    }

    /**
     * This profile, under the same name, for a target that cannot run {@code kinds}; refused when its opening needs one
     * of them ({@code reasons}: why, by kind).
     */
    public CampaignProfile without(Map<String, String> reasons) {
        opening.stream().filter(operation -> reasons.containsKey(RecordCodec.typeName(operation))).findFirst().ifPresent(operation -> {
            throw new SlotcheckException(ExitCode.USAGE, "profile " + name + " opens with " + RecordCodec.typeName(operation)
                    + ", which this target cannot run (" + reasons.get(RecordCodec.typeName(operation)) + "): choose another profile");
        });
        Set<String> all = new TreeSet<>(excluded);
        all.addAll(reasons.keySet());
        // without the stable endpoint, a subscription the opening makes connects to its publisher directly
        List<Operation> direct = opening.stream().map(operation -> operation instanceof Operation.CreateSubscription create && create.throughEndpoint()
                && reasons.containsKey(MOVE_ENDPOINT) ? new Operation.CreateSubscription(create.node(), create.subscription(), create.publisher(),
                create.failover(), false) : operation).toList();
        return new CampaignProfile(name, weights, faults, direct, Set.copyOf(all), directed, swarm, slotSync);
    }

    private CampaignProfile with(String newName, Object... kindsAndWeights) {
        Map<String, Integer> changed = new LinkedHashMap<>(weights);
        changed.putAll(weights(kindsAndWeights));
        return new CampaignProfile(newName, changed, faults, opening, excluded, directed, swarm, slotSync);
    }

    private CampaignProfile opening(Operation... operations) {
        return new CampaignProfile(name, weights, faults, List.of(operations), excluded, directed, swarm, slotSync);
    }

    private static Map<String, Integer> weights(Object... kindsAndWeights) {
        Map<String, Integer> map = new LinkedHashMap<>();
        List<Object> list = List.of(kindsAndWeights);
        for (int i = 0; i < list.size(); i += 2) {
            map.put((String) list.get(i), (Integer) list.get(i + 1));
        }
        return map;
    }
}
