package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.version.Product;
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
        // readable by the account servers run as (root hands them to nobody), as a real installation must be
        home = Files.createTempDirectory(Path.of("/tmp"), "slotcheck-fake-pg-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            Path script = Files.writeString(bin.resolve(program), "#!/bin/sh\necho '" + program + " (PostgreSQL) 17.6'\n");
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
}
