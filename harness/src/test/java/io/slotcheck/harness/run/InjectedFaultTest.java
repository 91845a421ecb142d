package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.junit.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against a test double of a server that lies ({@link LyingPrimary}): its primary reports each logical
 * slot's confirmed_flush_lsn one byte lower at every observation. The campaign must catch it, reproduce it, shrink it,
 * and the replay file must show it again.
 */
class InjectedFaultTest {

    @TempDir
    Path results;

    @Test
    void aLyingServerIsCaughtShrunkAndReplayable() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        // writes and checkpoints, now and then a slot: seed 12 draws a checkpoint and five writes before the primary's slot,
        // so the violation (at its second observation) comes after steps to shrink away
        CampaignProfile slotsAndWrites = new CampaignProfile("slots-and-writes",
                Map.of("create_logical_slot", 3, "write_transactions", 5, "checkpoint", 2));
        Campaign.Settings settings = new Campaign.Settings(1, 25, 12, slotsAndWrites, Duration.ofMinutes(5), Duration.ofMinutes(2), results);
        RunSummary summary = new Campaign(Clusters.embedded("17"), settings, new PrintStream(progress, true, StandardCharsets.UTF_8),
                LyingPrimary::retreatingConfirmedFlush).run();

        String printed = progress.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertFalse(summary.conformant(), printed);
        String json = Files.readString(results.resolve("summary.json"));
        assertTrue(json.contains("\"invariant\":\"primary-confirmed-flush-never-retreats\""), json);
        assertTrue(json.contains("\"classification\":\"violation\""), "it reproduced on a fresh cluster: " + json);
        ReplayFile replay = ReplayFile.read(results.resolve("replay-sequence-001.json"));
        assertTrue(json.matches("(?s).*\"original_steps\":([3-9]|1[0-9]|2[0-5]),\"shrunk_steps\":2,.*"), "the steps up to the second"
                + " observation of a logical slot, shrunk to its creation and one more step: " + json);
        assertEquals(2, replay.operations().size(), replay.operations().toString());
        assertTrue(replay.operations().stream().anyMatch(o -> o instanceof io.slotcheck.model.operation.Operation.CreateLogicalSlot),
                replay.operations().toString());

        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        int code = Replay.run(replay, results.resolve("replay-logs"), Clusters.embedded("17"),
                new PrintStream(replayed, true, StandardCharsets.UTF_8), LyingPrimary.retreatingConfirmedFlush());
        assertEquals(ExitCode.VIOLATION.code(), code, replayed.toString(StandardCharsets.UTF_8));
        assertTrue(replayed.toString(StandardCharsets.UTF_8).contains("reproduced: step"), replayed.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(results.resolve("logs/sequence-001/primary.log")), "the campaign kept the servers' logs with its results");
        String standbyConfiguration = Files.readString(results.resolve("logs/sequence-001/standby1.conf"));
        assertTrue(standbyConfiguration.contains("primary_conninfo") && standbyConfiguration.contains("# postgresql.auto.conf"),
                "and their configuration: " + standbyConfiguration);
        assertTrue(Files.exists(results.resolve("replay-logs/standby1.log")), "so did the replay");
    }
}
