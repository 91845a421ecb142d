package io.slotcheck.harness.cluster;

import io.slotcheck.harness.SlotcheckException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Bounded waits: every wait has a name and a bound, polls a probe and never sleeps blindly.
 * Probes that throw (a server still starting, a connection refused) are retried until the bound, except for a
 * {@link SlotcheckException}, which ends the wait at once.
 */
public final class Waits {

    /** Poll quickly: the things waited for (a start, a replay, a sync cycle) take tens of milliseconds. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Waits() {
    }

    public static <T> T until(String what, Duration bound, Callable<T> probe, Predicate<? super T> reached) {
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

    private static String describe(Duration bound) {
        return bound.toMillis() % 1000 == 0 ? bound.toSeconds() + " s" : bound.toMillis() + " ms";
    }
}
