package io.slotcheck.model.version;

import java.util.regex.Pattern;

/**
 * A server message text as the C source has it ({@code errmsg}), with printf placeholders. Matches the primary
 * message of an error or a log line; {@code %X/%X} matches both LSN print formats (PG19 pads to 8 digits).
 */
public record MessageTemplate(String text) {

    public Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("%X/%X", i) || text.startsWith("%X/%08X", i)) {
                regex.append("[0-9A-F]+/[0-9A-F]+");
                i += text.startsWith("%X/%X", i) ? 5 : 7;
            } else if (text.startsWith("%s", i)) {
                regex.append(".*?");
                i += 2;
            } else if (text.startsWith("%u", i) || text.startsWith("%d", i)) {
                regex.append("\\d+");
                i += 2;
            } else {
                int next = nextPlaceholder(i);
                regex.append(Pattern.quote(text.substring(i, next)));
                i = next;
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether {@code message} is this text with its placeholders filled in. */
    public boolean matches(String message) {
        return pattern().matcher(message).matches();
    }

    /** Whether some line of a server log contains this text. */
    public boolean foundIn(String logLine) {
        return pattern().matcher(logLine).find();
    }

    private int nextPlaceholder(int from) {
        int next = text.indexOf('%', from + 1);
        while (next >= 0 && !(text.startsWith("%s", next) || text.startsWith("%u", next) || text.startsWith("%d", next)
                || text.startsWith("%X", next))) {
            next = text.indexOf('%', next + 1);
        }
        return next < 0 ? text.length() : next;
    }

    @Override
    public String toString() {
        return text;
    }
}
