package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.Target;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The conformance suite's named scenarios as {@code ./slotcheck suite} runs them. They live in the scenarios module,
 * which depends on the harness (never the other way round), so the command finds them on the class path.
 */
public interface ConformanceSuite {

    /** The scenarios' ids, in the suite's order. */
    List<String> ids();

    /**
     * Runs the scenarios {@code only} names (ids of {@link #ids()}; every one when empty) on {@code target}, each on a
     * fresh pair, printing a line a scenario to {@code progress} and writing the results into {@code out}: OK when every
     * scenario that ran passed, VIOLATION when one failed; a {@code SlotcheckException} when none could run on the
     * target, since a suite that observed nothing passes nothing (NO_FAILOVER_SLOTS where its servers have none, else
     * USAGE).
     */
    ExitCode run(Target target, List<String> only, Path out, PrintStream progress);

    /** The suite on the class path, if any. */
    static Optional<ConformanceSuite> onClassPath() {
        return ServiceLoader.load(ConformanceSuite.class).findFirst();
    }
}
