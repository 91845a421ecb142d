package io.slotcheck.harness.run;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    private static List<Operation> sequence(long seed, CampaignProfile profile, int steps) {
        Generator generator = new Generator(seed, profile, ModelState.of(Campaign.TOPOLOGY));
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
    void everyOperationIsAllowedInThePlanWhenItIsDrawn() {
        ModelState plan = ModelState.of(Campaign.TOPOLOGY);
        for (Operation operation : sequence(7, CampaignProfile.named("promotion-heavy"), 500)) {
            assertTrue(operation.allowed(plan), operation + " drawn in " + plan);
            plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
        }
    }

    @Test
    void weightsDecideWhatIsDrawnAndZeroLeavesAKindOut() {
        List<Operation> operations = sequence(1, CampaignProfile.DEFAULT, 2000);
        List<Operation> syncHeavy = sequence(1, CampaignProfile.named("sync-heavy"), 2000);
        assertTrue(syncHeavy.stream().noneMatch(o -> o instanceof Operation.Promote), "promote has weight 0 in sync-heavy");
        long syncs = operations.stream().filter(o -> o instanceof Operation.SyncSlots).count();
        long heavySyncs = syncHeavy.stream().filter(o -> o instanceof Operation.SyncSlots).count();
        assertTrue(heavySyncs > syncs * 6 / 5, "sync-heavy draws more syncs: " + heavySyncs + " vs " + syncs);
        for (Class<?> kind : Operation.class.getPermittedSubclasses()) {
            assertTrue(operations.stream().anyMatch(kind::isInstance), kind.getSimpleName() + " is drawn in a long default campaign");
        }
    }
}
