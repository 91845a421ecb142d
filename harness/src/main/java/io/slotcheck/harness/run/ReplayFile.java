package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What it takes to run a failing sequence again: how to select its target, the campaign seed and sequence index, the
 * invariant it violated, and the exact operations. {@code ./slotcheck replay FILE} runs them on a fresh cluster.
 */
public record ReplayFile(List<String> targetSelection, long seed, int sequence, String invariant, int step, List<Operation> operations) {

    static final String FORMAT = "slotcheck-replay";

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("format_version", 1L);
        json.put("target", targetSelection);
        json.put("seed", seed);
        json.put("sequence", (long) sequence);
        json.put("invariant", invariant);
        json.put("step", (long) step);
        json.put("operations", operations.stream().map(RecordCodec::encode).toList());
        return Json.write(json) + "\n";
    }

    public static ReplayFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.HISTORY, "cannot read replay file " + file + " (" + e.getMessage()
                    + "): give a replay-*.json file written by ./slotcheck run");
        }
        try {
            Map<?, ?> json = (Map<?, ?>) Json.parse(text);
            if (!FORMAT.equals(json.get("format"))) {
                throw new IllegalArgumentException("no \"format\":\"" + FORMAT + "\"");
            }
            List<Operation> operations = new ArrayList<>();
            for (Object operation : (List<?>) json.get("operations")) {
                operations.add((Operation) RecordCodec.decode(operation, Operation.class));
            }
            List<String> selection = ((List<?>) json.get("target")).stream().map(String::valueOf).toList();
            return new ReplayFile(selection, (Long) json.get("seed"), Math.toIntExact((Long) json.get("sequence")),
                    (String) json.get("invariant"), Math.toIntExact((Long) json.get("step")), operations);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new SlotcheckException(ExitCode.HISTORY, file + " is not a readable replay file (" + e.getMessage()
                    + "): give a replay-*.json file written by ./slotcheck run");
        }
    }
}
