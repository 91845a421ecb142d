package io.slotcheck.model.operation;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.WalReceiverRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the pg_failover_slots extension's worker does to a standby's logical slots in one cycle, as pure functions of
 * what the standby and its primary show (pg_failover_slots.c {@code synchronize_failover_slots()}, 1.0 to 1.2). Its
 * copies are plain logical slots named like the primary's: the catalog has no {@code synced} column for them, so a
 * copy is a logical slot of the standby that the standby's {@code synchronize_slot_names} names.
 */
public final class PgFailoverSlots {

    /** Standby: which of the primary's logical slots to copy (default {@code name_like:%}, every one). */
    public static final String SYNCHRONIZE_SLOT_NAMES = "pg_failover_slots.synchronize_slot_names";
    /** Standby: whether inactive logical slots the filter does not find on the primary are dropped (default on). */
    public static final String DROP_EXTRA_SLOTS = "pg_failover_slots.drop_extra_slots";
    /** Primary: the slots (of standbys) that must have flushed what a logical walsender is about to send. */
    public static final String STANDBY_SLOT_NAMES = "pg_failover_slots.standby_slot_names";
    /** Primary: how many of those must have (-1, the default: all). */
    public static final String STANDBY_SLOTS_MIN_CONFIRMED = "pg_failover_slots.standby_slots_min_confirmed";
    /** Standby: the pause between two cycles. */
    public static final String WORKER_NAP_TIME = "pg_failover_slots.worker_nap_time";
    /** The extension's version, as its internal setting reports it. */
    public static final String VERSION = "pg_failover_slots.version";
    /** The {@code backend_type} of its worker on a standby (its background worker's name). */
    public static final String WORKER_BACKEND_TYPE = "pg_failover_slots worker";
    public static final List<String> SETTINGS = List.of(SYNCHRONIZE_SLOT_NAMES, DROP_EXTRA_SLOTS, STANDBY_SLOT_NAMES,
            STANDBY_SLOTS_MIN_CONFIRMED, WORKER_NAP_TIME, VERSION);

    private static final String DEFAULT_FILTER = "name_like:%";

    private PgFailoverSlots() {
    }

    /** One entry of {@code synchronize_slot_names}: {@code name:}, {@code name_like:} (SQL LIKE) or {@code plugin:}; bare is a name. */
    public record SlotFilter(String key, String value) {

        public boolean names(SlotRow slot) {
            return switch (key) {
                case "name" -> value.equals(slot.slotName());
                case "name_like" -> like(value).matcher(slot.slotName()).matches();
                case "plugin" -> value.equals(slot.plugin());
                default -> false;
            };
        }

        /** SQL LIKE as a regular expression: {@code %} any run, {@code _} one character, backslash escapes. */
        private static Pattern like(String pattern) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else if (c == '%') {
                    regex.append(".*");
                } else if (c == '_') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    /** The filters of {@code setting} ({@code check_failover_slot_names()}); unset means the extension's default. */
    public static List<SlotFilter> filters(String setting) {
        String list = setting == null ? DEFAULT_FILTER : setting;
        List<SlotFilter> filters = new ArrayList<>();
        for (String entry : list.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            filters.add(colon < 0 ? new SlotFilter("name", trimmed)
                    : new SlotFilter(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip()));
        }
        return filters;
    }

    /**
     * The primary's slots {@code standby}'s worker copies: logical ones ({@code database IS NOT NULL}) that a filter names,
     * temporary ones included (its query does not exclude them).
     */
    public static List<SlotRow> slotsToCopy(NodeSnapshot standby, NodeSnapshot primary) {
        List<SlotFilter> filters = filters(standby.settings().get(SYNCHRONIZE_SLOT_NAMES));
        return primary.slots().stream().filter(s -> s.database() != null && filters.stream().anyMatch(f -> f.names(s))).toList();
    }

    /** The standby's copies: its logical slots named like one the worker copies from {@code primary}. */
    public static List<SlotRow> copies(NodeSnapshot standby, NodeSnapshot primary) {
        List<String> names = slotsToCopy(standby, primary).stream().map(SlotRow::slotName).toList();
        return standby.slots().stream().filter(s -> s.isLogical() && names.contains(s.slotName())).toList();
    }

    /**
     * Whether a copy has been made: the worker creates a copy ephemeral, reserving WAL and catalog rows from the standby's
     * own position, and waits (active, no confirmed_flush_lsn) until the primary's slot has passed that reservation
     * ({@code wait_for_primary_slot_catchup()}); only then does it take the slot's positions and persist it. Until then
     * the copy is not the slot's, and a promotion loses it (README: "If failover happens at this stage ... will be lost").
     */
    public static boolean isMade(SlotRow copy) {
        return copy.confirmedFlushLsn() != null;
    }

    /**
     * A copy the worker is still making, if there is one: it makes copies one at a time in a cycle and waits in
     * {@code wait_for_primary_slot_catchup()} until that one is safe, so the slots after it get none meanwhile (the
     * source's own TODO: "Don't stop synchronization of other slots for this"; field failure 7).
     */
    public static Optional<SlotRow> copyBeingMade(NodeSnapshot standby, NodeSnapshot primary) {
        return copies(standby, primary).stream().filter(copy -> !isMade(copy)).findFirst();
    }

    /** The README's readiness test: a made copy that the worker is not holding (active = false). */
    public static boolean isReady(SlotRow copy) {
        return isMade(copy) && !copy.active();
    }

    /**
     * The standby's logical slots a cycle drops: inactive ones the primary has no slot to copy to, unless
     * {@code drop_extra_slots} is off (physical slots are never touched since 1.1.0).
     */
    public static List<SlotRow> extraSlots(NodeSnapshot standby, NodeSnapshot primary) {
        if ("off".equals(standby.settings().get(DROP_EXTRA_SLOTS))) {
            return List.of();
        }
        List<String> names = slotsToCopy(standby, primary).stream().map(SlotRow::slotName).toList();
        return standby.slots().stream().filter(s -> s.isLogical() && !s.active() && !names.contains(s.slotName())).toList();
    }

    /**
     * The slots to copy that have no copy where a cycle would make one: none while the standby has received less WAL than
     * the oldest restart_lsn among them ("requested slot synchronization point ... is ahead of the standby position").
     */
    public static List<String> missingCopies(NodeSnapshot standby, NodeSnapshot primary) {
        List<SlotRow> toCopy = slotsToCopy(standby, primary);
        boolean copiesDue = oldestRestartLsn(toCopy).map(oldest -> received(standby).filter(r -> !r.isBefore(oldest)).isPresent()).orElse(false);
        return copiesDue ? toCopy.stream().map(SlotRow::slotName).filter(name -> standby.slot(name).filter(SlotRow::isLogical).isEmpty()).toList()
                : List.of();
    }

    /** What a cycle has yet to do, where it can: copies to make, and extra slots to drop. */
    public static List<String> pendingWork(NodeSnapshot standby, NodeSnapshot primary) {
        return Stream.concat(missingCopies(standby, primary).stream().map(name -> "no copy of " + name),
                extraSlots(standby, primary).stream().map(s -> "extra slot " + s.slotName())).toList();
    }

    /**
     * How long a wait for the worker must be to show it failing: the postmaster restarts a worker that ended with an error
     * (the primary unreachable, hot_standby_feedback off) 60 s later ({@code bgw_restart_time}), and its cycle follows.
     */
    public static final int CATCH_UP_SECONDS = 75;

    /** The oldest restart_lsn among {@code slots}: where the worker moves every copy's restart_lsn at most. */
    private static Optional<Lsn> oldestRestartLsn(List<SlotRow> slots) {
        return slots.stream().map(SlotRow::restartLsn).filter(lsn -> lsn != null && lsn.value() > 0).min(Lsn::compareTo);
    }

    /**
     * The WAL a standby's walreceiver has flushed from its primary, while it streams: what the worker compares the slots'
     * positions with ({@code WalRcv->latestWalEnd}, {@code GetWalRcvFlushRecPtr()}). A standby that does not stream (its
     * primary down, or a timeline it cannot follow) has received nothing new, whatever WAL it holds of its own.
     */
    public static Optional<Lsn> received(NodeSnapshot standby) {
        return standby.walReceiver().filter(receiver -> "streaming".equals(receiver.status())).map(WalReceiverRow::flushedLsn);
    }

    /** The slots of {@code node}'s {@code standby_slot_names}, the barrier's list (empty: no barrier). */
    public static List<String> barrierSlots(NodeSnapshot node) {
        return NodeSnapshot.slotNames(node.settings().getOrDefault(STANDBY_SLOT_NAMES, ""));
    }

    /**
     * How far the barrier lets a logical walsender of {@code node} send: the oldest flush position among the listed slots
     * (a physical slot's restart_lsn, a logical one's confirmed_flush_lsn), when all must confirm; empty when there is no
     * barrier or a listed slot is missing (then the walsender waits, whatever its position).
     */
    public static Optional<Lsn> barrierPosition(NodeSnapshot node) {
        List<String> listed = barrierSlots(node);
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        Lsn oldest = null;
        for (String name : listed) {
            Optional<Lsn> flushed = node.slot(name).map(s -> s.isPhysical() ? s.restartLsn() : s.confirmedFlushLsn());
            if (flushed.isEmpty() || flushed.get() == null) {
                return Optional.of(Lsn.INVALID);
            }
            oldest = oldest == null || flushed.get().isBefore(oldest) ? flushed.get() : oldest;
        }
        return Optional.of(oldest);
    }
}
