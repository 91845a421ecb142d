package io.slotcheck.harness.run;

import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.history.HistoryFormat;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.operation.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shards of a campaign, run one after another, run the sequences the whole campaign runs, each with the same operations. */
class ShardTest {

    private static final int SEQUENCES = 3;
    private static final int STEPS = 6;
    private static final long SEED = 2317;

    @Test
    void twoShardsRunTheWholeCampaignsSequencesWithItsOperations(@TempDir Path directory) throws IOException {
        Map<Integer, List<Operation>> whole = run(directory.resolve("whole"), Shard.WHOLE);
        Map<Integer, List<Operation>> sharded = new TreeMap<>(run(directory.resolve("shard-1"), new Shard(1, 2)));
        Map<Integer, List<Operation>> second = run(directory.resolve("shard-2"), new Shard(2, 2));

        assertEquals(List.of(1, 3), List.copyOf(sharded.keySet()), "shard 1/2 runs sequences 1 and 3");
        assertEquals(List.of(2), List.copyOf(second.keySet()), "shard 2/2 runs sequence 2");
        sharded.putAll(second);
        assertEquals(whole, sharded);
        // the default profile's directions follow what earlier sequences began: sequence 3 is directed by 1 and 2
        assertFalse(whole.get(3).isEmpty());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(Files.readString(directory.resolve("shard-2").resolve("summary.json")));
        assertEquals("2/2", summary.get("shard"));
        assertEquals(1L, summary.get("sequences"));
    }

    /** The operations each sequence of the shard ran, by sequence index, as its history files show them. */
    private static Map<Integer, List<Operation>> run(Path out, Shard shard) throws IOException {
        Campaign.Settings settings = new Campaign.Settings(SEQUENCES, STEPS, SEED, CampaignProfile.DEFAULT, Duration.ofMinutes(10),
                Duration.ofMinutes(1), out, out.resolve("allure-results"), false, shard);
        new Campaign(Clusters.embedded("17"), settings, new PrintStream(new ByteArrayOutputStream())).run();
        Map<Integer, List<Operation>> operations = new TreeMap<>();
        try (var files = Files.list(out.resolve("histories"))) {
            for (Path file : files.toList()) {
                int index = Integer.parseInt(file.getFileName().toString().replaceAll("\\D", ""));
                operations.put(index, HistoryFormat.read(Files.readString(file)).steps().stream().map(Step::operation).toList());
            }
        }
        assertTrue(operations.size() <= SEQUENCES);
        return operations;
    }
}
