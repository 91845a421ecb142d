package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedBinariesTest {

    @Test
    void pinnedMajorsAndShortVersionsBecomeArtifactVersions() {
        assertEquals("17.11.0", EmbeddedBinaries.artifactVersion("17"));
        assertEquals("18.6.0", EmbeddedBinaries.artifactVersion("18"));
        assertEquals("16.15.0", EmbeddedBinaries.artifactVersion("16"));
        assertEquals("17.4.0", EmbeddedBinaries.artifactVersion("17.4"));
        assertEquals("17.4.0", EmbeddedBinaries.artifactVersion(" 17.4.0 "));
        assertEquals("17.11.0", EmbeddedBinaries.defaultVersion());
    }

    @Test
    void unpinnedMajorAndNonsenseAreRefusedWithTheFix() {
        SlotcheckException unpinned = assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.artifactVersion("12"));
        assertEquals(ExitCode.BINARIES, unpinned.exitCode());
        assertTrue(unpinned.getMessage().contains("16.15.0, 17.11.0, 18.6.0"), unpinned.getMessage());
        assertThrows(SlotcheckException.class, () -> EmbeddedBinaries.artifactVersion("17.x"));
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
}
