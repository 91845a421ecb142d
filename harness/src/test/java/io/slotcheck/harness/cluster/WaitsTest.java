package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitsTest {

    @Test
    void returnsTheFirstValueThatReachesTheCondition() {
        AtomicInteger probes = new AtomicInteger();
        assertEquals(3, Waits.until("three probes", Duration.ofSeconds(5), probes::incrementAndGet, n -> n >= 3));
    }

    @Test
    void probesThatFailAreRetried() {
        AtomicInteger probes = new AtomicInteger();
        assertEquals(2, Waits.until("a probe that fails once", Duration.ofSeconds(5), () -> {
            if (probes.incrementAndGet() == 1) {
                throw new IllegalStateException("connection refused");
            }
            return probes.get();
        }, n -> true));
    }

    @Test
    void timeoutNamesTheWaitItsBoundAndWhatWasLastSeen() {
        WaitTimeoutException timeout = assertThrows(WaitTimeoutException.class,
                () -> Waits.until("the answer", Duration.ofMillis(200), () -> 41, n -> n == 42));
        assertEquals("the answer: not reached within 200 ms (last seen: 41)", timeout.getMessage());
    }

    @Test
    void aDiagnosedFailureEndsTheWaitAtOnce() {
        long start = System.nanoTime();
        SlotcheckException failure = assertThrows(SlotcheckException.class, () -> Waits.until("a server", Duration.ofSeconds(30), () -> {
            throw new SlotcheckException(ExitCode.SERVER, "it did not start: FATAL");
        }, v -> true));
        assertEquals("it did not start: FATAL", failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "did not wait for the 30 s bound");
    }
}
