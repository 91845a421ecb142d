package io.slotcheck.scenarios;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The pairs of a suite run, one per scenario: where the target lets pairs start side by side (servers of this
 * machine), the next scenario's pair starts while the one before runs, so that no scenario waits for its pair's start
 * but the first.
 */
final class Pairs implements AutoCloseable {

    private final Target target;
    private final ExecutorService starter = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "next pair");
        thread.setDaemon(true);
        return thread;
    });
    private Optional<CompletableFuture<Cluster>> next = Optional.empty();

    Pairs(Target target) {
        this.target = target;
    }

    /**
     * A pair for the scenario about to run: the one started beside the scenario before, or a new one; {@code another}
     * says whether a later scenario will want one, to start beside this one.
     */
    Supplier<Cluster> forScenario(boolean another) {
        return () -> {
            Cluster pair = next.map(Pairs::started).orElseGet(target::startPair);
            next = Optional.of(another && target.startsPairsSideBySide()).filter(Boolean::booleanValue)
                    .map(yes -> CompletableFuture.supplyAsync(target::startPair, starter));
            return pair;
        };
    }

    /** Closes a pair started for a scenario that did not come. */
    @Override
    public void close() {
        next.ifPresent(unused -> {
            try {
                started(unused).close();
            } catch (RuntimeException e) {
                // a pair that did not start has nothing to close
            }
        });
        next = Optional.empty();
        starter.shutdownNow();
    }

    private static Cluster started(CompletableFuture<Cluster> pair) {
        try {
            return pair.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
