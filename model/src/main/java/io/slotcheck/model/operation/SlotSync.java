package io.slotcheck.model.operation;

import io.slotcheck.model.Xid;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.version.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one sync cycle does to a standby's copies (§1 items 1 to 6, 11 and 21), for {@code pg_sync_replication_slots()}
 * and the slot sync worker alike, as pure functions of what the standby and its primary show.
 */
public final class SlotSync {

    private SlotSync() {
    }

    /**
     * The first failing check of {@code ValidateSlotSyncParams()}, then of {@code CheckAndGetDbnameFromConninfo()} (§3).
     * 17 and 18 first check the standby's own wal_level; 19, which has effective_wal_level (in recovery it shows whether
     * the primary has logical decoding on, xlog.c show_effective_wal_level()), checks that instead.
     */
    public static Optional<Message> parameterProblem(Map<String, String> settings) {
        String conninfo = settings.getOrDefault("primary_conninfo", "");
        if (settings.containsKey("effective_wal_level")) {
            if (!"logical".equals(settings.get("effective_wal_level"))) {
                return Optional.of(Message.SYNC_NEEDS_LOGICAL_DECODING_ON_PRIMARY);
            }
        } else if (!"logical".equals(settings.get("wal_level"))) {
            return Optional.of(Message.SYNC_NEEDS_WAL_LEVEL);
        }
        if (settings.getOrDefault("primary_slot_name", "").isEmpty()) {
            return Optional.of(Message.SYNC_NEEDS_PRIMARY_SLOT_NAME);
        }
        if (!"on".equals(settings.get("hot_standby_feedback"))) {
            return Optional.of(Message.SYNC_NEEDS_HOT_STANDBY_FEEDBACK);
        }
        if (conninfo.isEmpty()) {
            return Optional.of(Message.SYNC_NEEDS_PRIMARY_CONNINFO);
        }
        return conninfoDbname(conninfo).isPresent() ? Optional.empty() : Optional.of(Message.SYNC_NEEDS_DBNAME);
    }

    private static final Pattern KEYWORD_DBNAME = Pattern.compile("(?:^|\\s)dbname\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S+)");
    private static final Pattern URI_DBNAME = Pattern.compile("^postgres(?:ql)?://[^/?]*/([^?]*)");
    private static final Pattern URI_DBNAME_PARAMETER = Pattern.compile("[?&]dbname=([^&]*)");

    /**
     * The non-empty database a libpq connection string names, in either of its forms ({@code key=value} or a
     * {@code postgresql://} URI, whose {@code dbname} parameter wins over its path), as {@code PQconninfoParse()} reads it.
     */
    static Optional<String> conninfoDbname(String conninfo) {
        String dbname = null;
        if (conninfo.startsWith("postgresql://") || conninfo.startsWith("postgres://")) {
            Matcher path = URI_DBNAME.matcher(conninfo);
            Matcher parameter = URI_DBNAME_PARAMETER.matcher(conninfo);
            dbname = parameter.find() ? parameter.group(1) : path.find() ? path.group(1) : null;
        } else {
            Matcher keyword = KEYWORD_DBNAME.matcher(conninfo);
            while (keyword.find()) {
                // the last one wins, as libpq reads them
                dbname = keyword.group(1).replaceAll("^'|'$", "");
            }
        }
        return Optional.ofNullable(dbname).filter(name -> !name.isEmpty());
    }

    /**
     * §1 item 11 (field failure 1, a demoted primary's own failover slots): a slot of the standby that is not a synced
     * copy, named like a failover slot the primary would send, ends the synchronization with an error. The primary's
     * slot is reached only if it is a complete, valid, persistent slot whose confirmed_flush the standby has flushed
     * (otherwise {@code synchronize_one_slot()} skips it before looking for the name), and not in use (a consumer would
     * move its confirmed_flush meanwhile).
     */
    public static Optional<SlotRow> sameNameSlotInTheWay(NodeSnapshot standby, NodeSnapshot primary) {
        if (primary == null || standby == null || standby.flushLsn() == null) {
            return Optional.empty();
        }
        return reachedIdleSlots(standby, primary)
                .flatMap(remote -> standby.slot(remote.slotName()).filter(local -> !local.isSynced()).stream())
                .findFirst();
    }

    /**
     * §1 item 3: a slot the sync query returns (a persistent logical failover slot of the primary) whose confirmed_flush_lsn
     * is ahead of what the standby has flushed: {@code synchronize_one_slot()} does not sync it, and in 17 and 18
     * {@code pg_sync_replication_slots()} fails saying so ("Can get here only if GUC 'synchronized_standby_slots' on the
     * primary server was not configured correctly").
     */
    public static Optional<SlotRow> slotAheadOfStandby(NodeSnapshot standby, NodeSnapshot primary) {
        return slotsAheadOfStandby(standby, primary).stream().findFirst();
    }

    /** Every failover slot of the primary ahead of what the standby has flushed, in the primary's order. */
    public static List<SlotRow> slotsAheadOfStandby(NodeSnapshot standby, NodeSnapshot primary) {
        if (primary == null || standby == null || standby.flushLsn() == null) {
            return List.of();
        }
        return primary.slots().stream()
                .filter(remote -> remote.isLogical() && remote.isFailover() && !remote.temporary() && remote.confirmedFlushLsn() != null)
                .filter(remote -> remote.confirmedFlushLsn().isAfter(standby.flushLsn()))
                .toList();
    }

    /** Whether the standby's slot sync worker is to run: {@code sync_replication_slots} on and every sync parameter valid (§3). */
    public static boolean workerConfigured(NodeSnapshot standby) {
        return "on".equals(standby.settings().get("sync_replication_slots")) && parameterProblem(standby.settings()).isEmpty();
    }

    /**
     * The primary's slots a cycle gets to, unchanged while it runs: complete, valid, persistent, idle failover slots
     * whose confirmed_flush the standby has flushed ({@code synchronize_one_slot()} skips the others first).
     */
    private static Stream<SlotRow> reachedIdleSlots(NodeSnapshot standby, NodeSnapshot primary) {
        return primary.slots().stream()
                .filter(remote -> remote.isLogical() && remote.isFailover() && !remote.temporary() && !remote.active()
                        && remote.invalidationReason() == null)
                .filter(remote -> remote.restartLsn() != null && remote.catalogXmin() != null && remote.confirmedFlushLsn() != null)
                .filter(remote -> !remote.confirmedFlushLsn().isAfter(standby.flushLsn()));
    }

    /**
     * §1 items 3 and 5 ({@code update_local_synced_slot()}): a cycle may move a copy to its remote slot only when both
     * are valid, the remote's restart_lsn and catalog_xmin are not behind the copy's, and the standby has flushed the WAL
     * up to the remote's confirmed_flush_lsn.
     */
    public static boolean updateAllowed(SlotRow local, SlotRow remote, NodeSnapshot standby) {
        return local.invalidationReason() == null && remote.invalidationReason() == null
                && remote.restartLsn() != null && local.restartLsn() != null && !remote.restartLsn().isBefore(local.restartLsn())
                && remote.catalogXmin() != null && local.catalogXmin() != null
                && !new Xid(remote.catalogXmin()).precedes(new Xid(local.catalogXmin()))
                && remote.confirmedFlushLsn() != null && !remote.confirmedFlushLsn().isAfter(standby.flushLsn());
    }

    /**
     * §1 item 2 ({@code update_local_synced_slot()}): from 18 on, a cycle that finds the remote slot's restart_lsn or
     * catalog_xmin behind the copy's copies nothing, not even the configuration (commit 3ff2a1f0c9); 17 copies the
     * configuration all the same.
     */
    public static boolean remotePrecedes(SlotRow local, SlotRow remote) {
        return remote.restartLsn() != null && local.restartLsn() != null && remote.restartLsn().isBefore(local.restartLsn())
                || remote.catalogXmin() != null && local.catalogXmin() != null
                && new Xid(remote.catalogXmin()).precedes(new Xid(local.catalogXmin()));
    }

    /**
     * §1 item 2: how a copy's configuration differs from its slot's on the primary — plugin, database (by name),
     * two_phase, failover (always true on a copy) and, where the version syncs it, two_phase_at; empty when it mirrors it.
     */
    public static List<String> configurationDifferences(SlotRow copy, SlotRow remote, boolean withTwoPhaseAt) {
        List<String> differences = new ArrayList<>();
        compare(differences, "plugin", copy.plugin(), remote.plugin());
        compare(differences, "database", copy.database(), remote.database());
        compare(differences, "two_phase", copy.twoPhase(), remote.twoPhase());
        compare(differences, "failover", copy.failover(), remote.failover());
        if (withTwoPhaseAt) {
            compare(differences, "two_phase_at", copy.twoPhaseAt(), remote.twoPhaseAt());
        }
        return differences;
    }

    private static void compare(List<String> differences, String column, Object copy, Object remote) {
        if (!Objects.equals(copy, remote)) {
            differences.add(column + " " + copy + " (the primary's: " + remote + ")");
        }
    }

    /**
     * §1 items 1 and 12 ({@code drop_local_obsolete_slots()}): the standby's synced copies of slots the primary no longer
     * sends — dropped, or no longer a persistent logical failover slot — which every cycle drops first.
     */
    public static List<SlotRow> obsoleteCopies(NodeSnapshot standby, NodeSnapshot primary) {
        return standby.slots().stream().filter(SlotRow::isSynced)
                .filter(copy -> primary.slot(copy.slotName()).filter(SlotSync::sentBySyncQuery).isEmpty())
                .toList();
    }

    /** A slot the sync query returns: {@code WHERE failover AND NOT temporary}, logical (§1 item 1). */
    public static boolean sentBySyncQuery(SlotRow remote) {
        return remote.isLogical() && remote.isFailover() && !remote.temporary();
    }

    /**
     * Whether the standby's slot sync worker is to run and complete its cycles against {@code primary} (§1 items 20 and
     * 21, §3): {@code sync_replication_slots} and {@code hot_standby} on, every sync parameter valid, the upstream a
     * primary on the timeline the standby receives (a standby whose history went past the fork cannot follow it, and
     * its worker cannot advance copies through WAL it does not have), with the physical slot {@code primary_slot_name}
     * names, no slot of the standby in the way of a copy, and no copy ahead of its slot.
     */
    public static boolean workerCompletesCycles(NodeSnapshot standby, NodeSnapshot primary) {
        Map<String, String> settings = standby.settings();
        boolean leftover = primary.slots().stream().filter(remote -> remote.isLogical() && remote.isFailover())
                .anyMatch(remote -> standby.slot(remote.slotName()).filter(local -> !local.isSynced()).isPresent());
        return standby.inRecovery() && !primary.inRecovery() && standby.timeline() == primary.timeline()
                && workerConfigured(standby) && !"off".equals(settings.get("hot_standby"))
                && primary.slot(settings.get("primary_slot_name")).filter(SlotRow::isPhysical).isPresent() && !leftover
                && copyAheadOfItsSlot(standby, primary).isEmpty();
    }

    /**
     * §1 item 4: a persistent copy whose confirmed_flush_lsn is ahead of its remote slot's ends every cycle with an
     * error ({@code synchronize_one_slot()}: "cannot synchronize local slot"), so nothing syncs until the remote slot
     * passes it. It happens after the primary crashed: its slot came back at the position last checkpointed, behind
     * what the copy had taken.
     */
    public static Optional<SlotRow> copyAheadOfItsSlot(NodeSnapshot standby, NodeSnapshot primary) {
        return standby.slots().stream()
                .filter(copy -> copy.isSynced() && !copy.temporary() && copy.invalidationReason() == null && copy.confirmedFlushLsn() != null)
                .filter(copy -> primary.slot(copy.slotName())
                        .filter(remote -> remote.isFailover() && !remote.temporary() && remote.confirmedFlushLsn() != null)
                        .filter(remote -> remote.confirmedFlushLsn().isBefore(copy.confirmedFlushLsn())).isPresent())
                .findFirst();
    }

    /**
     * The primary's slots a quiet standby's worker must have converged on: its idle, valid, complete, persistent
     * failover slots whose confirmed_flush the standby has flushed; none when the worker is not to complete cycles
     * ({@link #workerCompletesCycles}). A table synchronization slot is no target: a subscription's tablesync worker
     * drops and re-creates it on its own schedule (a failover subscription makes it a failover slot), so a quiet
     * cluster does not hold it still.
     */
    public static List<SlotRow> convergenceTargets(NodeSnapshot standby, NodeSnapshot primary) {
        if (!workerCompletesCycles(standby, primary)) {
            return List.of();
        }
        return reachedIdleSlots(standby, primary).filter(remote -> !remote.isTableSyncSlot()).toList();
    }

    /** Whether a quiet standby's worker has anything to converge on: {@link #convergenceTargets} or obsolete copies to drop. */
    public static boolean hasWorkToConverge(NodeSnapshot standby, NodeSnapshot primary) {
        return !convergenceTargets(standby, primary).isEmpty() || !obsoleteCopiesKept(standby, primary).isEmpty();
    }

    /**
     * What a quiet cluster still lacks, once the worker has had its cycles: a copy of each of the
     * {@link #convergenceTargets} (§1 item 6: it may stay temporary, for want of a consistent snapshot or while the
     * remote slot is behind it), and for a persistent copy that may be updated, the remote's confirmed_flush_lsn (§1
     * item 5; restart_lsn and catalog_xmin may legitimately be ahead after a fast-forward); and no
     * {@link #obsoleteCopies} left (§1 item 12).
     */
    public static List<String> unconvergedCopies(NodeSnapshot standby, NodeSnapshot primary) {
        List<String> missing = new ArrayList<>(obsoleteCopiesKept(standby, primary));
        for (SlotRow remote : convergenceTargets(standby, primary)) {
            Optional<SlotRow> copy = standby.slot(remote.slotName());
            if (copy.isEmpty()) {
                missing.add(remote.slotName() + " (confirmed_flush_lsn " + remote.confirmedFlushLsn() + ") has no copy on " + standby.node());
            } else if (!copy.get().temporary() && behindItsSlot(copy.get(), remote, standby)) {
                missing.add("the copy of " + remote.slotName() + " on " + standby.node() + " is at confirmed_flush_lsn "
                        + copy.get().confirmedFlushLsn() + ", the idle slot at " + remote.confirmedFlushLsn());
            }
        }
        return missing;
    }

    /**
     * The {@link #convergenceTargets} whose copy a cycle may still improve: none yet, or a copy the worker may update
     * (§1 item 5) that is temporary or behind. A copy whose remote slot is behind it (in restart_lsn or catalog_xmin)
     * stays as it is until the remote slot moves; what is left may legitimately stay short of failover-ready
     * ({@link #unconvergedCopies}), so a wait for this is bounded.
     */
    public static List<String> pendingCopies(NodeSnapshot standby, NodeSnapshot primary) {
        List<String> pending = new ArrayList<>(obsoleteCopiesKept(standby, primary));
        for (SlotRow remote : convergenceTargets(standby, primary)) {
            Optional<SlotRow> copy = standby.slot(remote.slotName());
            if (copy.isEmpty()) {
                pending.add(remote.slotName() + " (no copy)");
            } else if (updateAllowed(copy.get(), remote, standby) && (copy.get().temporary() || behindItsSlot(copy.get(), remote, standby))) {
                pending.add(remote.slotName() + (copy.get().temporary() ? " (copy temporary)" : " (copy at " + copy.get().confirmedFlushLsn() + ")"));
            }
        }
        return pending;
    }

    /**
     * The {@link #obsoleteCopies} a worker that completes its cycles has not dropped yet, while the standby streams from
     * the primary (a worker that cannot reach it learns of no drop).
     */
    private static List<String> obsoleteCopiesKept(NodeSnapshot standby, NodeSnapshot primary) {
        boolean streaming = standby.walReceiver().filter(receiver -> "streaming".equals(receiver.status())).isPresent();
        if (!streaming || !workerCompletesCycles(standby, primary)) {
            return List.of();
        }
        return obsoleteCopies(standby, primary).stream()
                .map(copy -> "the copy of " + copy.slotName() + " on " + standby.node() + " is kept, but " + primary.node()
                        + " has no persistent failover slot of that name")
                .toList();
    }

    /** A copy that a cycle may update (§1 item 5) and that is not at its remote slot's confirmed_flush_lsn. */
    private static boolean behindItsSlot(SlotRow copy, SlotRow remote, NodeSnapshot standby) {
        return updateAllowed(copy, remote, standby) && !remote.confirmedFlushLsn().equals(copy.confirmedFlushLsn());
    }
}
