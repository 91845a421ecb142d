package io.slotcheck.model.readiness;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.ReplicationRow;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.SlotSync;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a live cluster's logical replication would survive a promotion now, and if not why: {@link Rule}s as pure
 * functions of one {@link ClusterView}, with the version's own texts. What {@code ./slotcheck doctor} prints.
 */
public final class Readiness {

    /** The findings, worst first, and the verdict of each failover slot on each standby. */
    public record Assessment(List<Finding> findings, List<CopyVerdict> copies, List<Unread> unread) {

        public Assessment {
            findings = List.copyOf(findings);
            copies = List.copyOf(copies);
            unread = List.copyOf(unread);
        }

        /** Ready for a failover: nothing found that blocks it or loses data. */
        public boolean ready() {
            return findings.stream().noneMatch(finding -> finding.severity().notReady());
        }
    }

    private Readiness() {
    }

    /**
     * What changed from one assessment to the next, one line each: the verdict, findings that appeared ({@code +}) or were
     * mended ({@code -}), and failover slots that came to survive a promotion or no longer do. A finding that only moved
     * (a copy a few bytes further behind) is the same finding.
     */
    public static List<String> changes(Assessment before, Assessment after) {
        List<String> changes = new ArrayList<>();
        if (before.ready() != after.ready()) {
            changes.add(after.ready() ? "now READY" : "now NOT READY");
        }
        for (Finding finding : after.findings()) {
            if (before.findings().stream().noneMatch(other -> sameFinding(finding, other))) {
                changes.add("+ " + finding.severity().label().toUpperCase() + "  " + finding.node() + "  " + finding.rule().id() + ": "
                        + finding.problem());
            }
        }
        for (Finding finding : before.findings()) {
            if (after.findings().stream().noneMatch(other -> sameFinding(finding, other))) {
                changes.add("- mended  " + finding.node() + "  " + finding.rule().id() + ": " + finding.problem());
            }
        }
        for (CopyVerdict copy : after.copies()) {
            Optional<CopyVerdict> was = before.copies().stream()
                    .filter(other -> other.slot().equals(copy.slot()) && other.standby().equals(copy.standby())).findFirst();
            if (was.isEmpty() || was.get().survives() != copy.survives()) {
                changes.add("~ " + copy.slot() + " on " + copy.standby() + (copy.survives() ? " survives a promotion now"
                        : " no longer survives a promotion: " + String.join("; ", copy.reasons())));
            }
        }
        return changes;
    }

    private static boolean sameFinding(Finding one, Finding other) {
        return one.rule() == other.rule() && one.node().equals(other.node()) && one.severity() == other.severity()
                && positionsBlanked(one.problem()).equals(positionsBlanked(other.problem()));
    }

    private static String positionsBlanked(String text) {
        return text.replaceAll("[0-9A-F]+/[0-9A-F]+|\\d+", "#");
    }

    public static Assessment assess(ClusterView view, VersionProfile profile) {
        NodeSnapshot primary = view.primary();
        List<SlotRow> failoverSlots = primary.slots().stream()
                .filter(slot -> SlotSync.sentBySyncQuery(slot) && !slot.isTableSyncSlot() && slot.invalidationReason() == null)
                // one still being created (CREATE SUBSCRIPTION waiting for its snapshot) has no position yet: nothing to copy
                .filter(slot -> slot.restartLsn() != null && slot.confirmedFlushLsn() != null && slot.catalogXmin() != null).toList();
        List<Finding> findings = new ArrayList<>();
        List<CopyVerdict> copies = new ArrayList<>();
        for (NodeSnapshot standby : view.standbys()) {
            findings.addAll(syncPreconditions(standby, primary, profile, !failoverSlots.isEmpty()));
            findings.addAll(leftoverSlots(standby, primary));
            for (SlotRow slot : failoverSlots) {
                CopyVerdict verdict = copyVerdict(slot, standby, replayLag(primary, standby));
                copies.add(verdict);
                findings.addAll(copyFindings(slot, standby, verdict));
            }
        }
        view.unreachable().forEach(server -> findings.add(new Finding(server.standby() ? Severity.BLOCKS_FAILOVER : Severity.NOTE,
                Rule.SERVER_ANSWERS, server.node(), server.node() + " at " + server.address() + " does not answer"
                + (server.standby() ? ": whether its copies would survive a promotion is not known" : ""), List.of(server.node() + ": "
                + server.why()), "start it, or check the address and the account")));
        findings.addAll(barrier(view, profile, !failoverSlots.isEmpty()));
        findings.addAll(configurationFiles(view));
        findings.addAll(subscriptions(view));
        findings.addAll(idleSlots(primary));
        findings.sort(Comparator.comparing(Finding::severity));
        return new Assessment(findings, copies, view.unread());
    }

    // ---- copies

    /** The replay lag the primary's walsender of {@code standby} reports: the one on its primary_slot_name slot. */
    private static Long replayLag(NodeSnapshot primary, NodeSnapshot standby) {
        return primary.slot(standby.settings().getOrDefault("primary_slot_name", "")).map(SlotRow::activePid)
                .flatMap(pid -> primary.replication().stream().filter(row -> row.pid() == pid).findFirst())
                .map(ReplicationRow::replayLagMillis).orElse(null);
    }

    static CopyVerdict copyVerdict(SlotRow slot, NodeSnapshot standby, Long standbyLag) {
        Optional<SlotRow> copy = standby.slot(slot.slotName());
        List<String> reasons = new ArrayList<>();
        if (copy.isEmpty()) {
            reasons.add("no copy on " + standby.node());
        } else if (!copy.get().isSynced()) {
            reasons.add("a slot of " + standby.node() + "'s own has its name, not a synced copy");
        } else {
            if (copy.get().temporary()) {
                reasons.add("the copy is temporary: a promotion drops it" + Optional.ofNullable(copy.get().slotsyncSkipReason())
                        .map(reason -> " (skipped: " + reason + ")").orElse(""));
            }
            if (copy.get().invalidationReason() != null) {
                reasons.add("the copy is invalidated (" + copy.get().invalidationReason() + ")");
            }
        }
        if (aheadOf(slot, standby)) {
            reasons.add("its consumer was sent WAL up to " + slot.confirmedFlushLsn() + ", " + standby.node() + " has flushed up to "
                    + standby.flushLsn());
        }
        Lsn copyPosition = copy.filter(SlotRow::isSynced).map(SlotRow::confirmedFlushLsn).orElse(null);
        Long behind = copyPosition == null || slot.confirmedFlushLsn() == null ? null
                : Math.max(0, slot.confirmedFlushLsn().value() - copyPosition.value());
        return new CopyVerdict(slot.slotName(), standby.node(), slot.confirmedFlushLsn(), copyPosition, behind, standbyLag, reasons);
    }

    private static boolean aheadOf(SlotRow slot, NodeSnapshot standby) {
        return slot.confirmedFlushLsn() != null && standby.flushLsn() != null && slot.confirmedFlushLsn().isAfter(standby.flushLsn());
    }

    private static List<Finding> copyFindings(SlotRow slot, NodeSnapshot standby, CopyVerdict verdict) {
        List<Finding> findings = new ArrayList<>();
        Optional<SlotRow> copy = standby.slot(slot.slotName()).filter(SlotRow::isSynced);
        List<String> evidence = List.of("primary: " + describe(slot), standby.node() + ": " + standby.slot(slot.slotName()).map(Readiness::describe)
                .orElse("no slot " + slot.slotName()), standby.node() + ": flushed up to " + standby.flushLsn());
        if (copy.isEmpty() || copy.get().temporary() || copy.get().invalidationReason() != null) {
            String fix = copy.isEmpty() ? "mend " + standby.node() + "'s other findings; then a sync cycle makes the copy once " + standby.node()
                    + " has flushed the slot's confirmed_flush_lsn (or call SELECT pg_sync_replication_slots() there)"
                    : copy.get().invalidationReason() != null ? "the next sync cycle replaces a copy whose slot is valid; keep hot_standby_feedback on"
                    + " and max_slot_wal_keep_size -1 on " + standby.node() + " so that it lasts"
                    : "a copy turns persistent once the slot on the primary has passed the copy's restart_lsn and catalog_xmin: let its"
                    + " consumer go on (or advance the slot), then wait for a sync cycle";
            findings.add(new Finding(Severity.BLOCKS_FAILOVER, Rule.COPY_FAILOVER_READY, standby.node(), "a promotion of " + standby.node()
                    + " now loses the slot " + slot.slotName() + ": " + verdict.reasons().get(0), evidence, fix));
        }
        if (aheadOf(slot, standby)) {
            findings.add(new Finding(Severity.LOSES_OR_DUPLICATES_DATA, Rule.STANDBY_HAS_WHAT_CONSUMERS_RECEIVED, standby.node(),
                    "the consumer of " + slot.slotName() + " was sent changes " + standby.node() + " does not have: a promotion of it now"
                            + " leaves them on the subscriber only", evidence,
                    "list " + standby.node() + "'s slot in the primary's synchronized_standby_slots, so consumers wait for it"));
        }
        if (copy.isPresent() && !copy.get().temporary() && verdict.bytesBehind() != null && verdict.bytesBehind() > 0) {
            findings.add(new Finding(Severity.NOTE, Rule.COPY_KEEPS_UP, standby.node(), "the copy of " + slot.slotName() + " is "
                    + verdict.bytesBehind() + " bytes behind its slot: after a promotion of " + standby.node() + " now, a consumer that does"
                    + " not say where it is gets them again", evidence,
                    "the next sync cycle moves it (sync_replication_slots on, or SELECT pg_sync_replication_slots() on " + standby.node() + ")"));
        }
        return findings;
    }

    // ---- a standby's sync

    private static List<Finding> syncPreconditions(NodeSnapshot standby, NodeSnapshot primary, VersionProfile profile, boolean slotsToSync) {
        Severity severity = slotsToSync ? Severity.BLOCKS_FAILOVER : Severity.DEGRADES;
        String consequence = slotsToSync ? "no failover slot is synced to it" : "a failover slot made now would not be synced to it";
        List<Finding> findings = new ArrayList<>();
        boolean settingsRead = ClusterView.read(standby, "primary_conninfo") && ClusterView.read(standby, "primary_slot_name");
        Optional<Message> problem = settingsRead ? SlotSync.parameterProblem(standby.settings()) : Optional.empty();
        problem.ifPresent(message -> findings.add(new Finding(severity, Rule.SYNC_PARAMETERS, standby.node(),
                consequence + ": the server says \"" + profile.text(message).text() + "\"",
                List.of(standby.node() + ": " + settings(standby, "wal_level", "effective_wal_level", "primary_slot_name", "hot_standby_feedback",
                        "primary_conninfo")), parameterFix(message, standby))));
        String primarySlot = standby.settings().getOrDefault("primary_slot_name", "");
        if (!primarySlot.isEmpty() && primary.slot(primarySlot).filter(SlotRow::isPhysical).isEmpty()) {
            findings.add(new Finding(severity, Rule.PRIMARY_SLOT_ON_THE_PRIMARY, standby.node(), consequence + ": replication slot \""
                    + primarySlot + "\" specified by \"primary_slot_name\" does not exist on primary server",
                    List.of(standby.node() + ": primary_slot_name = " + primarySlot, "primary: physical slots "
                            + primary.slots().stream().filter(SlotRow::isPhysical).map(SlotRow::slotName).toList()),
                    "on the primary: SELECT pg_create_physical_replication_slot('" + primarySlot + "', true)"));
        }
        boolean streaming = standby.walReceiver().filter(receiver -> "streaming".equals(receiver.status())).isPresent();
        // a role without pg_read_all_stats sees the walreceiver's row with its state blank: not known, so not judged
        boolean unknown = standby.walReceiver().filter(receiver -> receiver.status() == null).isPresent();
        if (!streaming && !unknown) {
            findings.add(new Finding(slotsToSync ? Severity.DEGRADES : Severity.NOTE, Rule.STANDBY_STREAMS, standby.node(),
                    standby.node() + " does not stream from the primary: its copies cannot move past the WAL it has",
                    List.of(standby.node() + ": pg_stat_wal_receiver " + standby.walReceiver().map(Object::toString).orElse("has no row"),
                            standby.node() + ": flushed up to " + standby.flushLsn()),
                    "see " + standby.node() + "'s log for why its walreceiver does not connect (primary_conninfo, pg_hba.conf, the primary's slot)"));
        }
        if (problem.isEmpty() && slotsToSync) {
            findings.addAll(syncRuns(standby));
        }
        if ("on".equals(standby.settings().get("sync_replication_slots")) && standby.settings().containsKey(PgFailoverSlots.VERSION)) {
            findings.add(new Finding(Severity.DEGRADES, Rule.ONE_SYNCHRONIZER, standby.node(), "both the slot sync worker"
                    + " (sync_replication_slots on) and the pg_failover_slots extension keep copies of the primary's slots on "
                    + standby.node(), List.of(standby.node() + ": " + settings(standby, "sync_replication_slots", PgFailoverSlots.VERSION)),
                    "keep one: on 17 and later the server's own (remove pg_failover_slots from shared_preload_libraries and restart)"));
        }
        List<String> syncErrors = standby.logLines().stream().filter(line -> SYNC_TROUBLE.matcher(line).find()).toList();
        if (!syncErrors.isEmpty()) {
            findings.add(new Finding(Severity.NOTE, Rule.SYNC_RUNS, standby.node(), "the end of " + standby.node() + "'s log shows "
                    + syncErrors.size() + " line(s) of trouble with the slot sync, the last ones below",
                    syncErrors.subList(Math.max(0, syncErrors.size() - 5), syncErrors.size()),
                    "what they say; once mended, the worker's next cycle (or pg_sync_replication_slots()) logs no more of them"));
        }
        return findings;
    }

    /**
     * A log line of trouble with the slot sync (Appendix A): an error or warning of the synchronization, or a copy it could
     * not make sync-ready.
     */
    private static final Pattern SYNC_TROUBLE = Pattern.compile("(ERROR|FATAL|WARNING):.*(synchroniz|slot sync)|LOG:\\s+could not synchronize"
            + " replication slot");

    private static List<Finding> syncRuns(NodeSnapshot standby) {
        String sync = standby.settings().get("sync_replication_slots");
        if (!"on".equals(sync)) {
            return List.of(new Finding(Severity.NOTE, Rule.SYNC_RUNS, standby.node(), "sync_replication_slots is " + sync
                    + ": only a tool that calls pg_sync_replication_slots() keeps the copies", List.of(standby.node() + ": "
                    + settings(standby, "sync_replication_slots")),
                    "on " + standby.node() + ": ALTER SYSTEM SET sync_replication_slots = on; SELECT pg_reload_conf(); unless an HA tool syncs"));
        }
        if (standby.syncWorkerPid() == null) {
            return List.of(new Finding(Severity.DEGRADES, Rule.SYNC_RUNS, standby.node(), "sync_replication_slots is on but no slot sync"
                    + " worker runs: the postmaster restarts it at most every 10 s, and it stops on errors", List.of(standby.node()
                    + ": no slotsync worker in pg_stat_activity"), "read " + standby.node() + "'s log for the worker's last error"));
        }
        return List.of();
    }

    private static String parameterFix(Message message, NodeSnapshot standby) {
        String on = "on " + standby.node() + ": ";
        return switch (message) {
            case SYNC_NEEDS_WAL_LEVEL -> on + "ALTER SYSTEM SET wal_level = logical, then restart it";
            case SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY -> "on the primary: set wal_level = logical, or create a logical slot";
            case SYNC_NEEDS_PRIMARY_SLOT_NAME -> on + "ALTER SYSTEM SET primary_slot_name = '<its physical slot on the primary>';"
                    + " SELECT pg_reload_conf()";
            case SYNC_NEEDS_HOT_STANDBY_FEEDBACK -> on + "ALTER SYSTEM SET hot_standby_feedback = on; SELECT pg_reload_conf()";
            case SYNC_NEEDS_PRIMARY_CONNINFO -> on + "set primary_conninfo to reach the primary, with a dbname";
            default -> on + "add dbname=<a database> to primary_conninfo (an HA tool that writes it must keep it); SELECT pg_reload_conf()";
        };
    }

    /**
     * §1 item 11, field failure 1: a logical slot of the standby's own, not a synced copy, named like a failover slot of
     * the primary stops every sync cycle; one with failover set and no slot of its name on the primary is a demoted
     * primary's leftover, holding WAL back.
     */
    private static List<Finding> leftoverSlots(NodeSnapshot standby, NodeSnapshot primary) {
        List<Finding> findings = new ArrayList<>();
        for (SlotRow own : standby.slots().stream().filter(slot -> slot.isLogical() && !slot.isSynced()).toList()) {
            boolean inTheWay = primary.slot(own.slotName()).filter(SlotSync::sentBySyncQuery).isPresent();
            if (inTheWay || own.isFailover()) {
                findings.add(new Finding(inTheWay ? Severity.BLOCKS_FAILOVER : Severity.DEGRADES, Rule.NO_LEFTOVER_FAILOVER_SLOT, standby.node(),
                        inTheWay ? "the slot " + own.slotName() + " of " + standby.node() + "'s own stops its sync: \"exiting from slot"
                                + " synchronization because same name slot \"" + own.slotName() + "\" already exists on the standby\""
                                : "the failover slot " + own.slotName() + " on " + standby.node() + " is no copy: a leftover of its time as a"
                                + " primary, holding WAL back",
                        List.of(standby.node() + ": " + describe(own), "primary: " + primary.slot(own.slotName()).map(Readiness::describe)
                                .orElse("no slot " + own.slotName())),
                        "on " + standby.node() + ", once nothing consumes it: SELECT pg_drop_replication_slot('" + own.slotName() + "')"));
            }
        }
        return findings;
    }

    // ---- the primary's barrier

    private static List<Finding> barrier(ClusterView view, VersionProfile profile, boolean slotsToSync) {
        NodeSnapshot primary = view.primary();
        List<Finding> findings = new ArrayList<>();
        if (!ClusterView.read(primary, "synchronized_standby_slots")) {
            return findings;
        }
        List<String> listed = primary.synchronizedStandbySlots();
        String listing = "primary: synchronized_standby_slots = '" + String.join(",", listed) + "'";
        List<String> standbySlots = view.standbys().stream().map(standby -> standby.settings().getOrDefault("primary_slot_name", ""))
                .filter(name -> !name.isEmpty()).toList();
        // the physical slots listed now, and those of the standbys that answered: a standby that did not keeps its place
        Set<String> wanted = new LinkedHashSet<>(listed.stream().filter(name -> primary.slot(name).filter(SlotRow::isPhysical).isPresent()).toList());
        wanted.addAll(standbySlots);
        String fix = wanted.isEmpty() ? "on the primary: list the physical slot of each standby that may be promoted in"
                + " synchronized_standby_slots, and reload" : "on the primary: ALTER SYSTEM SET synchronized_standby_slots = '"
                + String.join(",", wanted) + "'; SELECT pg_reload_conf()";
        if (listed.isEmpty() && slotsToSync && !view.standbys().isEmpty()) {
            findings.add(new Finding(Severity.DEGRADES, Rule.BARRIER_LISTS_STREAMING_STANDBYS, primary.node(), "synchronized_standby_slots is"
                    + " empty: consumers of failover slots are not held until the standbys have the WAL, so a promotion may lose what"
                    + " they were sent", List.of(listing), fix));
        }
        for (String name : listed) {
            Optional<SlotRow> slot = primary.slot(name);
            Message problem = slot.isEmpty() ? Message.STANDBY_SLOT_MISSING : slot.get().isLogical() ? Message.STANDBY_SLOT_LOGICAL
                    : slot.get().invalidationReason() != null ? Message.STANDBY_SLOT_INVALIDATED
                    : !slot.get().active() ? Message.STANDBY_SLOT_INACTIVE : null;
            if (problem != null) {
                findings.add(new Finding(Severity.DEGRADES, Rule.BARRIER_LISTS_STREAMING_STANDBYS, primary.node(), "every consumer of a"
                        + " failover slot waits on " + name + ": \"" + profile.text(problem).text().formatted(name) + "\"",
                        List.of(listing, "primary: " + slot.map(Readiness::describe).orElse("no slot " + name)),
                        standbySlots.contains(name) ? "start the standby that streams through " + name + ", or take it off the list: " + fix
                                : fix));
            }
        }
        if (!listed.isEmpty()) {
            for (NodeSnapshot standby : view.standbys()) {
                String slot = standby.settings().getOrDefault("primary_slot_name", "");
                if (!slot.isEmpty() && !listed.contains(slot)) {
                    findings.add(new Finding(Severity.DEGRADES, Rule.BARRIER_LISTS_STREAMING_STANDBYS, standby.node(), standby.node()
                            + " is not waited for: consumers may get ahead of it, and a promotion of it then loses what they were sent",
                            List.of(listing, standby.node() + ": primary_slot_name = " + slot), fix));
                }
            }
        }
        if (!view.heldConsumers().isEmpty()) {
            // a caught-up failover walsender waits there briefly for each confirmation: only a wait seen again means trouble
            findings.add(new Finding(Severity.NOTE, Rule.CONSUMERS_NOT_HELD, primary.node(), view.heldConsumers().size()
                    + " consumer(s) wait on synchronized_standby_slots now (a moment's wait is normal; one that lasts means a listed"
                    + " standby is behind or away)", view.heldConsumers().stream()
                    .map(held -> "primary: pid " + held.pid() + " (" + held.backendType() + ", " + held.applicationName() + ") waits on"
                            + " WaitForStandbyConfirmation").toList(),
                    "bring the listed standbys back to streaming, or take the ones that are gone off the list"));
        }
        return findings;
    }

    // ---- configuration files

    /**
     * A name the server does not know stops its next start (the postmaster reads the files as it starts); other errors,
     * such as a restart-only setting changed in the files ("setting could not be applied"), are notes.
     */
    private static List<Finding> configurationFiles(ClusterView view) {
        return view.configFiles().stream().filter(entry -> entry.error() != null).map(entry -> {
            List<String> evidence = List.of(entry.node() + ": " + entry.where() + ": " + entry.name() + " = '" + entry.setting() + "' ("
                    + entry.error() + ")");
            if ("standby_slot_names".equals(entry.name())) {
                return new Finding(Severity.BLOCKS_FAILOVER, Rule.CONFIGURATION_FILES_LOAD, entry.node(), "the configuration files set"
                        + " standby_slot_names, the pre-release name of synchronized_standby_slots: " + entry.node() + " does not start"
                        + " again with it", evidence, "in " + entry.where() + ": rename it synchronized_standby_slots (on a primary; remove"
                        + " it on a standby)");
            }
            boolean unknown = entry.error().contains("unrecognized configuration parameter");
            return new Finding(unknown ? Severity.BLOCKS_FAILOVER : Severity.NOTE, Rule.CONFIGURATION_FILES_LOAD, entry.node(), unknown
                    ? "the configuration files name a setting " + entry.node() + " does not know: it does not start again with them"
                    : "the configuration files hold a setting not applied now: check it before the next restart", evidence,
                    "mend " + entry.where());
        }).toList();
    }

    // ---- subscriptions

    private static List<Finding> subscriptions(ClusterView view) {
        NodeSnapshot primary = view.primary();
        List<Finding> findings = new ArrayList<>();
        for (NodeSnapshot subscriber : view.subscribers()) {
            for (SubscriptionRow subscription : subscriber.subscriptions()) {
                Optional<SlotRow> slot = Optional.ofNullable(subscription.slotName()).flatMap(primary::slot);
                boolean connectsElsewhere = subscription.publisherPort() != null
                        && !primary.reachedAt(subscription.publisherHost(), subscription.publisherPort());
                if (connectsElsewhere) {
                    findings.add(new Finding(Severity.NOTE, Rule.SUBSCRIPTION_FAILOVER, subscriber.node(), "the subscription "
                            + subscription.name() + " connects to " + Optional.ofNullable(subscription.publisherHost()).orElse("")
                            + ":" + subscription.publisherPort() + ", not to the primary's address given here (an endpoint, a pooler, or"
                            + " another server): after a failover it must reach the new primary", List.of(subscriber.node() + ": "
                            + subscription), "make sure it follows the primary: a stable endpoint, or ALTER SUBSCRIPTION ... CONNECTION"
                            + " as part of the failover"));
                }
                if (slot.isEmpty()) {
                    if (!connectsElsewhere) {
                        findings.add(new Finding(Severity.NOTE, Rule.SUBSCRIPTION_FAILOVER, subscriber.node(), "the subscription "
                                + subscription.name() + " has no slot on the primary" + (subscription.publisherPort() == null
                                ? " (its connection could not be read)" : ""), List.of(subscriber.node() + ": " + subscription),
                                "check that it publishes from this primary"));
                    }
                    continue;
                }
                if (!slot.get().isFailover()) {
                    // a slot of the same name is this subscription's only when it connects to this primary, as far as can be read
                    boolean confirmed = subscription.publisherPort() != null && !connectsElsewhere;
                    findings.add(new Finding(confirmed ? Severity.BLOCKS_FAILOVER : Severity.NOTE, Rule.SUBSCRIPTION_FAILOVER, subscriber.node(),
                            (confirmed ? "" : "if it publishes from this primary, ") + "the subscription "
                            + subscription.name() + " uses the slot " + slot.get().slotName() + ", which is not a failover slot: a promotion"
                            + " now leaves it without its slot", List.of(subscriber.node() + ": subscription " + subscription.name()
                            + " failover = " + subscription.failover(), "primary: " + describe(slot.get())),
                            "on " + subscriber.node() + ": ALTER SUBSCRIPTION " + subscription.name() + " DISABLE; ALTER SUBSCRIPTION "
                                    + subscription.name() + " SET (failover = true); ALTER SUBSCRIPTION " + subscription.name() + " ENABLE"));
                }
            }
        }
        return findings;
    }

    // ---- slots nobody consumes

    private static List<Finding> idleSlots(NodeSnapshot primary) {
        return primary.slots().stream().filter(SlotRow::isLogical)
                .filter(slot -> slot.invalidationReason() != null || !slot.active() && List.of("extended", "unreserved").contains(slot.walStatus()))
                .map(slot -> new Finding(Severity.DEGRADES, Rule.NO_IDLE_SLOT_HOLDING_WAL, primary.node(), slot.invalidationReason() != null
                        ? "the slot " + slot.slotName() + " is invalidated (" + slot.invalidationReason() + "): its consumer cannot go on,"
                        + " promoted or not" : "unreserved".equals(slot.walStatus()) ? "the slot " + slot.slotName()
                        + " nobody consumes is about to lose WAL it needs" : "the slot " + slot.slotName() + " nobody consumes holds more"
                        + " WAL than max_wal_size (wal_status extended)",
                        List.of("primary: " + describe(slot)), "re-create it for its consumer, or drop it: SELECT pg_drop_replication_slot('"
                        + slot.slotName() + "')"))
                .toList();
    }

    // ---- evidence

    static String describe(SlotRow slot) {
        List<String> parts = new ArrayList<>();
        parts.add(slot.slotName() + " " + slot.slotType());
        if (slot.isLogical()) {
            parts.add(slot.plugin() + " on " + slot.database());
            parts.add("failover " + slot.failover());
            parts.add("synced " + slot.synced());
            parts.add("temporary " + slot.temporary());
            parts.add("confirmed_flush_lsn " + slot.confirmedFlushLsn());
        }
        parts.add(slot.active() ? "active (pid " + slot.activePid() + ")" : "inactive");
        parts.add("restart_lsn " + slot.restartLsn());
        parts.add("wal_status " + slot.walStatus());
        if (slot.invalidationReason() != null) {
            parts.add("invalidated " + slot.invalidationReason());
        }
        if (slot.slotsyncSkipReason() != null) {
            parts.add("slotsync_skip_reason " + slot.slotsyncSkipReason());
        }
        return String.join(", ", parts);
    }

    private static String settings(NodeSnapshot node, String... names) {
        List<String> shown = new ArrayList<>();
        for (String name : names) {
            if (node.settings().containsKey(name)) {
                shown.add(name + " = '" + node.settings().get(name) + "'");
            }
        }
        return String.join(", ", shown);
    }
}
