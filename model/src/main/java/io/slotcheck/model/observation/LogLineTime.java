package io.slotcheck.model.observation;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time a server log line begins with ({@code log_line_prefix} {@code %m}, or {@code %t}), as the server's clock read
 * it; its zone is left out, the same for every line of one server.
 */
public final class LogLineTime {

    private static final Pattern TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private LogLineTime() {
    }

    /** The time {@code line} shows, if its prefix shows one. */
    public static Optional<LocalDateTime> of(String line) {
        Matcher matcher = TIME.matcher(line);
        return matcher.find() ? Optional.of(LocalDateTime.parse(matcher.group(1).replace(' ', 'T'))) : Optional.empty();
    }

    /** {@code line} with {@code time} in place of the time it shows (in milliseconds), or as it is if it shows none. */
    public static String with(String line, LocalDateTime time) {
        Matcher matcher = TIME.matcher(line);
        return matcher.find() ? MILLIS.format(time) + line.substring(matcher.end()) : line;
    }
}
