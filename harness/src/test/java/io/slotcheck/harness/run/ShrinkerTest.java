package io.slotcheck.harness.run;

import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkerTest {

    private static final ModelState PLAN = ModelState.of(Campaign.TOPOLOGY);
    private static final Operation CREATE = new Operation.CreateLogicalSlot("primary", "s1", "test_decoding", false, false, true);
    private static final Operation SYNC = new Operation.SyncSlots("standby1");

    @Test
    void keepsOnlyTheOperationsTheViolationNeeds() {
        List<Operation> failing = new GeneratorSequence(99).take(25);
        List<Operation> withCause = new java.util.ArrayList<>(failing);
        withCause.add(3, CREATE);
        withCause.add(17, SYNC);
        Shrinker.Trial needsBoth = ops -> ops.indexOf(CREATE) >= 0 && ops.lastIndexOf(SYNC) > ops.indexOf(CREATE);

        List<Operation> shrunk = Shrinker.shrink(withCause, PLAN, needsBoth, Duration.ofSeconds(10));

        assertEquals(List.of(CREATE, SYNC), shrunk);
    }

    @Test
    void aCandidateThatIsNotLegalIsNeverTried() {
        Operation stop = new Operation.StopNode("primary", false);
        Operation start = new Operation.StartNode("primary");
        List<Operation> failing = List.of(stop, start, SYNC);
        List<List<Operation>> tried = new java.util.ArrayList<>();
        Shrinker.shrink(failing, PLAN, ops -> {
            tried.add(ops);
            return ops.contains(start);
        }, Duration.ofSeconds(10));

        assertFalse(tried.stream().anyMatch(ops -> ops.contains(start) && !ops.contains(stop)), "a start needs the stop before it: " + tried);
        assertTrue(Shrinker.legal(List.of(stop, start), PLAN));
        assertFalse(Shrinker.legal(List.of(start), PLAN));
    }

    /** A long legal sequence to hide the cause in. */
    private record GeneratorSequence(long seed) {
        List<Operation> take(int count) {
            Generator generator = new Generator(seed, CampaignProfile.named("sync-heavy"), PLAN);
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> generator.next()).toList();
        }
    }
}
