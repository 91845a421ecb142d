package io.slotcheck.model.readiness;

import java.util.List;

/**
 * One thing {@code ./slotcheck doctor} found.
 *
 * @param node     the server it is about, by the name the doctor gives it
 * @param problem  what is wrong, in one sentence
 * @param evidence the rows and settings read that show it
 * @param fix      what to do
 */
public record Finding(Severity severity, Rule rule, String node, String problem, List<String> evidence, String fix) {

    public Finding {
        evidence = List.copyOf(evidence);
    }
}
