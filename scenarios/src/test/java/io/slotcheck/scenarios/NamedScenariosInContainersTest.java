package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * The named scenarios on the container targets, where those only containers can show run too (a server taken off
 * its network): a class of its own, so that the build runs it in a JVM beside the one running the scenarios on local
 * processes (see the scenarios module's Surefire configuration). By default those whose operations each backend
 * carries out its own way ({@link NamedScenario#drivesTheBackend()}); every one with {@code -Dslotcheck.containers.scenarios=all}
 * (the nightly profile): the others start, stop and promote servers as every scenario does, and otherwise run SQL,
 * which is the same in a container as on this machine.
 */
class NamedScenariosInContainersTest extends NamedScenariosTest {

    /** Hides {@link NamedScenariosTest#scenarios()}: JUnit looks the scenarios' argument source up in this class first. */
    static Stream<Arguments> scenarios() {
        boolean all = "all".equals(System.getProperty("slotcheck.containers.scenarios"));
        return scenariosOn(Clusters.containerTargets(), scenario -> all || scenario.drivesTheBackend());
    }
}
