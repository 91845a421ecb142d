package io.slotcheck.reports;

import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.json.RecordCodec;
import io.slotcheck.model.operation.Operation;

import java.util.LinkedHashMap;
import java.util.Map;

/** How operations and outcomes read in a report: the names the history format uses. */
final class Steps {

    private Steps() {
    }

    /** E.g. {@code consume_changes on primary}. */
    static String title(Operation operation) {
        return RecordCodec.typeName(operation) + " on " + operation.node();
    }

    /** The operation's arguments other than its node, by the names the history format uses. */
    static Map<String, String> arguments(Operation operation) {
        Map<String, String> arguments = new LinkedHashMap<>();
        ((Map<?, ?>) RecordCodec.encode(operation)).forEach((name, value) -> {
            if (!name.equals("type") && !name.equals("node")) {
                arguments.put(String.valueOf(name), String.valueOf(value));
            }
        });
        return arguments;
    }

    /** One line, e.g. {@code ok} or {@code failed 55000: cannot drop replication slot "s"}. */
    static String outcome(Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            return "failed " + failed.sqlState() + ": " + failed.message();
        }
        if (outcome instanceof Outcome.Unknown unknown) {
            return "unknown: " + unknown.reason();
        }
        return "ok";
    }

    /** One line per operation, numbered: a shrunk sequence as a reader (and a replay file) sees it. */
    static String listing(java.util.List<Operation> operations) {
        StringBuilder listing = new StringBuilder();
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            listing.append(i + 1).append(". ").append(title(operation));
            Map<String, String> arguments = arguments(operation);
            if (!arguments.isEmpty()) {
                listing.append(" ").append(arguments);
            }
            listing.append('\n');
        }
        return listing.toString();
    }
}
