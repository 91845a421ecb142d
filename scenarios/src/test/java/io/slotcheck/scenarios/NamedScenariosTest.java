package io.slotcheck.scenarios;

import io.slotcheck.harness.junit.AllureSequence;
import io.slotcheck.harness.junit.Clusters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance suite's named scenarios ({@link NamedScenarios}) on the targets of this machine's processes, each
 * through the code {@code ./slotcheck suite} runs it with ({@link Suite#runOne}); {@link NamedScenariosInContainersTest}:
 * the same in containers.
 */
class NamedScenariosTest {

    /** Every scenario on every local target. */
    static Stream<Arguments> scenarios() {
        return scenariosOn(Clusters.localTargets(), scenario -> true);
    }

    /** The scenarios {@code chosen} on each of {@code targets}, each named by its title. */
    static Stream<Arguments> scenariosOn(Stream<String> targets, Predicate<NamedScenario> chosen) {
        return targets.flatMap(target -> NamedScenarios.catalogue().stream().filter(chosen)
                .map(scenario -> Arguments.of(target, Named.of(scenario.title(), scenario))));
    }

    /**
     * Fails with what the scenario did not show (a violation first), skips one the target cannot run saying why; its
     * history is the test's steps in the build's Allure results.
     */
    @ParameterizedTest(name = "{1} on PostgreSQL {0}")
    @MethodSource("scenarios")
    void namedScenario(String target, NamedScenario scenario) {
        Path serverFiles = Path.of("target", "scenario-logs", target.replaceAll("[^A-Za-z0-9.]+", "-"), scenario.id());
        Suite.Result result = Suite.runOne(Clusters.target(target), scenario, serverFiles);
        result.run().ifPresent(run -> AllureSequence.addToCurrentTest(Suite.EPIC, scenario.title(), run.history(), run.report()));
        Assumptions.assumeTrue(result.verdict() != Suite.Verdict.NOT_RUN, result.detail());
        if (result.verdict() == Suite.Verdict.FAILED) {
            fail(result.detail() + "\nthe servers' logs and configuration: " + serverFiles.toAbsolutePath() + "\nhistory:\n"
                    + result.run().orElseThrow().describe());
        }
    }
}
