package io.slotcheck.harness.external;

import io.slotcheck.harness.cli.Main;
import io.slotcheck.model.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the tests of the external mode do to the pair they hand over: commands, queries by address, and campaigns. */
final class ExternalCampaigns {

    private ExternalCampaigns() {
    }

    /** Runs {@code command} in a shell; it must succeed. */
    static void run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder("sh", "-c", String.join(" ", command))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The first column of the first row {@code sql} gives on the server at {@code server} (host:port). */
    static String query(String server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + server + "/postgres", "postgres", "");
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** A campaign of {@code profile} on the cluster {@code config} describes, every fault, seed 33: its summary. */
    static Map<String, Object> campaign(Path temp, Path config, String profile, int sequences) throws IOException {
        return campaign(temp, config, profile, sequences, "all", 33);
    }

    /** A campaign of 15-step sequences on the cluster {@code config} describes, which must end conformant: its summary. */
    static Map<String, Object> campaign(Path temp, Path config, String profile, int sequences, String faults, long seed) throws IOException {
        Path out = temp.resolve("run-" + config.getFileName());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = Main.run(List.of("run", "--external", config.toString(), "--profile", profile, "--faults", faults, "--sequences",
                Integer.toString(sequences), "--steps", "15", "--seed", Long.toString(seed), "--out", out.toString()),
                new PrintStream(output), new PrintStream(errors));
        assertEquals(0, exit, output + "\n" + errors);
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(out.resolve("summary.json")));
        return summary;
    }
}
