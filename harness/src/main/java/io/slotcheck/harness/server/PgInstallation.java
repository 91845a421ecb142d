package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.version.Product;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL installation: a directory whose {@code bin/} holds initdb, pg_ctl and postgres.
 * The embedded default (Maven Central binaries) and {@code --pg-home} both end here.
 *
 * @param version     the version {@code postgres -V} reports, e.g. {@code 17.11} (IvorySQL reports its PostgreSQL base)
 * @param major       its major version, e.g. 17
 * @param product     PostgreSQL, or a fork recognised by its files
 * @param ivorySqlMode for IvorySQL, the initdb mode its clusters are made in; null for PostgreSQL
 * @param slotSync    what keeps the standbys' copies: the server's own failover slots, or the pg_failover_slots extension
 *                    (the default where the installation has it and no failover slots of its own, 16 and earlier)
 */
public record PgInstallation(Path home, String version, int major, Product product, IvorySqlMode ivorySqlMode, SlotSyncMechanism slotSync) {

    /** The extension's library, where an installation of it puts it: the installation's pkglibdir. */
    private static final List<String> PG_FAILOVER_SLOTS_LIBRARY = List.of("lib/pg_failover_slots.so", "lib/postgresql/pg_failover_slots.so");

    private static final List<String> REQUIRED_PROGRAMS = List.of("initdb", "pg_ctl", "postgres");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    public Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    /** Checks that {@code home} is an installation {@code account} can run, and asks postgres its version. */
    public static PgInstallation at(Path home, ServerAccount account) {
        Path absolute = home.toAbsolutePath().normalize();
        for (String program : REQUIRED_PROGRAMS) {
            Path binary = absolute.resolve("bin").resolve(program);
            if (!Files.isRegularFile(binary)) {
                throw new SlotcheckException(ExitCode.BINARIES, "no " + program + " in " + absolute.resolve("bin")
                        + ": --pg-home must name a PostgreSQL installation directory (the one holding bin/initdb, bin/pg_ctl, bin/postgres)");
            }
            if (!account.canExecute(binary)) {
                throw new SlotcheckException(ExitCode.BINARIES, binary + " cannot be executed by " + account
                        + ": make the installation readable and executable by that account (a path under /root is not)");
            }
        }
        String reported = versionOutput(absolute.resolve("bin").resolve("postgres"));
        Matcher m = VERSION.matcher(reported);
        if (!m.find()) {
            throw new SlotcheckException(ExitCode.BINARIES, absolute.resolve("bin/postgres") + " -V printed '" + reported.strip()
                    + "', not a PostgreSQL version: point --pg-home at a PostgreSQL installation");
        }
        String version = m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
        // IvorySQL's --version names only its PostgreSQL base; its Oracle-mode sample configuration gives it away
        boolean ivorySql = Stream.of("share/ivorysql.conf.sample", "share/postgresql/ivorysql.conf.sample")
                .anyMatch(sample -> Files.isRegularFile(absolute.resolve(sample)));
        int major = Integer.parseInt(m.group(1));
        SlotSyncMechanism slotSync = major < 17 && pgFailoverSlotsLibrary(absolute).isPresent() ? SlotSyncMechanism.PG_FAILOVER_SLOTS
                : SlotSyncMechanism.BUILT_IN;
        return ivorySql ? new PgInstallation(absolute, version, major, Product.IVORYSQL, IvorySqlMode.ORACLE, slotSync)
                : new PgInstallation(absolute, version, major, Product.POSTGRESQL, null, slotSync);
    }

    /** The pg_failover_slots library of the installation in {@code home}, if it has one. */
    public static Optional<Path> pgFailoverSlotsLibrary(Path home) {
        return PG_FAILOVER_SLOTS_LIBRARY.stream().map(home::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** This installation with its standbys' copies kept by {@code mechanism}; the extension must be installed in it. */
    public PgInstallation withSlotSync(SlotSyncMechanism mechanism) {
        if (mechanism == SlotSyncMechanism.PG_FAILOVER_SLOTS && pgFailoverSlotsLibrary(home).isEmpty()) {
            throw new SlotcheckException(ExitCode.BINARIES, home + " has no pg_failover_slots extension (no " + String.join(" or ", PG_FAILOVER_SLOTS_LIBRARY)
                    + "): install the extension into this installation, as its documentation says or from the distribution's package,"
                    + " or leave out --slot-sync");
        }
        return new PgInstallation(home, version, major, product, ivorySqlMode, mechanism);
    }

    /** This IvorySQL installation with its clusters made in {@code mode}; a PostgreSQL installation has no such mode. */
    public PgInstallation withIvorySqlMode(IvorySqlMode mode) {
        if (product != Product.IVORYSQL) {
            throw new SlotcheckException(ExitCode.USAGE, "--ivorysql-mode applies to an IvorySQL installation, and " + home
                    + " holds PostgreSQL " + version + ": leave the option out");
        }
        return new PgInstallation(home, version, major, product, mode, slotSync);
    }

    /** The arguments that make initdb create a cluster in this installation's mode (none for PostgreSQL). */
    public List<String> initdbModeArguments() {
        return ivorySqlMode == null ? List.of() : List.of("-m", ivorySqlMode.value());
    }

    /** Whether its servers open IvorySQL's Oracle-mode listener, which needs a port of its own per server. */
    public boolean oracleMode() {
        return ivorySqlMode == IvorySqlMode.ORACLE;
    }

    public String describe() {
        return (product == Product.IVORYSQL ? "IvorySQL on PostgreSQL " + version + ", " + ivorySqlMode.value() + " mode" : "PostgreSQL " + version)
                + (slotSync == SlotSyncMechanism.PG_FAILOVER_SLOTS ? " with pg_failover_slots" : "") + " (" + home + ")";
    }

    private static String versionOutput(Path postgres) {
        try {
            // postgres -V runs as root too: the root check comes after option parsing
            Process process = new ProcessBuilder(postgres.toString(), "-V").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new SlotcheckException(ExitCode.BINARIES, postgres + " -V failed (" + out.strip()
                        + "): the installation is incomplete or built for another system");
            }
            return out;
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.BINARIES, "could not run " + postgres + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.BINARIES, "interrupted while asking " + postgres + " for its version");
        }
    }
}
