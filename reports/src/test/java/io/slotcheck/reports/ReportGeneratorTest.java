package io.slotcheck.reports;

import io.slotcheck.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportGeneratorTest {

    /** Resolved by this module's build (maven-dependency-plugin), as it is into the local repository. */
    private static final Path COMMANDLINE_ZIP = Path.of("target", "allure-commandline",
            "allure-commandline-" + ReportGenerator.COMMANDLINE_VERSION + ".zip");

    @TempDir
    Path directory;

    @Test
    void makesASingleFileReportAndCarriesItsTrendIntoTheNextReportMadeThere() throws Exception {
        ReportGenerator generator = new ReportGenerator(ReportGenerator.unpackOnce(COMMANDLINE_ZIP, directory.resolve("tools")));
        Path report = directory.resolve("allure-report");

        Path firstResults = directory.resolve("first");
        AllureResults first = new AllureResults(firstResults);
        first.write(Sequences.record("sequence 001", Sequences.aheadOfTheStandby(), Sequences.reproduced(), null));
        first.write(Sequences.record("sequence 002", Sequences.conforming(), null, null));
        Path index = generator.generate(firstResults, report, null);
        assertEquals(report.resolve("index.html"), index);
        String html = Files.readString(index);
        assertTrue(html.contains("d('data/test-cases/"), "the report's data is embedded: it opens from disk");
        assertEquals(1, ((List<?>) Json.parse(Files.readString(report.resolve("history/history-trend.json")))).size());

        Path secondResults = directory.resolve("second");
        new AllureResults(secondResults).write(Sequences.record("sequence 001", Sequences.conforming(), null, null));
        generator.generate(secondResults, report, null);
        List<?> trend = (List<?>) Json.parse(Files.readString(report.resolve("history/history-trend.json")));
        assertEquals(2, trend.size(), "one trend point per report made in the same place");
        assertEquals(1L, ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) trend.get(0)).get("data")).get("total"));
    }
}
