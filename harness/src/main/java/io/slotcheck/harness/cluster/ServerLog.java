package io.slotcheck.harness.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A node's server log. Offsets are byte positions: take one before a step, and
 * {@link #linesSince(long)} is what the server said during it.
 */
public final class ServerLog {

    private final Path file;

    ServerLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The current end of the log: what is written after this belongs to the next step. */
    public long offset() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> linesSince(long offset) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            if (offset >= end) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (end - offset)];
            in.seek(offset);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            // a line still being written is left for the next read
            int lastNewline = text.lastIndexOf('\n');
            return lastNewline < 0 ? List.of() : text.substring(0, lastNewline).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line after {@code offset} that matches, waiting up to {@code bound} for it to be written. */
    public String waitFor(Pattern pattern, long offset, Duration bound) {
        return Waits.until("log " + file.getFileName() + " of " + file.getParent().getFileName() + " to show /" + pattern + "/",
                bound, () -> find(pattern, offset), Optional::isPresent).orElseThrow();
    }

    public Optional<String> find(Pattern pattern, long offset) {
        return linesSince(offset).stream().filter(l -> pattern.matcher(l).find()).findFirst();
    }
}
