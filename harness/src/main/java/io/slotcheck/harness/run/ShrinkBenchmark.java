package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long shrinking takes: a 25-step sequence whose last two steps make a {@link LyingPrimary} show (a slot created,
 * then observed again) after 23 seeded steps that have nothing to do with it, shrunk like a campaign's violation.
 */
public final class ShrinkBenchmark {

    /** What was shrunk, to what, with how many trial runs on fresh pairs, in how long. */
    public record Figures(int originalSteps, int shrunkSteps, int trials, Duration shrink) {
    }

    static final int STEPS = 25;
    private static final String INVARIANT = "primary-confirmed-flush-never-retreats";
    /** Steps that touch no logical slot: writes, checkpoints, snapshots, vacuums, syncs, a physical slot. */
    private static final CampaignProfile FILLER = new CampaignProfile("filler", Map.of("write_transactions", 4, "checkpoint", 2,
            "log_standby_snapshot", 2, "vacuum_catalogs", 1, "sync_slots", 2, "create_physical_slot", 1));

    private ShrinkBenchmark() {
    }

    public static Figures measure(Target target, long seed, Duration budget) {
        Generator filler = new Generator(seed, FILLER, ModelState.of(Campaign.TOPOLOGY));
        List<Operation> operations = new ArrayList<>();
        while (operations.size() < STEPS - 2) {
            operations.add(filler.next());
        }
        operations.add(new Operation.CreateLogicalSlot("primary", "s1", "test_decoding", false, false, false));
        operations.add(new Operation.Checkpoint("primary"));
        AtomicInteger trials = new AtomicInteger();
        Shrinker.Trial trial = candidate -> {
            trials.incrementAndGet();
            return SequenceRun.violates(target, candidate, INVARIANT, LyingPrimary.retreatingConfirmedFlush());
        };
        if (!trial.violates(operations)) {
            throw new SlotcheckException(ExitCode.INTERNAL, "the lying primary of the shrink benchmark was not caught: " + INVARIANT
                    + " held over " + STEPS + " steps");
        }
        long started = System.nanoTime();
        List<Operation> shrunk = Shrinker.shrink(operations, ModelState.of(Campaign.TOPOLOGY), trial, budget);
        return new Figures(operations.size(), shrunk.size(), trials.get() - 1, Duration.ofNanos(System.nanoTime() - started));
    }
}
