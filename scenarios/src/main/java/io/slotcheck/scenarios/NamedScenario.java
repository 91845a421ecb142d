package io.slotcheck.scenarios;

import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.version.VersionProfile;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A scenario of the conformance suite: a fixed operation list run on a fresh primary/standby pair, checked by the
 * model after every step, then {@code verify}'s assertions about what it is there to show (so that it cannot pass by
 * observing nothing).
 *
 * @param id         stable, kebab-case: how {@code ./slotcheck suite --only} and the results name it
 * @param title      its name in words, as the README's table gives it
 * @param shows      what it shows, in one line
 * @param specItems  the items of the spec ({@code §1 item 6}, {@code §3}) and the field failures it shows
 * @param versions   the server versions it applies to
 * @param operations what it runs
 * @param verify     its assertions about the run, failing with an {@link AssertionError}
 * @param needs      what it needs of the target beyond its operations
 */
public record NamedScenario(String id, String title, String shows, List<String> specItems, Versions versions, List<Operation> operations,
                           Consumer<ScenarioRun> verify, Set<Need> needs) {

    /** What a scenario may need of a target beyond undergoing its operations; a cluster slotcheck made has each. */
    public enum Need {
        /** Its assertions read lines the servers must log. */
        SERVER_LOGS,
        /** Its rejoin must keep the server's data, its own slots included, as a DBA's {@code standby.signal} does. */
        REJOIN_KEEPING_DATA
    }

    /**
     * Operations each backend carries out its own way beyond starting, stopping and promoting servers (which every
     * scenario does): a server's crash or pause, its network, its processes, a start it refuses, and programs an
     * installation may lack.
     */
    private static final Set<Class<? extends Operation>> BACKEND_DRIVEN = Set.of(Operation.CrashNode.class, Operation.PauseNode.class,
            Operation.PartitionLink.class, Operation.DelayLink.class, Operation.DisconnectNode.class, Operation.SignalProcess.class,
            Operation.PauseProcess.class, Operation.UpgradeInPlace.class, Operation.ConvertToSubscriber.class,
            Operation.SetSettingWhileStopped.class);

    public NamedScenario {
        specItems = List.copyOf(specItems);
        operations = List.copyOf(operations);
        needs = Set.copyOf(needs);
    }

    public NamedScenario(String id, String title, String shows, List<String> specItems, Versions versions, List<Operation> operations,
                         Consumer<ScenarioRun> verify) {
        this(id, title, shows, specItems, versions, operations, verify, Set.of());
    }

    /** Whether an operation of the scenario is one each backend carries out its own way ({@link #BACKEND_DRIVEN}). */
    public boolean drivesTheBackend() {
        return operations.stream().anyMatch(operation -> BACKEND_DRIVEN.contains(operation.getClass()));
    }

    /** This scenario, needing {@code need} too. */
    public NamedScenario needing(Need need) {
        Set<Need> more = new HashSet<>(needs);
        more.add(need);
        return new NamedScenario(id, title, shows, specItems, versions, operations, verify, more);
    }

    /** The versions a scenario applies to, and how to say which those are. */
    public record Versions(String description, Predicate<VersionProfile> applies) {

        /** Every version with failover slots: 17 and later. */
        public static final Versions WITH_FAILOVER_SLOTS = new Versions("PostgreSQL 17 and later, syncing with their own failover slots",
                VersionProfile::hasFailoverSlots);
    }

    /** Why it cannot run on a server of {@code profile}, if it cannot. */
    public Optional<String> notApplyingTo(VersionProfile profile) {
        return versions.applies().test(profile) ? Optional.empty()
                : Optional.of("applies to " + versions.description() + ", not to " + profile);
    }

    /**
     * Why a target that cannot undergo the operation kinds of {@code cannotRun} (kind to reason, as
     * {@code Target.operationsItCannotRun()} gives them) cannot run it, if it cannot: the first of its operations there.
     */
    public Optional<String> notRunnableWithout(Map<String, String> cannotRun) {
        return operations.stream().map(RecordCodec::typeName).filter(cannotRun::containsKey).findFirst()
                .map(kind -> "needs " + kind + ", which this target cannot run: " + cannotRun.get(kind));
    }

    /** Its id: what a test's parameters show (its operations and assertions would fill a screen). */
    @Override
    public String toString() {
        return id;
    }
}
