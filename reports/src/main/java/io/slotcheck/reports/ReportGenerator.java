package io.slotcheck.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Makes the HTML report from an Allure results directory, offline, with Allure's report generator
 * ({@code io.qameta.allure:allure-commandline} from Maven Central, resolved by the build). The report is one
 * {@code index.html} that opens from disk; its trend data is kept beside it in {@code history/} and carried into the
 * next report made in the same place (or from {@code historyFrom}).
 */
public final class ReportGenerator {

    /** The pinned allure-commandline version. */
    public static final String COMMANDLINE_VERSION = pinnedVersion();

    /** Embedded data of a single-file report: {@code d('history/history-trend.json','<base64>')}. */
    private static final Pattern EMBEDDED_HISTORY = Pattern.compile("d\\('(history/[\\w.-]+)','([A-Za-z0-9+/=]*)'\\)");

    private final Path commandline;

    /** A generator that runs the allure-commandline distribution unpacked at {@code commandline}. */
    public ReportGenerator(Path commandline) {
        this.commandline = commandline;
    }

    /** Where allure-commandline's zip is in a local Maven repository. */
    public static Path commandlineZip(Path localRepository) {
        return localRepository.resolve("io/qameta/allure/allure-commandline").resolve(COMMANDLINE_VERSION)
                .resolve("allure-commandline-" + COMMANDLINE_VERSION + ".zip");
    }

    /** Unpacks {@code zip} into {@code directory} unless done before; returns the distribution's home. */
    public static Path unpackOnce(Path zip, Path directory) {
        Path home = directory.resolve("allure-" + COMMANDLINE_VERSION);
        if (Files.isDirectory(home.resolve("lib"))) {
            return home;
        }
        Path partial = directory.resolve("unpacking-" + ProcessHandle.current().pid());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = partial.resolve(entry.getName()).normalize();
                if (!target.startsWith(partial)) {
                    throw new IOException("entry outside the archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                Files.move(partial.resolve("allure-" + COMMANDLINE_VERSION), home, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException another) {
                // another slotcheck process unpacked it at the same time
            }
            deleteTree(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + directory, e);
        }
        return home;
    }

    /**
     * Generates the report of {@code results} into {@code report} and returns its {@code index.html}. Trend data comes
     * from {@code historyFrom} (a previous report directory), else from a report already in {@code report}.
     */
    public Path generate(Path results, Path report, Path historyFrom) throws IOException, InterruptedException {
        Path previousHistory = (historyFrom != null ? historyFrom : report).resolve("history");
        if (Files.isDirectory(previousHistory)) {
            copyTree(previousHistory, results.resolve("history"));
        }
        Path log = Files.createTempFile("slotcheck-report-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.awt.headless=true", "-cp", commandline.resolve("lib") + "/*:" + commandline.resolve("lib/config"),
                    "io.qameta.allure.CommandLine", "generate", "--single-file", "--clean", results.toString(), "-o", report.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("APP_HOME", commandline.toString());
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new IOException("Allure's report generator did not finish in 5 minutes");
            }
            Path index = report.resolve("index.html");
            if (process.exitValue() != 0 || !Files.isRegularFile(index)) {
                List<String> lines = Files.readAllLines(log);
                throw new IOException("Allure's report generator failed (exit " + process.exitValue() + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            keepHistory(index, report.resolve("history"));
            return index;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Writes the trend data embedded in a single-file report to {@code history}, where the next report picks it up. */
    static void keepHistory(Path index, Path history) throws IOException {
        Files.createDirectories(history);
        Matcher embedded = EMBEDDED_HISTORY.matcher(Files.readString(index, StandardCharsets.UTF_8));
        while (embedded.find()) {
            Files.write(history.resolve(Path.of(embedded.group(1)).getFileName()), Base64.getDecoder().decode(embedded.group(2)));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static String pinnedVersion() {
        Properties properties = new Properties();
        try (InputStream in = ReportGenerator.class.getResourceAsStream("/slotcheck-reports.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("slotcheck-reports.properties is missing from the build", e);
        }
        return properties.getProperty("allure-commandline.version");
    }
}
