package io.slotcheck.reports;

import io.slotcheck.model.json.Json;
import io.slotcheck.model.readiness.ClusterView;
import io.slotcheck.model.readiness.Readiness;
import io.slotcheck.model.readiness.Rule;
import io.slotcheck.model.version.VersionProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.slotcheck.model.Fixtures.PG17;
import static io.slotcheck.model.Fixtures.PRIMARY_PORT;
import static io.slotcheck.model.Fixtures.STANDBY_PORT;
import static io.slotcheck.model.Fixtures.primary;
import static io.slotcheck.model.Fixtures.slot;
import static io.slotcheck.model.Fixtures.standby;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessResultsTest {

    @Test
    void aTemporaryCopyFailsItsSlotAndItsRuleAndEveryOtherRulePasses(@TempDir Path directory) throws IOException {
        Readiness.Assessment assessment = Readiness.assess(new ClusterView(
                primary("primary", PRIMARY_PORT).with(slot("standby1").physical().active(), slot("s")).setting("synchronized_standby_slots",
                        "standby1").snapshot(),
                List.of(standby("standby1", STANDBY_PORT, PRIMARY_PORT).with(slot("s").synced().temporary()).setting("sync_replication_slots", "on")
                        .syncWorker(301).snapshot()), List.of(), List.of(), List.of(), List.of(), List.of()), VersionProfile.of(PG17));

        ReadinessResults.write(new AllureResults(directory), assessment, "db1:5432");

        Map<String, Map<?, ?>> byName = results(directory);
        assertEquals(Rule.values().length + 1, byName.size(), byName.keySet().toString());
        assertEquals("failed", byName.get("s on standby1").get("status"));
        assertTrue(((Map<?, ?>) byName.get("s on standby1").get("statusDetails")).get("message").toString()
                .startsWith("NOT READY: a promotion of standby1 now loses s: the copy is temporary"));
        assertEquals("failed", byName.get("copy-failover-ready").get("status"));
        assertEquals(List.of("passed"), byName.entrySet().stream().filter(e -> !List.of("s on standby1", "copy-failover-ready").contains(e.getKey()))
                .map(e -> e.getValue().get("status")).distinct().toList());
        assertTrue(Files.readString(directory.resolve("categories.json")).contains("Not ready for failover"));
    }

    private static Map<String, Map<?, ?>> results(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-result.json")).map(file -> {
                try {
                    return (Map<?, ?>) Json.parse(Files.readString(file));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(java.util.stream.Collectors.toMap(result -> result.get("name").toString(), result -> result));
        }
    }
}
