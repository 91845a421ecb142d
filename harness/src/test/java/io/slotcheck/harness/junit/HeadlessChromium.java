package io.slotcheck.harness.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's {@code chromium}, headless: the DOM of a page after its scripts ran, or a screenshot. The report test reads
 * the Allure report through it as a reader's browser shows it.
 */
public final class HeadlessChromium {

    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--virtual-time-budget=15000");

    private final Path executable;
    private final Path profile;

    private HeadlessChromium(Path executable, Path profile) {
        this.executable = executable;
        this.profile = profile;
    }

    /** Chromium from the PATH, with a throw-away profile in {@code scratch}; fails the test with what to install when absent. */
    public static HeadlessChromium onPath(Path scratch) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return new HeadlessChromium(candidate, scratch.resolve("chromium-profile"));
                }
            }
        }
        return fail("chromium is not on the PATH: install it (Debian: apt-get install chromium; .ci/run does) to run the report test");
    }

    /** The DOM of {@code url} once its scripts have run. */
    public String dom(String url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url));
    }

    /** A screenshot of {@code url} at 1400×1000, as PNG in {@code file}. */
    public void screenshot(String url, Path file) throws IOException, InterruptedException {
        run(List.of("--window-size=1400,1000", "--hide-scrollbars", "--screenshot=" + file.toAbsolutePath(), url));
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            fail("chromium wrote no screenshot of " + url);
        }
    }

    private String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--user-data-dir=" + profile));
        command.addAll(FLAGS);
        command.addAll(arguments);
        Path output = Files.createTempFile("chromium-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                fail("chromium did not finish in 90 s: " + command);
            }
            if (process.exitValue() != 0) {
                fail("chromium exited with " + process.exitValue() + ": " + command);
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
