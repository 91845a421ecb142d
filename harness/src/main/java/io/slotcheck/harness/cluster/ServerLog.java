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
        return readSince(offset).lines();
    }

    /** Complete lines written after {@code offset}, and the offset where they end (a line still being written is left). */
    public record Read(List<String> lines, long end) {
    }

    public Read readSince(long offset) {
        if (!Files.exists(file)) {
            return new Read(List.of(), offset);
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (offset >= length) {
                return new Read(List.of(), offset);
            }
            byte[] bytes = new byte[(int) (length - offset)];
            in.seek(offset);
            in.readFully(bytes);
            int lastNewline = bytes.length - 1;
            while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
                lastNewline--;
            }
            if (lastNewline < 0) {
                return new Read(List.of(), offset);
            }
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            return new Read(text.lines().toList(), offset + lastNewline + 1);
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
