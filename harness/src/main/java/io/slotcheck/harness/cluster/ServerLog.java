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

    /**
     * A line that says why a server exited: its FATAL or PANIC, not a client's connection refused while it starts or
     * stops (a wait that polls by connecting draws those, and on a slow machine one comes before the real reason).
     */
    public static final Pattern EXIT_REASON = Pattern.compile("\\b(FATAL|PANIC):(?!\\s+the database system is (starting up|shutting down"
            + "|not yet accepting connections|in recovery mode))");


    /** Where the log's bytes are: a file of this machine, or one in a container world. */
    public interface Source {

        /** How many bytes there are now (0 before the server first wrote). */
        long size();

        /** The bytes from {@code offset} to the end (none when there are no more). */
        byte[] readFrom(long offset);

        /** Where the log is, for messages. */
        String location();

        /** Why the log cannot be read, if it cannot (a log of this machine or of a container always can). */
        default Optional<String> unreadable() {
            return Optional.empty();
        }
    }

    private final Source source;

    public ServerLog(Source source) {
        this.source = source;
    }

    /** The log in {@code file} of this machine. */
    static ServerLog ofFile(Path file) {
        return new ServerLog(new Source() {
            @Override
            public long size() {
                try {
                    return Files.exists(file) ? Files.size(file) : 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public byte[] readFrom(long offset) {
                if (!Files.exists(file)) {
                    return new byte[0];
                }
                try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                    long length = in.length();
                    if (offset >= length) {
                        return new byte[0];
                    }
                    byte[] bytes = new byte[(int) (length - offset)];
                    in.seek(offset);
                    in.readFully(bytes);
                    return bytes;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String location() {
                return file.toString();
            }
        });
    }

    /** Why this log cannot be read, if it cannot: then it shows no lines. */
    public Optional<String> unreadable() {
        return source.unreadable();
    }

    /** Where the log is (a path, on this machine or in the node's container world). */
    public String location() {
        return source.location();
    }

    /** The current end of the log: what is written after this belongs to the next step. */
    public long offset() {
        return source.size();
    }

    /** Everything the server logged so far. */
    public String text() {
        return new String(source.readFrom(0), StandardCharsets.UTF_8);
    }

    public List<String> linesSince(long offset) {
        return readSince(offset).lines();
    }

    /** Complete lines written after {@code offset}, and the offset where they end (a line still being written is left). */
    public record Read(List<String> lines, long end) {
    }

    public Read readSince(long offset) {
        byte[] bytes = source.readFrom(offset);
        int lastNewline = bytes.length - 1;
        while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
            lastNewline--;
        }
        if (lastNewline < 0) {
            return new Read(List.of(), offset);
        }
        String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
        return new Read(text.lines().toList(), offset + lastNewline + 1);
    }

    /** The first line after {@code offset} that matches, waiting up to {@code bound} for it to be written. */
    public String waitFor(Pattern pattern, long offset, Duration bound) {
        return Waits.until("log " + location() + " to show /" + pattern + "/", bound, () -> find(pattern, offset), Optional::isPresent)
                .orElseThrow();
    }

    public Optional<String> find(Pattern pattern, long offset) {
        return linesSince(offset).stream().filter(l -> pattern.matcher(l).find()).findFirst();
    }
}
