package io.slotcheck.harness.run;

import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.operation.Fault;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.ServerProcess;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.NodeModel;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    private static List<Operation> sequence(long seed, CampaignProfile profile, int steps) {
        return draw(new Generator(seed, profile, ModelState.of(Campaign.TOPOLOGY)), steps);
    }

    private static List<Operation> draw(Generator generator, int steps) {
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            operations.add(generator.next());
        }
        return operations;
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        assertEquals(sequence(42, CampaignProfile.DEFAULT, 200), sequence(42, CampaignProfile.DEFAULT, 200));
        assertNotEquals(sequence(42, CampaignProfile.DEFAULT, 200), sequence(43, CampaignProfile.DEFAULT, 200));
    }

    @Test
    void kindsATargetCannotRunAreNeverDrawn() {
        CampaignProfile local = CampaignProfile.DEFAULT.without(Map.of("disconnect_node", "no network", "reconnect_node", "no network"));
        int disconnectingSequences = 0;
        for (long seed = 1; seed <= 40; seed++) {
            assertTrue(sequence(seed, local, 30).stream().noneMatch(o -> o instanceof Operation.DisconnectNode || o instanceof Operation.ReconnectNode));
            disconnectingSequences += sequence(seed, CampaignProfile.DEFAULT, 30).stream().anyMatch(Operation.DisconnectNode.class::isInstance) ? 1 : 0;
        }
        assertTrue(disconnectingSequences > 0, "where they can run, standbys are taken off the network");
        assertEquals("default", local.name());
    }

    @Test
    void synchronizedStandbySlotsListsTheSlotTheStandbyStreamsThrough() {
        Set<String> listed = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            Generator generator = new Generator(seed, CampaignProfile.named("continuity"), ModelState.of(Campaign.TOPOLOGY), new StreamingSlots(Map.of("standby1", "db2")), List.of(), 40);
            for (int i = 0; i < 40; i++) {
                if (generator.next() instanceof Operation.SetSetting set && set.setting().equals("synchronized_standby_slots")) {
                    listed.add(set.value());
                }
            }
        }
        assertEquals(Set.of("db2", "primary", ""), listed, "the external standby's own slot, never one named like its node");
    }

    @Test
    void whereTheWorkerCannotBeWokenConvergenceIsWaitedForLonger() {
        CampaignProfile unwoken = CampaignProfile.DEFAULT.without(Map.of("signal_process", "not its processes"));
        assertEquals(List.of(30), convergenceBounds(CampaignProfile.DEFAULT));
        assertEquals(List.of(70), convergenceBounds(unwoken), "two of the worker's longest naps");
    }

    private static List<Integer> convergenceBounds(CampaignProfile profile) {
        return new Generator(1, profile, ModelState.of(Campaign.TOPOLOGY)).convergence().stream()
                .filter(Operation.AwaitConvergence.class::isInstance).map(o -> ((Operation.AwaitConvergence) o).boundSeconds()).toList();
    }

    @Test
    void theExtensionsProfileWaitsForItsWorkerWithItsOwnSettingsAndNoFailoverFlag() {
        CampaignProfile extension = CampaignProfile.DEFAULT.forSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS);
        assertEquals("pg-failover-slots", extension.name());
        List<Operation> operations = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            operations.addAll(sequence(seed, extension, 60));
        }
        assertTrue(operations.stream().noneMatch(o -> o instanceof Operation.SyncSlots || o instanceof Operation.AlterSlotFailover
                || o instanceof Operation.SignalProcess || o instanceof Operation.AlterSubscriptionFailover), "nothing 16 lacks");
        assertTrue(operations.stream().filter(Operation.CreateLogicalSlot.class::isInstance).noneMatch(o -> ((Operation.CreateLogicalSlot) o).failover()));
        assertTrue(operations.stream().filter(Operation.CreateSubscription.class::isInstance).noneMatch(o -> ((Operation.CreateSubscription) o).failover()));
        Set<String> settings = operations.stream().filter(Operation.SetSetting.class::isInstance).map(o -> ((Operation.SetSetting) o).setting())
                .collect(Collectors.toSet());
        assertEquals(Set.of("hot_standby_feedback", PgFailoverSlots.STANDBY_SLOT_NAMES, PgFailoverSlots.SYNCHRONIZE_SLOT_NAMES,
                PgFailoverSlots.DROP_EXTRA_SLOTS), settings);
        assertTrue(operations.stream().anyMatch(Operation.AwaitConvergence.class::isInstance), "its worker is waited for, as a sync is made");
        List<Operation> convergence = new Generator(1, extension, ModelState.of(Campaign.TOPOLOGY)).convergence();
        assertEquals(List.of(new Operation.SetSetting("standby1", "hot_standby_feedback", "on"),
                new Operation.AwaitConvergence("standby1", PgFailoverSlots.CATCH_UP_SECONDS)), convergence, "a wait that outlasts a restart");
        assertEquals(sequence(3, CampaignProfile.DEFAULT, 100), sequence(3, CampaignProfile.DEFAULT, 100));
    }

    @Test
    void aProfileOfOneKindOfSlotSyncIsRefusedOnTheOther() {
        assertEquals(CampaignProfile.DEFAULT, CampaignProfile.DEFAULT.forSlotSync(SlotSyncMechanism.BUILT_IN));
        SlotcheckException themed = assertThrows(SlotcheckException.class,
                () -> CampaignProfile.named("barrier-heavy").forSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS));
        assertTrue(themed.getMessage().contains("leave out --profile (its own, pg-failover-slots, is taken)"), themed.getMessage());
        SlotcheckException extension = assertThrows(SlotcheckException.class,
                () -> CampaignProfile.named("pg-failover-slots").forSlotSync(SlotSyncMechanism.BUILT_IN));
        assertTrue(extension.getMessage().contains("drives the pg_failover_slots extension"), extension.getMessage());
        assertEquals(Set.of(Fault.CRASH), CampaignProfile.DEFAULT.withFaults("crash").forSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS).faults(),
                "the faults chosen stay chosen");
    }

    @Test
    void everyOperationIsAllowedInThePlanWhenItIsDrawn() {
        ModelState plan = ModelState.of(Campaign.TOPOLOGY);
        for (Operation operation : sequence(7, CampaignProfile.named("promotion-heavy"), 500)) {
            assertTrue(operation.allowed(plan), operation + " drawn in " + plan);
            plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
        }
    }

    @Test
    void theContinuityProfileOpensWithASubscriberThroughTheEndpointThenDrawsFailovers() {
        CampaignProfile continuity = CampaignProfile.named("continuity");
        List<Operation> operations = sequence(5, continuity, 400);
        assertEquals(continuity.opening(), operations.subList(0, continuity.opening().size()));
        assertTrue(continuity.opening().contains(new Operation.CreateSubscription("subscriber", "sub1", "primary", true, true)));
        ModelState plan = ModelState.of(Campaign.TOPOLOGY);
        for (Operation operation : operations) {
            assertTrue(operation.allowed(plan), operation + " drawn in " + plan);
            plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
        }
        List<Operation> campaign = campaign(continuity);
        assertTrue(campaign.stream().anyMatch(o -> o instanceof Operation.MoveEndpoint), "the endpoint is moved");
        assertTrue(campaign.stream().anyMatch(o -> o instanceof Operation.Promote), "standbys are promoted");
    }

    /** The random draws of 40 sequences of 50 steps: each sequence draws from its own subset of the profile's kinds. */
    private static List<Operation> campaign(CampaignProfile profile) {
        List<Operation> operations = new ArrayList<>();
        for (long seed = 1; seed <= 60; seed++) {
            operations.addAll(sequence(seed, profile, 50));
        }
        return operations;
    }

    @Test
    void weightsDecideWhatIsDrawnAndZeroLeavesAKindOut() {
        List<Operation> operations = campaign(CampaignProfile.DEFAULT);
        List<Operation> syncHeavy = campaign(CampaignProfile.named("sync-heavy"));
        assertTrue(syncHeavy.stream().noneMatch(o -> o instanceof Operation.Promote), "promote has weight 0 in sync-heavy");
        long syncs = operations.stream().filter(o -> o instanceof Operation.SyncSlots).count();
        long heavySyncs = syncHeavy.stream().filter(o -> o instanceof Operation.SyncSlots).count();
        assertTrue(heavySyncs > syncs * 6 / 5, "sync-heavy draws more syncs: " + heavySyncs + " vs " + syncs);
        // the final convergence is not drawn: every sequence ends with it
        for (Class<?> kind : Operation.class.getPermittedSubclasses()) {
            if (kind == Operation.AwaitConvergence.class || kind == Operation.AwaitSubscriberCatchUp.class
                    || Generator.operationsItDoesNotDraw().containsKey(kind) || Generator.DIRECTED_ONLY_KINDS.contains(RecordCodec.typeNameOf(kind))) {
                continue;
            }
            assertTrue(operations.stream().anyMatch(kind::isInstance), kind.getSimpleName() + " is drawn in a default campaign");
        }
    }

    @Test
    void eachSequenceDrawsFromASwarmOfKindsOfItsOwnThatKeepsWhatHeals() {
        Set<Set<String>> mixes = new java.util.HashSet<>();
        Set<String> drawnAtAll = new java.util.TreeSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            Set<String> drawn = sequence(seed, CampaignProfile.DEFAULT, 300).stream().map(io.slotcheck.model.json.RecordCodec::typeName)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            assertTrue(drawn.size() < 30, "seed " + seed + " leaves some of the default's 40 kinds out: " + drawn);
            mixes.add(drawn);
            drawnAtAll.addAll(drawn);
        }
        assertTrue(mixes.size() >= 15, "the mixes differ from sequence to sequence: " + mixes.size() + " of 20");
        assertTrue(drawnAtAll.containsAll(Set.of("start_node", "resume_node", "resume_process", "heal_link")), drawnAtAll.toString());
        List<Operation> whole = sequence(1, new CampaignProfile("whole", Map.of("write_transactions", 1, "checkpoint", 1)), 100);
        assertTrue(whole.stream().anyMatch(Operation.WriteTransactions.class::isInstance)
                && whole.stream().anyMatch(Operation.Checkpoint.class::isInstance), "a profile that is no swarm draws from its whole mix");
    }

    @Test
    void onlySelectedFaultsAreInjected() {
        List<Operation> none = sequence(3, CampaignProfile.named("promotion-heavy").withFaults("none"), 1000);
        assertTrue(none.stream().allMatch(o -> o.fault().isEmpty()), "no fault with --faults none: " + none.stream()
                .filter(o -> o.fault().isPresent()).findFirst());
        List<Operation> pauses = sequence(3, CampaignProfile.DEFAULT.withFaults("pause"), 2000);
        assertEquals(Set.of(Fault.PAUSE), pauses.stream().flatMap(o -> o.fault().stream()).collect(Collectors.toSet()));
        assertTrue(pauses.stream().anyMatch(o -> o instanceof Operation.PauseProcess));
        assertTrue(pauses.stream().anyMatch(o -> o instanceof Operation.ResumeProcess), "what a fault did is healed by its kind");
        SlotcheckException unknown = assertThrows(SlotcheckException.class, () -> CampaignProfile.DEFAULT.withFaults("crash,flood"));
        assertEquals("no fault 'flood': choose from crash, pause, partition, wal, config, catalog, roles, all or none", unknown.getMessage());
    }

    @Test
    void healingLeavesEveryNodeRunningAndNoProcessPaused() {
        for (long seed = 1; seed <= 40; seed++) {
            Generator generator = new Generator(seed, CampaignProfile.named("promotion-heavy"), ModelState.of(Campaign.TOPOLOGY));
            ModelState plan = ModelState.of(Campaign.TOPOLOGY);
            for (int i = 0; i < 25; i++) {
                plan = plan.next(new Step(0, generator.next(), Outcome.ok(), Map.of()));
            }
            for (Operation heal : generator.healing()) {
                assertTrue(heal.allowed(plan), heal + " is allowed in " + plan);
                plan = plan.next(new Step(0, heal, Outcome.ok(), Map.of()));
            }
            long seedOfPlan = seed;
            plan.nodes().values().forEach(node -> assertTrue(node.running() && node.pausedProcess() == null && !node.linkImpaired(),
                    "seed " + seedOfPlan + ": " + node.name() + " healed: " + node));
            ModelState healed = plan;
            List<String> standbys = plan.nodes().values().stream().filter(node -> node.role() == Role.STANDBY).map(NodeModel::name).sorted().toList();
            List<Operation> convergence = generator.convergence();
            convergence.forEach(operation -> assertTrue(operation.allowed(healed), operation.toString()));
            assertEquals(standbys, convergence.stream().filter(o -> o instanceof Operation.AwaitConvergence).map(Operation::node).toList(),
                    "seed " + seed + ": every standby converges at the end");
            assertEquals(Set.copyOf(standbys), convergence.stream().filter(o -> o.equals(new Operation.SetSetting(o.node(), "sync_replication_slots", "on")))
                    .map(Operation::node).collect(Collectors.toSet()), "seed " + seed + ": with its sync worker on");
        }
    }

    // ---------------------------------------------------------------- directions

    private static List<Operation> directedSequence(long campaignSeed, int index, CampaignProfile profile, int steps) {
        Generator generator = new Generator(Campaign.sequenceSeed(campaignSeed, index), profile, ModelState.of(Campaign.TOPOLOGY), new StreamingSlots(Map.of()),
                DirectedSteps.rotation(campaignSeed, index), steps);
        List<Operation> operations = draw(generator, steps);
        operations.addAll(generator.healing());
        operations.addAll(generator.convergence());
        return operations;
    }

    private static DirectedSteps.Direction direction(String name) {
        return DirectedSteps.catalogue().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Operation> following(DirectedSteps.Direction direction, CampaignProfile profile, int steps) {
        return draw(new Generator(1, profile, ModelState.of(Campaign.TOPOLOGY), new StreamingSlots(Map.of()), List.of(direction), steps), steps);
    }

    /** The directions a campaign's sequences begin, sequence by sequence, as {@link Campaign} draws them. */
    private static List<List<String>> directionsBegun(long campaignSeed, int sequences, int steps) {
        return directionsBegun(CampaignProfile.DEFAULT, campaignSeed, sequences, steps);
    }

    private static List<List<String>> directionsBegun(CampaignProfile profile, long campaignSeed, int sequences, int steps) {
        DirectedSteps.Ledger ledger = new DirectedSteps.Ledger(profile.slotSync(), campaignSeed, Set.of());
        List<List<String>> begun = new ArrayList<>();
        for (int index = 1; index <= sequences; index++) {
            Generator generator = new Generator(Campaign.sequenceSeed(campaignSeed, index), profile,
                    ModelState.of(Campaign.TOPOLOGY), new StreamingSlots(Map.of()), ledger.forSequence(index), steps);
            draw(generator, steps);
            ledger.record(generator.directionsBegun());
            begun.add(generator.directionsBegun().stream().map(DirectedSteps.Direction::name).toList());
        }
        return begun;
    }

    @Test
    void theDefaultCampaignBeginsEveryDirection() {
        Set<String> catalogue = DirectedSteps.catalogue().stream().map(DirectedSteps.Direction::name).collect(Collectors.toSet());
        for (long seed : List.of(1801L, 77L, 9L, 2718L)) {
            List<List<String>> begun = directionsBegun(seed, 10, 20);
            assertEquals(catalogue, begun.stream().flatMap(List::stream).collect(Collectors.toSet()), "seed " + seed + ": " + begun);
        }
    }

    @Test
    void theExtensionsCampaignBeginsEveryDirectionOfItsOwn() {
        CampaignProfile extension = CampaignProfile.DEFAULT.forSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS);
        Set<String> catalogue = DirectedSteps.catalogue(SlotSyncMechanism.PG_FAILOVER_SLOTS).stream().map(DirectedSteps.Direction::name)
                .collect(Collectors.toSet());
        assertTrue(catalogue.stream().allMatch(name -> name.startsWith("pg-failover-slots-")), catalogue.toString());
        for (long seed : List.of(16L, 77L)) {
            List<List<String>> begun = directionsBegun(extension, seed, 10, 20);
            assertEquals(catalogue, begun.stream().flatMap(List::stream).collect(Collectors.toSet()), "seed " + seed + ": " + begun);
        }
    }

    @Test
    void aDirectionNotBegunYetComesBeforeThoseBegun() {
        DirectedSteps.Ledger ledger = new DirectedSteps.Ledger(9, Set.of());
        List<DirectedSteps.Direction> first = ledger.forSequence(1);
        ledger.record(first.subList(0, 3));
        List<DirectedSteps.Direction> second = ledger.forSequence(2);
        assertEquals(Set.copyOf(first.subList(3, first.size())), Set.copyOf(second.subList(0, first.size() - 3)), second.toString());

        DirectedSteps.Ledger focused = new DirectedSteps.Ledger(9, Set.of("promotion-with-a-temporary-copy"));
        focused.record(List.of(direction("failover-with-ready-and-temporary-copies")));
        assertEquals("failover-with-ready-and-temporary-copies", focused.forSequence(2).get(0).name(), "the focus comes first all the same");
    }

    @Test
    void aDirectionIsFollowedStepByStepLeavingOutSettingsThatChangeNothing() {
        List<Operation> operations = following(direction("standby-behind-the-slot"), CampaignProfile.DEFAULT, 20);
        String slot = ((Operation.CreateLogicalSlot) operations.get(0)).slot();
        // the worker is off, feedback on, dbname in primary_conninfo and no barrier in a pair just made: not set again
        assertEquals(List.of(new Operation.CreateLogicalSlot("primary", slot, "test_decoding", false, false, true),
                new Operation.PauseProcess("standby1", ServerProcess.WALRECEIVER), new Operation.WriteTransactions("primary", 2, false),
                new Operation.ConsumeChanges("primary", slot, null, false), new Operation.SyncSlots("standby1"),
                new Operation.SetSetting("standby1", "sync_replication_slots", "on"), new Operation.ResumeProcess("standby1")),
                operations.subList(0, 7));
    }

    @Test
    void aKindOnlyDirectionsMakeIsMadeByItsDirection() {
        for (String kind : Generator.DIRECTED_ONLY_KINDS) {
            assertTrue(CampaignProfile.DEFAULT.weights().getOrDefault(kind, 0) > 0, kind + " has a weight, which lets directions use it");
        }
        List<Operation> barrier = following(direction("barrier-with-the-standby-away"), CampaignProfile.DEFAULT, 40);
        assertTrue(barrier.stream().anyMatch(o -> o instanceof Operation.ConsumeReleasedByReload release && release.list().isEmpty()),
                barrier.toString());
        List<Operation> withoutConfig = following(direction("barrier-with-the-standby-away"), CampaignProfile.DEFAULT.withFaults("crash,pause"), 40);
        assertTrue(withoutConfig.stream().noneMatch(Operation.ConsumeReleasedByReload.class::isInstance), "it changes the configuration: "
                + withoutConfig);
    }

    @Test
    void directionsLeaveOutWhatTheProfileDoesNotInjectAndBeginOnlyWhereTheyFit() {
        List<Operation> noFaults = following(direction("standby-behind-the-slot"), CampaignProfile.DEFAULT.withFaults("none"), 20);
        assertTrue(noFaults.stream().allMatch(o -> o.fault().isEmpty()), noFaults.toString());
        assertTrue(noFaults.subList(0, 4).stream().map(Object::getClass).toList().equals(List.of(Operation.CreateLogicalSlot.class,
                Operation.WriteTransactions.class, Operation.ConsumeChanges.class, Operation.SyncSlots.class)), noFaults.toString());

        List<Operation> fits = following(direction("standby-behind-the-slot"), CampaignProfile.DEFAULT, 7);
        List<Operation> tooShort = following(direction("standby-behind-the-slot"), CampaignProfile.DEFAULT, 6);
        assertEquals(new Operation.PauseProcess("standby1", ServerProcess.WALRECEIVER), fits.get(1), "7 operations fit in 7 steps: " + fits);
        assertNotEquals(fits.subList(0, 6), tooShort, "but not in 6, which are drawn at random");
    }

    @Test
    void directedSequencesAreReproducibleAndEveryOperationIsAllowedWhenDrawn() {
        for (String name : CampaignProfile.NAMED.keySet()) {
            CampaignProfile profile = CampaignProfile.named(name);
            for (int index = 1; index <= 12; index++) {
                List<Operation> operations = directedSequence(5, index, profile, 20);
                assertEquals(operations, directedSequence(5, index, profile, 20), name + " " + index + ": one seed, one sequence");
                ModelState plan = ModelState.of(Campaign.TOPOLOGY);
                for (Operation operation : operations) {
                    assertTrue(operation.allowed(plan), name + " " + index + ": " + operation + " drawn in " + plan);
                    plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
                }
            }
        }
    }
}
