package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.Clusters;

import java.util.stream.Stream;

/**
 * The named scenarios on the container targets: a class of its own, so that the build runs it in a JVM beside the one
 * running them on local processes (see the scenarios module's Surefire configuration).
 */
class NamedScenariosInContainersTest extends NamedScenariosTest {

    /** Hides {@link NamedScenariosTest#targets()}: JUnit looks the scenarios' argument source up in this class first. */
    static Stream<String> targets() {
        return Clusters.containerTargets();
    }
}
