package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.WorkArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedBinariesTest {

    @Test
    void pinnedMajorsAndShortVersionsBecomeArtifactVersions() {
        assertEquals("17.12.0", EmbeddedBinaries.artifactVersion("17"));
        assertEquals("18.7.0", EmbeddedBinaries.artifactVersion("18"));
        assertEquals("16.16.0", EmbeddedBinaries.artifactVersion("16"));
        assertEquals("17.4.0", EmbeddedBinaries.artifactVersion("17.4"));
        assertEquals("17.4.0", EmbeddedBinaries.artifactVersion(" 17.4.0 "));
        assertEquals("17.12.0", EmbeddedBinaries.defaultVersion());
    }

    @Test
    void unpinnedMajorAndNonsenseAreRefusedWithTheFix() {
        SlotcheckException unpinned = assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.artifactVersion("12"));
        assertEquals(ExitCode.BINARIES, unpinned.exitCode());
        assertTrue(unpinned.getMessage().contains("12.0.0, 12-latest, or one of 16.16.0, 17.12.0, 18.7.0"), unpinned.getMessage());
        assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.artifactVersion("17.x"));
        assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.artifactVersion("17-newest"));
    }

    /** Numbers compare as numbers (17.12 after 17.9), and a rebuild's version (10.5.0-1) or a beta's is none to take. */
    @Test
    void latestIsTheNewestPlainVersionMavenCentralLists(@TempDir Path temp) throws IOException {
        String central = FakeCentral.listing(temp.resolve("central"), "9.6.24", "10.5.0-1", "17.9.0", "17.12.0", "18.7.0", "19.0.0-1");
        Path repository = localRepositoryHolding(temp.resolve("m2"), "18.9.0");

        assertEquals("18.7.0, the newest on Maven Central", EmbeddedBinaries.newest(Optional.empty(), central, repository).describe(),
                "the local repository's newer jar is not asked about while Maven Central answers");
        assertEquals("17.12.0, the newest 17.x on Maven Central", EmbeddedBinaries.newest(Optional.of(17), central, repository).describe());
        SlotcheckException none = assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.newest(Optional.of(10), central, repository));
        assertEquals(ExitCode.BINARIES, none.exitCode());
        assertEquals("Maven Central has no PostgreSQL 10.x: give a major it has (its newest version is 18.7.0), or a full version",
                none.getMessage());
    }

    @Test
    void theMetadataIsReadOncePerProcessSoEveryLatestOfARunIsTheSameMinor(@TempDir Path temp) throws IOException {
        String central = FakeCentral.listing(temp.resolve("central"), "17.12.0");
        assertEquals("17.12.0", EmbeddedBinaries.newest(Optional.of(17), central, temp).version());
        FakeCentral.listing(temp.resolve("central"), "17.12.0", "17.13.0");
        assertEquals("17.12.0", EmbeddedBinaries.newest(Optional.of(17), central, temp).version());
    }

    @Test
    void withoutMavenCentralLatestIsTheNewestJarOfTheLocalRepositoryAndSaysWhy(@TempDir Path temp) throws IOException {
        String missing = temp.resolve("no-such-mirror").toUri().toString();
        Path repository = localRepositoryHolding(temp.resolve("m2"), "17.9.0", "17.12.0", "18.7.0", "19.0.0-1");
        // what a failed download leaves: a version's directory without its jar
        Files.createDirectories(EmbeddedBinaries.artifactDirectory(repository).resolve("18.9.0"));

        EmbeddedBinaries.Newest newest = EmbeddedBinaries.newest(Optional.empty(), missing, repository);
        assertEquals("18.7.0", newest.version());
        assertTrue(newest.describe().startsWith("18.7.0, the newest in the local Maven repository (Maven Central not reachable: not found: "
                + temp.resolve("no-such-mirror")), newest.describe());
        assertEquals("17.12.0", EmbeddedBinaries.newest(Optional.of(17), missing, repository).version());
    }

    @Test
    void neitherMavenCentralNorTheLocalRepositoryIsAOneLineErrorSayingWhatToDo(@TempDir Path temp) {
        Path empty = temp.resolve("m2");
        // nothing listens on port 1: the connection is refused at once
        SlotcheckException none = assertThrows(SlotcheckException.class,
                () -> EmbeddedBinaries.newest(Optional.of(17), "http://127.0.0.1:1/maven2", empty));
        assertEquals(ExitCode.BINARIES, none.exitCode());
        assertEquals(1, none.getMessage().lines().count(), none.getMessage());
        assertTrue(none.getMessage().startsWith("no PostgreSQL 17.x in the local Maven repository " + empty
                + ", and Maven Central not reachable: "), none.getMessage());
        assertTrue(none.getMessage().endsWith(": connect to Maven Central, or give an installed PostgreSQL with --pg-home"), none.getMessage());
        assertTrue(!none.getMessage().contains("Exception"), none.getMessage());
    }

    /** A replay must run the same minor again, whatever is newest by then. */
    @Test
    void aTargetOfLatestRecordsTheVersionItStoodFor(@TempDir Path temp) throws IOException {
        String central = FakeCentral.listing(temp, "16.16.0", "17.12.0");
        Target target = FakeCentral.asCentral(central, () -> Target.embedded("17-latest", WorkArea.defaultRoot()));
        assertEquals(List.of("--target", "17.12.0"), target.selection());
    }

    @Test
    void serverCommandsDropRootPrivilegesOnlyWhenRunningAsRoot() {
        ServerAccount account = ServerAccount.forCurrentProcess();
        List<String> command = account.command(List.of("initdb", "-D", "x"));
        if (ServerAccount.currentUid() == 0) {
            assertEquals("setpriv", command.get(0));
            assertEquals(List.of("initdb", "-D", "x"), command.subList(command.size() - 3, command.size()));
            assertTrue(account.dropsPrivileges());
        } else {
            assertEquals(List.of("initdb", "-D", "x"), command);
        }
    }

    private static Path localRepositoryHolding(Path repository, String... versions) throws IOException {
        for (String version : versions) {
            Path jar = EmbeddedBinaries.jar(repository, version);
            Files.createDirectories(jar.getParent());
            Files.createFile(jar);
        }
        return repository;
    }
}
