package io.slotcheck.harness.cluster;

import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.history.BoundedWait;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Bounded waits: every wait has a name and a bound, polls a probe and never sleeps blindly.
 * Probes that throw (a server still starting, a connection refused) are retried until the bound, except for a
 * {@link SlotcheckException}, which ends the wait at once. A {@link Journal} open on the thread records each wait.
 */
public final class Waits {

    private static final ThreadLocal<Journal> JOURNAL = new ThreadLocal<>();

    /** Poll quickly: the things waited for (a start, a replay, a sync cycle) take tens of milliseconds. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Waits() {
    }

    public static <T> T until(String what, Duration bound, Callable<T> probe, Predicate<? super T> reached) {
        long started = System.nanoTime();
        boolean met = false;
        try {
            T value = await(what, bound, probe, reached);
            met = true;
            return value;
        } finally {
            record(what, bound, started, met);
        }
    }

    /**
     * Records a wait the server bounds itself (a statement under statement_timeout) that began at {@code startedNanos}
     * and has ended, in the journal open on this thread if any.
     */
    public static void record(String what, Duration bound, long startedNanos, boolean reached) {
        Journal journal = JOURNAL.get();
        if (journal != null) {
            journal.waits.add(new BoundedWait(what, bound.toMillis(), (System.nanoTime() - startedNanos) / 1_000_000, reached));
        }
    }

    private static <T> T await(String what, Duration bound, Callable<T> probe, Predicate<? super T> reached) {
        AtomicReference<Object> lastSeen = new AtomicReference<>("nothing yet");
        try {
            return Awaitility.await(what)
                    .atMost(bound)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL_INTERVAL)
                    .pollInSameThread()
                    // a server that is still starting fails probes; a failure slotcheck has diagnosed is final
                    .ignoreExceptionsMatching(e -> !(e instanceof SlotcheckException))
                    .until(() -> {
                        try {
                            T value = probe.call();
                            lastSeen.set(value);
                            return value;
                        } catch (Exception e) {
                            lastSeen.set(e.getMessage());
                            throw e;
                        }
                    }, value -> value != null && reached.test(value));
        } catch (ConditionTimeoutException e) {
            throw new WaitTimeoutException(what + ": not reached within " + describe(bound) + " (last seen: " + lastSeen.get() + ")", e);
        }
    }

    public static void until(String what, Duration bound, Callable<Boolean> condition) {
        until(what, bound, condition, Boolean::booleanValue);
    }

    /** Starts recording the waits this thread makes, until the journal is closed. */
    public static Journal journal() {
        Journal journal = new Journal();
        JOURNAL.set(journal);
        return journal;
    }

    /** The waits made on one thread while it was open. */
    public static final class Journal implements AutoCloseable {
        private final List<BoundedWait> waits = new ArrayList<>();

        private Journal() {
        }

        public List<BoundedWait> waits() {
            return List.copyOf(waits);
        }

        @Override
        public void close() {
            JOURNAL.remove();
        }
    }

    private static String describe(Duration bound) {
        return bound.toMillis() % 1000 == 0 ? bound.toSeconds() + " s" : bound.toMillis() + " ms";
    }
}
