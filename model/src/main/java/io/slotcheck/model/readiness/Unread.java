package io.slotcheck.model.readiness;

/** Something the doctor could not read on {@code node}, and why (a privilege the account lacks, mostly). */
public record Unread(String node, String what, String why) {
}
