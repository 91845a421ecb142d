package io.slotcheck.model.readiness;

/** A server named to the doctor that did not answer: where it was sought, whether as a standby, and what the attempt said. */
public record Unreachable(String node, String address, boolean standby, String why) {
}
