package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.operation.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The named scenarios on the container targets, and those only containers can show (a server taken off its
 * network): a class of its own, so that the build runs it in a JVM beside the one running the scenarios on local
 * processes (see the scenarios module's Surefire configuration).
 */
class NamedScenariosInContainersTest extends NamedScenariosTest {

    /** Hides {@link NamedScenariosTest#targets()}: JUnit looks the scenarios' argument source up in this class first. */
    static Stream<String> targets() {
        return Clusters.containerTargets();
    }

    /**
     * Partition through the container network: the standby's container taken off the network, both servers running.
     * The standby receives nothing and cannot be observed, and with it listed in synchronized_standby_slots a failover
     * consumer waits at the barrier; back on the network it reconnects, catches up, the consumer moves on and a sync
     * brings the copy to the slot.
     */
    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("targets")
    void aStandbyTakenOffTheNetworkHoldsFailoverConsumersUntilItIsBack(String version) {
        List<Operation> operations = new ArrayList<>(syncReadyCopy());
        operations.addAll(List.of(
                new Operation.SetSetting(PRIMARY, "synchronized_standby_slots", STANDBY),
                new Operation.DisconnectNode(STANDBY),
                new Operation.WriteTransactions(PRIMARY, 2, false),
                consume(PRIMARY),
                new Operation.ReconnectNode(STANDBY),
                new Operation.AwaitReplayCatchUp(STANDBY, WAIT_SECONDS),
                consume(PRIMARY),
                new Operation.SyncSlots(STANDBY)));
        Scenario run = run(version, operations);

        IntStream.rangeClosed(8, 10).forEach(step -> assertTrue(run.step(step).observation(STANDBY).isEmpty(),
                "off the network the standby is not observed (step " + step + ")"));
        assertEquals(QUERY_CANCELED, failure(run.step(10)).sqlState(), "decoding waited for the standby: " + run.step(10).outcome());
        NodeSnapshot back = run.step(11).observation(STANDBY).orElseThrow(() -> new AssertionError("back, the standby is observed"));
        assertTrue(back.flushLsn().isBefore(run.step(11).observation(PRIMARY).orElseThrow().flushLsn()),
                "it had received nothing of the writes: " + back.flushLsn());
        assertInstanceOf(Outcome.Ok.class, run.step(12).outcome(), "back on the network, the standby caught up: " + run.step(12).outcome());
        assertInstanceOf(Outcome.Ok.class, run.step(13).outcome(), "and the consumer moved on: " + run.step(13).outcome());
        assertInstanceOf(Outcome.Ok.class, run.lastStep().outcome(), "and the standby syncs: " + run.lastStep().outcome());
        assertEquals(run.slot(PRIMARY, SLOT).confirmedFlushLsn(), run.slot(STANDBY, SLOT).confirmedFlushLsn());
        run.assertExercised("standby-barrier-holds-back-failover-consumers");
    }
}
