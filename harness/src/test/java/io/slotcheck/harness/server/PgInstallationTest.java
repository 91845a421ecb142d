package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.version.Product;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an installation is recognised (IvorySQL by its files: its --version names only its PostgreSQL base). */
class PgInstallationTest {

    private Path home;

    /** An installation whose programs only answer {@code -V} as IvorySQL 4.6's do; with its Oracle-mode sample if {@code ivorySql}. */
    private Path fakeInstallation(boolean ivorySql) throws IOException {
        return fakeInstallation(ivorySql, "17.6");
    }

    private Path fakeInstallation(boolean ivorySql, String version) throws IOException {
        // readable by the account servers run as (root hands them to nobody), as a real installation must be
        home = Files.createTempDirectory(Path.of("/tmp"), "slotcheck-fake-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            Path script = Files.writeString(bin.resolve(program), "#!/bin/sh\necho '" + program + " (PostgreSQL) " + version + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (ivorySql) {
            Files.writeString(Files.createDirectories(home.resolve("share/postgresql")).resolve("ivorysql.conf.sample"), "#ivorysql.port = 1521\n");
        }
        return home;
    }

    @AfterEach
    void removeFake() throws IOException {
        FileTrees.delete(home);
    }

    @Test
    void anIvorySqlBuildIsRecognisedAndMakesOracleModeClustersUnlessToldOtherwise() throws IOException {
        PgInstallation ivorySql = PgInstallation.at(fakeInstallation(true), ServerAccount.forCurrentProcess());
        assertEquals(Product.IVORYSQL, ivorySql.product());
        assertEquals("17.6", ivorySql.version());
        assertTrue(ivorySql.oracleMode(), "IvorySQL's initdb defaults to Oracle mode");
        assertEquals(List.of("-m", "oracle"), ivorySql.initdbModeArguments());
        assertTrue(ivorySql.describe().startsWith("IvorySQL on PostgreSQL 17.6, oracle mode"), ivorySql.describe());

        PgInstallation pgMode = ivorySql.withIvorySqlMode(IvorySqlMode.PG);
        assertFalse(pgMode.oracleMode());
        assertEquals(List.of("-m", "pg"), pgMode.initdbModeArguments());
    }

    @Test
    void aPostgresqlInstallationHasNoIvorySqlMode() throws IOException {
        PgInstallation postgres = PgInstallation.at(fakeInstallation(false), ServerAccount.forCurrentProcess());
        assertEquals(Product.POSTGRESQL, postgres.product());
        assertEquals(List.of(), postgres.initdbModeArguments());
        SlotcheckException refused = assertThrows(SlotcheckException.class, () -> postgres.withIvorySqlMode(IvorySqlMode.ORACLE));
        assertEquals(ExitCode.USAGE, refused.exitCode());
        assertTrue(refused.getMessage().contains("--ivorysql-mode applies to an IvorySQL installation"), refused.getMessage());
    }

    @Test
    void pgFailoverSlotsKeepsTheCopiesOfSixteenWhereInstalledAndOfSeventeenWhenAskedFor() throws IOException {
        Path sixteen = fakeInstallation(true, "16.4");
        ServerAccount account = ServerAccount.forCurrentProcess();
        assertEquals(SlotSyncMechanism.BUILT_IN, PgInstallation.at(sixteen, account).slotSync(), "without the extension: nothing to check, refused later");
        Files.writeString(Files.createDirectories(sixteen.resolve("lib/postgresql")).resolve("pg_failover_slots.so"), "");
        PgInstallation withExtension = PgInstallation.at(sixteen, account);
        assertEquals(SlotSyncMechanism.PG_FAILOVER_SLOTS, withExtension.slotSync());
        assertTrue(withExtension.describe().contains("with pg_failover_slots"), withExtension.describe());

        FileTrees.delete(sixteen);
        PgInstallation seventeen = PgInstallation.at(fakeInstallation(false, "17.6"), account);
        SlotcheckException notInstalled = assertThrows(SlotcheckException.class, () -> seventeen.withSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS));
        assertEquals(ExitCode.BINARIES, notInstalled.exitCode());
        assertTrue(notInstalled.getMessage().contains("has no pg_failover_slots extension"), notInstalled.getMessage());
        Files.writeString(Files.createDirectories(home.resolve("lib")).resolve("pg_failover_slots.so"), "");
        PgInstallation installed = PgInstallation.at(home, account);
        assertEquals(SlotSyncMechanism.BUILT_IN, installed.slotSync(), "17 has failover slots of its own: the extension only when asked");
        assertEquals(SlotSyncMechanism.PG_FAILOVER_SLOTS, installed.withSlotSync(SlotSyncMechanism.PG_FAILOVER_SLOTS).slotSync());
    }
}
