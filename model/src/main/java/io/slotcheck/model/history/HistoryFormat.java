package io.slotcheck.model.history;

import io.slotcheck.model.json.Json;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history file: JSON Lines, UTF-8. The first line is the header, every further line one step:
 * <pre>
 * {"format":"slotcheck-history","format_version":1,"target":"embedded 17.11.0","server_version":"PostgreSQL 17.11 on ...","seed":42}
 * {"index":1,"operation":{"type":"create_logical_slot","node":"primary",...},"outcome":{"type":"ok"},"observations":{"primary":{...}}}
 * </pre>
 * Field names are the snake_case names of the model's records ({@link Step}, {@link Operation}, {@link Outcome},
 * {@code NodeSnapshot}, {@code SlotRow}); LSNs are written as PostgreSQL prints them. A reader of a newer
 * {@code format_version} refuses the file rather than misread it.
 */
public final class HistoryFormat {

    public static final String FORMAT = "slotcheck-history";
    public static final int VERSION = 1;

    private HistoryFormat() {
    }

    public static String header(History history) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("format_version", (long) VERSION);
        header.put("target", history.target());
        header.put("server_version", history.serverVersion());
        if (history.slotSync() != SlotSyncMechanism.BUILT_IN) {
            // a history of the server's own slot sync says nothing, as those before the extension did
            header.put("slot_sync", history.slotSync().historyName);
        }
        header.put("seed", history.seed());
        return Json.write(header);
    }

    public static String line(Step step) {
        return Json.write(RecordCodec.encode(step));
    }

    public static String write(History history) {
        StringBuilder out = new StringBuilder(header(history)).append('\n');
        history.steps().forEach(step -> out.append(line(step)).append('\n'));
        return out.toString();
    }

    /** Reads a history; a malformed file is refused with the line and the field that are wrong. */
    public static History read(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new HistoryFormatException("the file is empty: a history starts with a header line");
        }
        Map<?, ?> header = object(lines.get(0), 1);
        if (!FORMAT.equals(header.get("format"))) {
            throw new HistoryFormatException("line 1: not a slotcheck history (no \"format\":\"" + FORMAT + "\")");
        }
        Object version = header.get("format_version");
        if (!(version instanceof Long v) || v > VERSION || v < 1) {
            throw new HistoryFormatException("line 1: format_version " + version + " is not one this slotcheck reads (1.." + VERSION
                    + "): use the slotcheck that wrote it, or a newer one");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            try {
                steps.add((Step) RecordCodec.decode(object(lines.get(i), i + 1), Step.class));
            } catch (IllegalArgumentException e) {
                throw new HistoryFormatException("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        try {
            return new History((String) header.get("target"), (String) header.get("server_version"),
                    SlotSyncMechanism.named((String) header.get("slot_sync")), (Long) header.get("seed"), steps);
        } catch (ClassCastException e) {
            throw new HistoryFormatException("line 1: target, server_version and slot_sync must be strings, seed a number or null");
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException("line 1: " + e.getMessage());
        }
    }

    private static Map<?, ?> object(String line, int number) {
        try {
            if (Json.parse(line) instanceof Map<?, ?> map) {
                return map;
            }
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException("line " + number + ": not JSON (" + e.getMessage() + ")");
        }
        throw new HistoryFormatException("line " + number + ": not a JSON object");
    }

    /** A history file that cannot be read; the message names the line. */
    public static final class HistoryFormatException extends RuntimeException {
        public HistoryFormatException(String message) {
            super(message);
        }
    }
}
