package io.slotcheck.harness.run;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.state.ModelState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a failing operation list shorter (delta debugging): removes ever smaller chunks, keeps a candidate when its
 * operations are still legal in the plan and it still violates, and stops when no single operation can go or the
 * budget is spent. Each trial runs on a fresh cluster, so it is the trial that is slow, not this.
 */
final class Shrinker {

    /** Whether an operation list still shows the violation (run on a fresh cluster). */
    interface Trial {
        boolean violates(List<Operation> operations);
    }

    private Shrinker() {
    }

    static List<Operation> shrink(List<Operation> failing, ModelState initialPlan, Trial trial, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Operation> current = failing;
        int chunk = Math.max(1, current.size() / 2);
        while (System.nanoTime() < deadline) {
            boolean reduced = false;
            for (int start = 0; start < current.size() && System.nanoTime() < deadline; start += chunk) {
                List<Operation> candidate = without(current, start, chunk);
                if (!candidate.isEmpty() && legal(candidate, initialPlan) && trial.violates(candidate)) {
                    current = candidate;
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return current;
    }

    /** Every operation's precondition holds in the plan folded from the ones before it. */
    static boolean legal(List<Operation> operations, ModelState initialPlan) {
        ModelState plan = initialPlan;
        for (Operation operation : operations) {
            if (!operation.allowed(plan)) {
                return false;
            }
            plan = plan.next(new Step(0, operation, Outcome.ok(), Map.of()));
        }
        return true;
    }

    private static List<Operation> without(List<Operation> operations, int start, int length) {
        List<Operation> rest = new ArrayList<>(operations.subList(0, start));
        rest.addAll(operations.subList(Math.min(operations.size(), start + length), operations.size()));
        return rest;
    }
}
