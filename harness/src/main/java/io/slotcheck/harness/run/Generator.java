package io.slotcheck.harness.run;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.ServerProcess;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.NodeModel;
import io.slotcheck.model.state.NodeStatus;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Draws a sequence's operations from one seed: each step, one candidate of every kind with random arguments (again,
 * while none is allowed), then a weighted pick among those whose precondition holds in the plan. The plan is the
 * model's state folded from the operations alone (their effects, assuming they succeed), so the same seed gives the
 * same sequence on any server.
 */
public final class Generator {

    private static final List<String> LOGICAL_SLOTS = List.of("s1", "s2");
    /** A physical slot of the primary no standby streams through: dropping it is harmless (a standby's own slot is left to fault campaigns). */
    static final String PHYSICAL_SLOT = "p1";
    /** Explicit waits of a campaign are short: one that runs out is recorded as unknown, and the sequence goes on. */
    private static final int WAIT_SECONDS = 3;
    /**
     * The final convergence is waited for long enough for a worker that ended with an error to be restarted (10 s after
     * its previous start) and do its cycles; where slotcheck may not signal the servers' processes (a cluster it did not
     * make), it cannot wake the worker either, and waits for two of its longest naps (30 s each).
     */
    private static final int CONVERGENCE_SECONDS = 30;
    private static final int UNWOKEN_CONVERGENCE_SECONDS = 70;
    /** The operation kind whose absence means the servers' processes cannot be signalled, nor their worker woken. */
    public static final String SIGNAL_PROCESS = "signal_process";

    /** How long the worker's convergence is waited for: where it cannot be woken ({@code !wakeable}), through two of its naps. */
    public static int convergenceSeconds(boolean wakeable) {
        return wakeable ? CONVERGENCE_SECONDS : UNWOKEN_CONVERGENCE_SECONDS;
    }

    private static final List<String[]> SETTINGS = List.of(
            new String[] {"sync_replication_slots", "on"}, new String[] {"sync_replication_slots", "off"},
            new String[] {"hot_standby_feedback", "off"}, new String[] {"hot_standby_feedback", "on"},
            new String[] {"synchronized_standby_slots", "standby1"}, new String[] {"synchronized_standby_slots", "primary"},
            new String[] {"synchronized_standby_slots", ""});

    /** The settings of the pg_failover_slots extension a sequence may change, and the standby's feedback its worker needs. */
    private static final List<String[]> PG_FAILOVER_SLOTS_SETTINGS = List.of(
            new String[] {"hot_standby_feedback", "off"}, new String[] {"hot_standby_feedback", "on"},
            new String[] {PgFailoverSlots.STANDBY_SLOT_NAMES, "standby1"}, new String[] {PgFailoverSlots.STANDBY_SLOT_NAMES, ""},
            new String[] {PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "name:s1"}, new String[] {PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "plugin:pgoutput"},
            new String[] {PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "name_like:%"},
            new String[] {PgFailoverSlots.DROP_EXTRA_SLOTS, "off"}, new String[] {PgFailoverSlots.DROP_EXTRA_SLOTS, "on"});

    /** The nodes a sequence may add to its pair. */
    static final String CASCADING_STANDBY = "standby2";
    static final String SUBSCRIBER = "subscriber";
    static final String SUBSCRIPTION = "sub1";

    /** The slots a sequence may make: its logical and physical slots, and physical slots named after its nodes. */
    public static Set<String> slotsItMakes() {
        Set<String> slots = new TreeSet<>(LOGICAL_SLOTS);
        slots.add(PHYSICAL_SLOT);
        slots.addAll(Campaign.TOPOLOGY.keySet());
        slots.addAll(List.of(CASCADING_STANDBY, SUBSCRIBER));
        // a subscription's slot is named like it
        slots.addAll(subscriptionsItMakes());
        return slots;
    }

    /**
     * The situations of the catalogue no campaign builds, each with the reason: they need a standby's configuration
     * broken in a way a sequence could not heal (the named scenarios show them).
     */
    public static Map<String, String> situationsItDoesNotBuild() {
        return Map.ofEntries(
                Map.entry("sync-without-wal-level-logical", "campaigns do not lower a standby's wal_level (a restart, refused while it has logical"
                        + " slots); the named scenario 'standby wal_level lowered' shows it"),
                Map.entry("sync-without-logical-decoding-on-the-primary", "campaigns keep the primary's wal_level logical; the named scenario"
                        + " 'primary without logical decoding' shows it (19)"),
                Map.entry("database-dropped-with-a-copy", operationsItDoesNotDraw().get(Operation.DropDatabase.class)),
                Map.entry("restartpoint-with-a-copy-idle-past-the-timeout", NO_IDLE_TIMEOUT),
                Map.entry("held-by-an-invalidated-listed-slot", "a listed slot is invalidated by WAL removed while its standby is away, which then"
                        + " cannot stream again; the named scenario 'the barrier's warnings' shows it"),
                Map.entry("sync-without-primary-slot-name", "campaigns keep each standby's primary_slot_name, which it streams through"),
                Map.entry("sync-without-primary-conninfo", "campaigns keep each standby's primary_conninfo, which it streams by"),
                Map.entry("sync-with-primary-slot-missing", "campaigns keep the physical slot each standby streams through (dropped, the standby"
                        + " may lose WAL it needs); the named scenario 'wrong primary_slot_name' shows it"),
                Map.entry("enable-failover-of-a-standby-slot", "a standby's own slot is one made there, which waits up to 15 s for a"
                        + " running-transactions record, or a rejoined primary's, which directed failovers drop at once; the named scenario"
                        + " 'field failure: leftover failover slots' shows it"),
                Map.entry("sync-as-a-role-with-a-planted-operator", operationsItDoesNotDraw().get(Operation.ConnectAsReplicationRole.class)),
                Map.entry("alter-subscription-failover-while-enabled", ALTERED_WHILE_DISABLED),
                Map.entry("alter-subscription-two-phase-while-enabled", ALTERED_WHILE_DISABLED),
                Map.entry("alter-subscription-two-phase-on-17", operationsItDoesNotDraw().get(Operation.AlterSubscriptionTwoPhase.class)));
    }

    private static final String ALTERED_WHILE_DISABLED = "campaigns alter a subscription between a disable and an enable, as"
            + " documented; the named scenario 'subscription options refused while enabled' shows the refusal";

    private static final String NO_IDLE_TIMEOUT = "campaigns keep idle_replication_slot_timeout off (seconds of it would invalidate the"
            + " slots a sequence goes on with); the named scenario 'idle timeout in recovery' shows it (18 and later)";

    private static final String PAUSED_REPLAY = "a standby whose replay is paused never catches up, which every wait of a sequence needs;"
            + " the named scenario 'a slot of a database not replayed yet' pauses it";

    /** The operations no sequence draws, with why: a named scenario makes them. */
    public static Map<Class<? extends Operation>, String> operationsItDoesNotDraw() {
        String oneDatabase = "campaigns work in the database postgres; the named scenario 'a database dropped with its synced slot' makes one";
        return Map.ofEntries(Map.entry(Operation.CreateDatabase.class, oneDatabase), Map.entry(Operation.DropDatabase.class, oneDatabase),
                Map.entry(Operation.AwaitSlotIdle.class, NO_IDLE_TIMEOUT),
                Map.entry(Operation.AddStandby.class, "a sequence's directions follow one standby of the primary; the named scenario 'the"
                        + " barrier's scope' adds a second"),
                Map.entry(Operation.PauseReplay.class, PAUSED_REPLAY), Map.entry(Operation.ResumeReplay.class, PAUSED_REPLAY),
                Map.entry(Operation.ConvertToSubscriber.class, "a converted standby leaves the topology a sequence follows; the named"
                        + " scenario 'a standby converted to a subscriber' converts one"),
                Map.entry(Operation.UpgradeInPlace.class, "an upgraded primary's standbys stream no more; the named scenario 'an upgraded"
                        + " primary' upgrades one"),
                Map.entry(Operation.SetSettingWhileStopped.class, "campaigns change no setting that keeps a server from starting; the"
                        + " named scenario 'a standby that will not start' does"),
                Map.entry(Operation.ConnectAsReplicationRole.class, "campaigns connect as slotcheck's superuser; the named scenario 'a"
                        + " sync as a replication role' connects as another"),
                Map.entry(Operation.AwaitCopyMirrorsItsSlot.class, "campaigns judge what a copy mirrors after each sync; the named"
                        + " scenario 'two_phase turned on before a failover' waits for the worker to copy a change"),
                Map.entry(Operation.AlterSubscriptionTwoPhase.class, "campaigns' subscriptions keep two_phase off; the named scenario"
                        + " 'two_phase turned on before a failover' turns it on (18 and later)"));
    }

    /** The subscriptions a sequence may make. */
    public static Set<String> subscriptionsItMakes() {
        return Set.of(SUBSCRIPTION);
    }

    /** The server settings a sequence may change (with SET_SETTING, and at its convergence). */
    public static Set<String> settingsItChanges() {
        return SETTINGS.stream().map(setting -> setting[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private final Random random;
    /**
     * The arguments of kinds added after the first campaigns (process faults, partitions, WAL pressure, the stable
     * endpoint) come from a stream of their own, so that adding them left the draws of every other kind, and the
     * sequences of profiles without them, as they were.
     */
    private final Random laterKinds;
    /**
     * The arguments of kinds only some targets can run (taking a container off its network) come from a third stream:
     * left out (weight 0) where the target cannot run them, they leave that target's sequences as they were.
     */
    private final Random targetKinds;
    /** The arguments of kinds added later still (a wait for the standby's feedback, a slot copied): a fourth stream. */
    private final Random laterStillKinds;
    private final CampaignProfile profile;
    /** The physical slot each standby of the pair streams through: what {@code synchronized_standby_slots} names to list it. */
    private final StreamingSlots streamingSlots;
    private ModelState plan;
    /** How many of the profile's opening operations were returned. */
    private int opened;
    /** The directions still to try, in order, and the operations of the one under way. */
    private final List<DirectedSteps.Direction> directions;
    /** The directions begun, in order. */
    private final List<DirectedSteps.Direction> begun = new ArrayList<>();
    private final Deque<Operation> directed = new ArrayDeque<>();
    /** The draws of the directions (which slot, which variant) come from a stream of their own. */
    private final Random directedDraws;
    /** Random draws since the last direction began: directions and random draws alternate. */
    private int drawnSinceDirection = DRAWS_BETWEEN_DIRECTIONS;
    private static final int DRAWS_BETWEEN_DIRECTIONS = 1;
    /**
     * The settings this sequence's operations gave each node (dbname: whether primary_conninfo has it), starting from those
     * of the pairs slotcheck makes: a direction's setting that would change nothing is left out.
     */
    private final Map<String, Map<String, String>> configured = new HashMap<>();
    /** The slots this sequence's operations made on each node: a direction's drop of a primary's slot it never made is left out. */
    private final Map<String, Set<String>> made = new HashMap<>();
    /** The steps a sequence draws, and how many were returned: a direction is begun only when it fits in what is left. */
    private final int steps;
    private int returned;

    /** The settings of the servers of a pair slotcheck makes, as {@link #configured} knows them. */
    private static final Map<String, String> CONFIGURED_WHEN_MADE = Map.of("hot_standby_feedback", "on", "sync_replication_slots", "off",
            "synchronized_standby_slots", "", "dbname", "true", PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES, "name_like:%",
            PgFailoverSlots.STANDBY_SLOT_NAMES, "", PgFailoverSlots.DROP_EXTRA_SLOTS, "on");

    private static final String DBNAME = "dbname";

    /**
     * Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012: one fixed mix finds fewer bugs than a mix per test): the
     * kinds this sequence's random draws leave out, each with even odds from the seed, never one that heals what a fault
     * left (so no fault outlasts the sequence's chances to heal it). Directed steps are not left out.
     */
    private final Set<String> swarmLeavesOut;
    private static final Set<String> HEALING_KINDS = Set.of("start_node", "resume_node", "resume_process", "heal_link", "reconnect_node");

    public Generator(long seed, CampaignProfile profile, ModelState initialPlan) {
        this(seed, profile, initialPlan, new StreamingSlots(Map.of()), List.of(), Integer.MAX_VALUE);
    }

    /**
     * A generator for a pair whose standbys stream through {@code streamingSlots} (by node) rather than slots named like
     * them, trying {@code directions} in order between the random draws of its {@code steps}.
     */
    public Generator(long seed, CampaignProfile profile, ModelState initialPlan, StreamingSlots streamingSlots,
                     List<DirectedSteps.Direction> directions, int steps) {
        this.streamingSlots = streamingSlots;
        this.random = new Random(seed);
        this.laterKinds = new Random(~seed);
        this.targetKinds = new Random(Long.rotateLeft(seed, 32));
        this.laterStillKinds = new Random(Long.reverse(seed));
        this.directedDraws = new Random(seed * 31 + 17);
        this.profile = profile;
        this.plan = initialPlan;
        this.directions = new ArrayList<>(directions);
        this.swarmLeavesOut = profile.swarm() ? swarmLeavesOut(seed, profile) : Set.of();
        this.steps = steps;
        initialPlan.nodes().keySet().forEach(node -> configured.put(node, new HashMap<>(CONFIGURED_WHEN_MADE)));
    }

    /**
     * Kinds that only directions make, with no random draw of their own: a profile's weight lets its directions use them,
     * and a swarm has nothing of theirs to leave out.
     */
    static final Set<String> DIRECTED_ONLY_KINDS = Set.of("consume_released_by_reload", "consume_released_by_standby", "prepare_transaction",
            "commit_prepared");

    /** The kinds a swarm sequence of {@code seed} leaves out of its random draws. */
    private static Set<String> swarmLeavesOut(long seed, CampaignProfile profile) {
        Random draws = new Random(seed ^ 0x5DEECE66DL);
        Set<String> leftOut = new TreeSet<>();
        for (String kind : new TreeSet<>(profile.weights().keySet())) {
            if (DIRECTED_ONLY_KINDS.contains(kind)) {
                continue;
            }
            if (draws.nextBoolean() && !HEALING_KINDS.contains(kind)) {
                leftOut.add(kind);
            }
        }
        return leftOut;
    }

    /** Rounds of candidates drawn before a plan is declared stuck (with few servers running, a round may offer nothing). */
    private static final int ROUNDS = 1000;

    /** The next operation, and the plan advanced past it: the profile's opening first, then drawn ones. */
    public Operation next() {
        if (opened < profile.opening().size()) {
            return advance(streamingSlots.naming(profile.opening().get(opened++)));
        }
        returned++;
        Optional<Operation> directedStep = nextDirected();
        if (directedStep.isPresent()) {
            return advance(directedStep.get());
        }
        drawnSinceDirection++;
        List<Operation> candidates = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        // the sequence's own subset of kinds first; the profile's whole mix if that subset has nothing allowed in the plan
        for (Set<String> leftOut : List.of(swarmLeavesOut, Set.<String>of())) {
            for (int round = 0; round < ROUNDS && candidates.isEmpty(); round++) {
                for (Supplier<Operation> kind : kinds()) {
                    Operation candidate = kind.get();
                    int weight = leftOut.contains(RecordCodec.typeName(candidate)) ? 0 : profile.weight(candidate);
                    if (weight > 0 && candidate.allowed(plan)) {
                        candidates.add(candidate);
                        weights.add(weight);
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no operation is allowed in the plan " + plan + " with profile " + profile.name());
        }
        int pick = random.nextInt(weights.stream().mapToInt(Integer::intValue).sum());
        Operation chosen = candidates.get(candidates.size() - 1);
        for (int i = 0; i < candidates.size(); i++) {
            pick -= weights.get(i);
            if (pick < 0) {
                chosen = candidates.get(i);
                break;
            }
        }
        return advance(chosen);
    }

    private Operation advance(Operation operation) {
        plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
        if (operation instanceof Operation.SetSetting set) {
            configured.computeIfAbsent(set.node(), node -> new HashMap<>()).put(set.setting(), set.value());
        } else if (operation instanceof Operation.RewritePrimaryConninfo rewrite) {
            configured.computeIfAbsent(rewrite.node(), node -> new HashMap<>()).put(DBNAME, Boolean.toString(rewrite.withDbname()));
        } else if (operation instanceof Operation.Rejoin rejoin) {
            // made a standby again, with a primary_conninfo of slotcheck's (dbname in it)
            configured.computeIfAbsent(rejoin.node(), node -> new HashMap<>()).put(DBNAME, "true");
        } else if (operation instanceof Operation.CreateLogicalSlot create && !create.temporary()) {
            made.computeIfAbsent(create.node(), node -> new HashSet<>()).add(create.slot());
        } else if (operation instanceof Operation.DropSlot drop) {
            made.getOrDefault(drop.node(), new HashSet<>()).remove(drop.slot());
        }
        return operation;
    }

    /** The directions this sequence began so far, in order. */
    public List<DirectedSteps.Direction> directionsBegun() {
        return List.copyOf(begun);
    }

    /**
     * The next operation of the direction under way that the plan allows and the profile draws, beginning the next
     * direction when the one under way is done and a random draw came between; empty when it is a random draw's turn.
     */
    private Optional<Operation> nextDirected() {
        while (true) {
            while (!directed.isEmpty()) {
                Operation operation = directed.poll();
                if (operation.allowed(plan) && mayBeUsed(operation)) {
                    return Optional.of(streamingSlots.naming(operation));
                }
            }
            Optional<DirectedSteps.Roles> roles = roles();
            if (directions.isEmpty() || drawnSinceDirection < DRAWS_BETWEEN_DIRECTIONS || roles.isEmpty()) {
                return Optional.empty();
            }
            // the first direction that fits in the steps left (counting the one being drawn)
            int left = steps - returned + 1;
            Optional<List<Operation>> fitting = Optional.empty();
            for (int i = 0; i < directions.size() && fitting.isEmpty(); i++) {
                List<Operation> built = directions.get(i).build().apply(roles.get(), directedDraws);
                if (built.stream().filter(this::mayBeUsed).count() <= left) {
                    begun.add(directions.remove(i));
                    fitting = Optional.of(built);
                }
            }
            if (fitting.isEmpty()) {
                return Optional.empty();
            }
            directed.addAll(fitting.get());
            drawnSinceDirection = 0;
        }
    }

    /**
     * Whether a direction may use {@code operation}: what the profile draws (a fault it does not inject, or a kind it
     * leaves out, is left out of directions too), and the wait for a subscriber, which only ends sequences otherwise.
     */
    private boolean drawsItInDirections(Operation operation) {
        return profile.weight(operation) > 0 || operation instanceof Operation.AwaitSubscriberCatchUp && profile.runnable(operation);
    }

    /** Whether a direction uses {@code operation}: one the profile draws, that is not known to change nothing. */
    private boolean mayBeUsed(Operation operation) {
        return drawsItInDirections(operation) && !changesNothing(operation);
    }

    /**
     * A setting given the value it has, or the drop of a primary's slot the sequence never made there (a standby's slot
     * may be a copy a sync made).
     */
    private boolean changesNothing(Operation operation) {
        Map<String, String> known = configured.getOrDefault(operation.node(), Map.of());
        if (operation instanceof Operation.SetSetting set) {
            return set.value().equals(known.get(set.setting()));
        }
        if (operation instanceof Operation.DropSlot drop) {
            return model(drop.node()).role() == Role.PRIMARY && !made.getOrDefault(drop.node(), Set.of()).contains(drop.slot());
        }
        return operation instanceof Operation.RewritePrimaryConninfo rewrite && Boolean.toString(rewrite.withDbname()).equals(known.get(DBNAME));
    }

    /**
     * Who a direction works on now: the one running primary and a running standby of the pair (not the cascading one)
     * with its processes and link whole; none while there is not exactly one primary.
     */
    private Optional<DirectedSteps.Roles> roles() {
        List<String> primaries = nodes().stream().filter(node -> model(node).running() && model(node).role() == Role.PRIMARY).toList();
        Optional<String> standby = nodes().stream().filter(node -> !node.equals(CASCADING_STANDBY))
                .filter(node -> model(node).running() && model(node).role() == Role.STANDBY && model(node).pausedProcess() == null
                        && !model(node).linkImpaired()).findFirst();
        if (primaries.size() != 1 || standby.isEmpty()) {
            return Optional.empty();
        }
        String slot = LOGICAL_SLOTS.get(directedDraws.nextInt(LOGICAL_SLOTS.size()));
        String otherSlot = LOGICAL_SLOTS.stream().filter(other -> !other.equals(slot)).findFirst().orElseThrow();
        return Optional.of(new DirectedSteps.Roles(primaries.get(0), standby.get(), streamingSlots.byNode().getOrDefault(standby.get(), standby.get()),
                slot, otherSlot));
    }

    /**
     * What heals the faults the plan still holds, so that a sequence ends on a healthy cluster: paused processes and
     * servers resumed, isolated ones put back on the network, stopped servers started — a stopped primary that another primary replaced rejoins as its standby,
     * through a physical slot named like it — and cut links healed.
     */
    public List<Operation> healing() {
        List<Operation> healing = new ArrayList<>();
        for (String node : nodes()) {
            if (model(node).pausedProcess() != null) {
                healing.add(advance(new Operation.ResumeProcess(node)));
            }
            if (model(node).status() == NodeStatus.PAUSED) {
                healing.add(advance(new Operation.ResumeNode(node)));
            }
            if (model(node).status() == NodeStatus.ISOLATED) {
                healing.add(advance(new Operation.ReconnectNode(node)));
            }
            if (model(node).down()) {
                Optional<String> otherPrimary = nodes().stream().filter(other -> !other.equals(node))
                        .filter(other -> plan.node(other).map(m -> m.running() && m.role() == Role.PRIMARY).orElse(false)).findFirst();
                if (model(node).role() == Role.PRIMARY && otherPrimary.isPresent()) {
                    // the physical slot it will stream through (refused if an earlier step made it already)
                    healing.add(advance(new Operation.CreatePhysicalSlot(otherPrimary.get(), node)));
                    healing.add(advance(new Operation.Rejoin(node, otherPrimary.get(), node)));
                } else {
                    healing.add(advance(new Operation.StartNode(node)));
                }
            }
            if (model(node).linkImpaired()) {
                healing.add(advance(new Operation.HealLink(node)));
            }
        }
        return healing;
    }

    /**
     * The last steps of a healed sequence: each running standby configured as a failover needs it (the sync worker on,
     * hot_standby_feedback on, primary_conninfo with dbname), whatever the configuration flips left, then each waited for
     * until it has converged (replay, then its copies); then each running subscriber until it has applied all its
     * publisher wrote, so that its rows can be compared with the publisher's.
     */
    public List<Operation> convergence() {
        List<String> standbys = nodes().stream().filter(node -> model(node).running() && model(node).role() == Role.STANDBY).toList();
        List<Operation> convergence = new ArrayList<>();
        for (String standby : standbys) {
            Stream<Operation> asAFailoverNeedsIt = extension() ? Stream.of(new Operation.SetSetting(standby, "hot_standby_feedback", "on"))
                    : Stream.of(new Operation.SetSetting(standby, "hot_standby_feedback", "on"), new Operation.RewritePrimaryConninfo(standby, true),
                    new Operation.SetSetting(standby, "sync_replication_slots", "on"));
            asAFailoverNeedsIt.filter(profile::runnable).forEach(o -> convergence.add(advance(o)));
        }
        // the extension's worker, ended by an error, is restarted only a minute later
        int bound = extension() ? PgFailoverSlots.CATCH_UP_SECONDS : convergenceSeconds(!profile.excluded().contains(SIGNAL_PROCESS));
        standbys.forEach(standby -> convergence.add(advance(new Operation.AwaitConvergence(standby, bound))));
        nodes().stream().filter(node -> model(node).running() && model(node).role() == Role.SUBSCRIBER)
                .forEach(subscriber -> convergence.add(advance(new Operation.AwaitSubscriberCatchUp(subscriber, CONVERGENCE_SECONDS))));
        return convergence;
    }

    private NodeModel model(String node) {
        return plan.node(node).orElseThrow();
    }

    /** One candidate of each kind; every kind draws its arguments each step, so draws do not depend on what is allowed. */
    private List<Supplier<Operation>> kinds() {
        List<Supplier<Operation>> kinds = new ArrayList<>();
        // the extension copies slots without a failover flag (16 has none): the draw is made all the same, for the seeds' sake
        kinds.add(() -> new Operation.CreateLogicalSlot(mostly(Role.PRIMARY), logicalSlot(),
                random.nextBoolean() ? "test_decoding" : "pgoutput", chance(10), chance(15), chance(75) && !extension()));
        // a node's own name is the slot it streams through after a rejoin
        kinds.add(() -> new Operation.CreatePhysicalSlot(node(), chance(50) ? PHYSICAL_SLOT : node()));
        kinds.add(() -> new Operation.DropSlot(node(), chance(20) ? PHYSICAL_SLOT : logicalSlot()));
        kinds.add(() -> new Operation.AlterSlotFailover(node(), logicalSlot(), random.nextBoolean()));
        kinds.add(() -> new Operation.WriteTransactions(mostly(Role.PRIMARY), 1 + random.nextInt(5), chance(20)));
        kinds.add(() -> new Operation.ConsumeChanges(mostly(Role.PRIMARY), logicalSlot(), null, chance(20)));
        kinds.add(() -> new Operation.AdvanceSlot(node(), logicalSlot(), null));
        kinds.add(() -> new Operation.Acknowledge(mostly(Role.PRIMARY), logicalSlot(), chance(30)));
        kinds.add(() -> new Operation.SyncSlots(mostly(Role.STANDBY)));
        kinds.add(() -> {
            List<String[]> settings = extension() ? PG_FAILOVER_SLOTS_SETTINGS : SETTINGS;
            String[] setting = settings.get(random.nextInt(settings.size()));
            return streamingSlots.naming(new Operation.SetSetting(node(), setting[0], setting[1]));
        });
        kinds.add(() -> new Operation.Checkpoint(node()));
        kinds.add(() -> new Operation.VacuumCatalogs(node()));
        kinds.add(() -> new Operation.LogStandbySnapshot(mostly(Role.PRIMARY)));
        kinds.add(() -> new Operation.StopNode(node(), random.nextBoolean()));
        kinds.add(() -> new Operation.StartNode(node()));
        kinds.add(() -> new Operation.CrashNode(node()));
        kinds.add(() -> new Operation.PauseNode(node()));
        kinds.add(() -> new Operation.ResumeNode(node()));
        kinds.add(() -> new Operation.SignalProcess(node(laterKinds), serverProcess(), laterKinds.nextBoolean()));
        kinds.add(() -> new Operation.PauseProcess(node(laterKinds), serverProcess()));
        kinds.add(() -> new Operation.ResumeProcess(node(laterKinds)));
        kinds.add(() -> new Operation.PartitionLink(node(laterKinds), laterKinds.nextBoolean()));
        kinds.add(() -> new Operation.DelayLink(node(laterKinds), 50 + 50 * laterKinds.nextInt(6)));
        kinds.add(() -> new Operation.HealLink(node(laterKinds)));
        kinds.add(() -> new Operation.WalPressure(node(laterKinds), 2 + laterKinds.nextInt(3)));
        kinds.add(() -> new Operation.Promote(node()));
        kinds.add(() -> {
            String node = node();
            return new Operation.Rejoin(node, node(), node);
        });
        kinds.add(() -> new Operation.RewritePrimaryConninfo(mostly(Role.STANDBY), chance(60)));
        kinds.add(() -> new Operation.AwaitFailoverReady(mostly(Role.STANDBY), logicalSlot(), WAIT_SECONDS));
        kinds.add(() -> new Operation.AwaitReplayCatchUp(mostly(Role.STANDBY), WAIT_SECONDS));
        kinds.add(() -> new Operation.AddCascadingStandby(CASCADING_STANDBY, mostly(Role.STANDBY)));
        kinds.add(() -> new Operation.AddSubscriber(SUBSCRIBER));
        kinds.add(() -> new Operation.CreateSubscription(SUBSCRIBER, SUBSCRIPTION, mostly(Role.PRIMARY), chance(75) && !extension(),
                laterKinds.nextBoolean() && profile.hasEndpoint()));
        kinds.add(() -> new Operation.MoveEndpoint(node(laterKinds)));
        kinds.add(() -> new Operation.AlterSubscriptionFailover(SUBSCRIBER, SUBSCRIPTION, chance(60)));
        kinds.add(() -> new Operation.RepointSubscription(SUBSCRIBER, SUBSCRIPTION, mostly(Role.PRIMARY)));
        kinds.add(() -> new Operation.AwaitStandbyFeedback(node(laterStillKinds), WAIT_SECONDS));
        kinds.add(() -> new Operation.CopyLogicalSlot(node(laterStillKinds), logicalSlot(laterStillKinds), logicalSlot(laterStillKinds)));
        kinds.add(() -> new Operation.DisconnectNode(node(targetKinds)));
        kinds.add(() -> new Operation.ReconnectNode(node(targetKinds)));
        if (extension()) {
            // what pg_sync_replication_slots() is to the server's own slot sync: the extension has only its worker to wait for
            kinds.add(() -> new Operation.AwaitConvergence(mostly(Role.STANDBY), WAIT_SECONDS));
        }
        return kinds;
    }

    /** Whether the sequence drives the pg_failover_slots extension rather than the server's own slot sync. */
    private boolean extension() {
        return profile.slotSync() == SlotSyncMechanism.PG_FAILOVER_SLOTS;
    }

    /** Any node of the plan: the pair, and the nodes the sequence added so far. */
    private String node() {
        return node(random);
    }

    private String node(Random draws) {
        List<String> nodes = nodes();
        return nodes.get(draws.nextInt(nodes.size()));
    }

    private List<String> nodes() {
        return plan.nodes().keySet().stream().sorted().toList();
    }

    /** A node of {@code role} in the plan four times in five (where the operation does its work), else any node. */
    private String mostly(Role role) {
        List<String> ofRole = nodes().stream().filter(n -> plan.node(n).map(m -> m.role() == role).orElse(false)).toList();
        String any = node();
        return !ofRole.isEmpty() && chance(80) ? ofRole.get(random.nextInt(ofRole.size())) : any;
    }

    private ServerProcess serverProcess() {
        return ServerProcess.values()[laterKinds.nextInt(ServerProcess.values().length)];
    }

    private String logicalSlot() {
        return logicalSlot(random);
    }

    private static String logicalSlot(Random draws) {
        return LOGICAL_SLOTS.get(draws.nextInt(LOGICAL_SLOTS.size()));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }
}
