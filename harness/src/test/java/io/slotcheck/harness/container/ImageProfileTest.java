package io.slotcheck.harness.container;

import io.slotcheck.harness.server.IvorySqlMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageProfileTest {

    @Test
    void anImagesNameSuggestsItsProfile() {
        assertEquals("postgres", ImageProfile.nameForImage("postgres:17"));
        assertEquals("postgres", ImageProfile.nameForImage("registry.example.com/team/postgres:18-bookworm"));
        assertEquals("ivorysql", ImageProfile.nameForImage("ivorysql/ivorysql:4.6-ubi8"));
        assertEquals("ivorysql", ImageProfile.nameForImage("registry.highgo.com/ivorysql/ivorysql:5.1-bookworm"));
        assertEquals("ivorysql", ImageProfile.nameForImage("ivorysql/ivorysql"));
        assertEquals("postgres", ImageProfile.nameForImage("ivorysql/docker-compose-ha-cluster:5.1-4.0.6-ubi8"),
                "only the server images are IvorySQL's own");
        assertEquals("local", ImageProfile.nameForImage(LocalImage.REPOSITORY + ":17.11.0-abc"));
    }

    @Test
    void ivorySqlsImagesRunAsItsAccountInOracleModeUnlessToldOtherwise() {
        ImageProfile oracle = ImageProfile.named("ivorysql", "ivorysql/ivorysql:4.6-ubi8", Optional.empty()).orElseThrow();
        assertEquals("ivorysql", oracle.user(), "the images' account (uid 1000); there is no postgres account");
        assertEquals("initdb", oracle.program("initdb"), "on the PATH: /var/local/ivorysql/ivorysql-N/bin");
        assertEquals(List.of("-m", "oracle"), oracle.initdbModeArguments());
        assertTrue(oracle.oracleMode());

        ImageProfile pg = ImageProfile.named("ivorysql", "ivorysql/ivorysql:4.6-ubi8", Optional.of(IvorySqlMode.PG)).orElseThrow();
        assertEquals(List.of("-m", "pg"), pg.initdbModeArguments());
        assertFalse(pg.oracleMode());
        assertFalse(pg.equals(oracle), "their clusters differ, and so do their templates");
    }

    @Test
    void postgresImagesHaveNoMode() {
        ImageProfile official = ImageProfile.named("postgres", "postgres:17", Optional.empty()).orElseThrow();
        assertEquals("postgres", official.user());
        assertEquals(List.of(), official.initdbModeArguments());
        assertFalse(official.oracleMode());
        assertEquals(Optional.empty(), ImageProfile.named("oracle", "postgres:17", Optional.empty()));
    }
}
