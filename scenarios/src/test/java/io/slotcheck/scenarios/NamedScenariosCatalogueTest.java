package io.slotcheck.scenarios;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue as the README documents it, without any server. */
class NamedScenariosCatalogueTest {

    @Test
    void idsAreUniqueAndKebabCase() {
        List<String> ids = NamedScenarios.catalogue().stream().map(NamedScenario::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), ids.toString());
        ids.forEach(id -> assertTrue(id.matches("[a-z0-9]+(-[a-z0-9]+)*"), id));
    }

    @Test
    void everyScenarioRunsSomethingAndSaysWhatItShows() {
        NamedScenarios.catalogue().forEach(scenario -> {
            assertFalse(scenario.operations().isEmpty(), scenario.id());
            assertFalse(scenario.shows().isBlank(), scenario.id());
            scenario.specItems().forEach(item -> assertTrue(item.matches("§\\d(\\.\\d)?( (item \\d+|O\\d+))?|field failure \\d+|field-failures §4\\.\\d"), item));
        });
    }

    /** The README's table, row by row: id, scenario and what it shows (its code spans as plain text). */
    @Test
    void theReadmeTableListsTheCatalogueInOrder() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        int header = readme.indexOf("| id | scenario | shows |");
        assertTrue(header >= 0, "the README has the scenarios' table");
        List<String> rows = readme.subList(header + 2, readme.size()).stream().takeWhile(line -> line.startsWith("|"))
                .map(line -> line.replace("`", "")).toList();
        assertEquals(NamedScenarios.catalogue().stream().map(s -> "| " + s.id() + " | " + s.title() + " | " + s.shows() + " |").toList(), rows);
    }
}
