package io.slotcheck.harness;

import io.slotcheck.model.HistoryChecker.Finding;

import java.util.Collection;

/** Process exit codes of {@code ./slotcheck}: one per kind of outcome, so scripts can tell them apart. */
public enum ExitCode {
    OK(0),
    /** A conformance violation was found. */
    VIOLATION(1),
    /** The command line is wrong. */
    USAGE(2),
    /** Infrastructure: a server could not be started, stopped or reached (a port taken, a server that died). */
    SERVER(3),
    /** The PostgreSQL binaries asked for are not there: unknown version, --pg-home without binaries. */
    BINARIES(4),
    /** The work directory cannot be used: not writable, or in use by something else. */
    WORK_DIRECTORY(5),
    /** A history or replay file cannot be read, or its target cannot be checked. */
    HISTORY(6),
    /** The HTML report cannot be made: no Allure results where named, or Allure's report generator failed. */
    REPORT(7),
    /** The container backend cannot run: no Docker engine reachable, an image that can be neither found nor built. */
    CONTAINER_ENGINE(8),
    /** An external cluster's configuration ({@code --external}) cannot be read or is wrong. */
    EXTERNAL_CONFIG(9),
    /** The self-test found a server broken on purpose that the checker did not catch. */
    MUTANT_MISSED(10),
    /** The conformance suite is not on the class path: the harness was started without the scenarios module. */
    SUITE_NOT_BUILT(11),
    /** The servers have no failover slots (PostgreSQL 16 and earlier, without pg_failover_slots): a run there would check nothing. */
    NO_FAILOVER_SLOTS(12),
    /**
     * The only violations found are of defects PostgreSQL fixed in a later minor than the servers' (each is named with its
     * fix): a known defect of that minor, not a new one. Upgrade, or pick up the fix named.
     */
    FIXED_UPSTREAM(13),
    /** Anything the harness did not expect: a defect of slotcheck. */
    INTERNAL(70),
    /** Stopped by Ctrl-C or a kill: servers stopped, results so far kept (128 + SIGINT, as shells report it). */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** OK without violations, VIOLATION if one is of no fix PostgreSQL has made, else FIXED_UPSTREAM. */
    public static ExitCode forViolations(Collection<Finding> findings) {
        return findings.isEmpty() ? OK : findings.stream().anyMatch(Finding::isNewDefect) ? VIOLATION : FIXED_UPSTREAM;
    }
}
