package io.slotcheck.model.operation;

import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.state.ModelState;
import io.slotcheck.model.state.NodeModel;
import io.slotcheck.model.state.NodeStatus;
import io.slotcheck.model.state.Role;
import io.slotcheck.model.version.Message;
import io.slotcheck.model.version.SlotSyncMechanism;
import io.slotcheck.model.version.UpstreamFix;
import io.slotcheck.model.version.VersionProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a step does, and in one place per operation: when it may be tried ({@link #allowed}), what PostgreSQL must
 * answer ({@link #expect}), and what it does to the model's state ({@link #effect}). Section numbers refer to
 * {@code spec/postgresql-slotsync.md}. Effects cover what the observations cannot show (a node's status); everything
 * the servers do on their own is read from the next observations.
 */
public sealed interface Operation {

    String node();

    /**
     * Whether the operation may be tried now; by default, when its node's server runs. Preconditions read only what
     * operations decide (roles and statuses), so that a campaign's operations depend on its seed alone.
     */
    default boolean allowed(ModelState state) {
        return state.node(node()).map(NodeModel::running).orElse(false);
    }

    /** What PostgreSQL must answer, given the state before the operation (in which its node has been observed). */
    default Expected expect(ModelState state, VersionProfile profile) {
        return Expected.UNPREDICTED;
    }

    /** The state after the operation ended with {@code outcome}, before anything is observed. */
    default ModelState effect(ModelState state, Outcome outcome) {
        return state;
    }

    /** The fault this operation injects; empty for the operations of a healthy cluster, and for healing one. */
    default Optional<Fault> fault() {
        return Optional.empty();
    }

    /** Whether this operation can make {@code node} lose what it had not checkpointed (slot positions go back). */
    default boolean crashes(String node) {
        return false;
    }

    /** Whether {@code node}'s server starts anew or leaves recovery here (its temporary slots are gone after it). */
    default boolean restarts(String node) {
        return false;
    }

    // ------------------------------------------------------------------ slots

    /**
     * {@code pg_create_logical_replication_slot(slot, plugin, temporary, two_phase, failover)}, in {@code database}
     * ({@code null}: the database {@code postgres}, where the workload writes).
     */
    record CreateLogicalSlot(String node, String slot, String plugin, boolean temporary, boolean twoPhase, boolean failover, String database)
            implements Operation {
        public CreateLogicalSlot(String node, String slot, String plugin, boolean temporary, boolean twoPhase, boolean failover) {
            this(node, slot, plugin, temporary, twoPhase, failover, null);
        }

        /** §1 items 9 and 10: no failover slots made by users on a standby, none temporary anywhere. */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            if (!failover || !profile.hasFailoverSlots()) {
                return Expected.UNPREDICTED;
            }
            NodeModel target = state.node(node).orElseThrow();
            if (target.inRecovery()) {
                return new Expected.FailsWith(Message.FAILOVER_SLOT_ON_STANDBY);
            }
            return temporary ? new Expected.FailsWith(Message.FAILOVER_TEMPORARY_SLOT) : Expected.UNPREDICTED;
        }
    }

    /** {@code CREATE DATABASE database}: a database of an application of its own, with slots of its own. */
    record CreateDatabase(String node, String database) implements Operation {
    }

    /**
     * {@code DROP DATABASE database}: it drops the database's logical slots that are not in use with it (dbcommands.c
     * dropdb() -> ReplicationSlotsDropDBSlots()), and a standby replaying it drops its copies of them (dbase_redo(), §1
     * item 28).
     */
    record DropDatabase(String node, String database) implements Operation {
        /** A slot of the database in use refuses the drop (on a standby, the synchronizer's hold is brief: not judged). */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            NodeModel dropping = state.node(node).orElseThrow();
            boolean inUse = !dropping.inRecovery() && dropping.lastSeen() != null && dropping.lastSeen().slots().stream()
                    .anyMatch(slot -> database.equals(slot.database()) && slot.active());
            return inUse ? new Expected.FailsWith(Message.DATABASE_USED_BY_ACTIVE_SLOT) : Expected.UNPREDICTED;
        }
    }

    /**
     * {@code pg_copy_logical_replication_slot(source, slot)}: a new persistent logical slot at the source's positions, with
     * its plugin, and never its failover (§1 item 24, slotfuncs.c copy_replication_slot(): a copy made where a synced slot
     * was dropped would look to the synchronizer like that slot moving back) nor its two_phase.
     */
    record CopyLogicalSlot(String node, String source, String slot) implements Operation {
        /**
         * The refusals in the order copy_replication_slot() checks. Where a slot sync worker may run, the synchronizer
         * makes and drops copies meanwhile: only slots users make or drop are judged there.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            NodeModel copying = state.node(node).orElseThrow();
            boolean settled = !copying.inRecovery() || profile.slotSync() == SlotSyncMechanism.BUILT_IN
                    && !"on".equals(copying.settings().get("sync_replication_slots"));
            Optional<SlotRow> original = copying.slot(source).filter(found -> settled || !found.isSynced());
            if (original.isEmpty()) {
                return settled ? new Expected.FailsWith(Message.SLOT_DOES_NOT_EXIST) : Expected.UNPREDICTED;
            }
            if (original.get().isPhysical()) {
                return new Expected.FailsWith(Message.COPY_PHYSICAL_AS_LOGICAL);
            }
            if (original.get().restartLsn() == null) {
                return new Expected.FailsWith(Message.COPY_WITHOUT_RESERVED_WAL);
            }
            if (original.get().invalidationReason() != null && profile.has(UpstreamFix.COPY_OF_INVALIDATED_SLOT_REFUSED)) {
                return new Expected.FailsWith(Message.COPY_INVALIDATED_SLOT);
            }
            return copying.slot(slot).filter(taken -> settled || !taken.isSynced()).isPresent()
                    ? new Expected.FailsWith(Message.SLOT_ALREADY_EXISTS) : Expected.UNPREDICTED;
        }
    }

    /**
     * {@code pg_create_physical_replication_slot(slot, true)}; with {@code failover}, {@code CREATE_REPLICATION_SLOT slot
     * PHYSICAL (RESERVE_WAL, FAILOVER)} over the replication protocol instead.
     */
    record CreatePhysicalSlot(String node, String slot, boolean failover) implements Operation {
        public CreatePhysicalSlot(String node, String slot) {
            this(node, slot, false);
        }

        /** §1 item 10: failover is an option of logical slots only (walsender.c parseCreateReplSlotOptions()). */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            return failover && profile.hasFailoverSlots() ? new Expected.FailsWith(Message.CONFLICTING_OPTIONS) : Expected.UNPREDICTED;
        }
    }

    /** {@code pg_drop_replication_slot(slot)}. */
    record DropSlot(String node, String slot) implements Operation {
        /**
         * §1 item 8: a synced slot cannot be dropped on a standby (or is held by the synchronizer right then, or is a
         * temporary copy its synchronizer dropped already).
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            return state.node(node).flatMap(n -> n.syncedCopy(slot))
                    .<Expected>map(copy -> copy.temporary()
                            ? new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE, Message.SLOT_DOES_NOT_EXIST)
                            : new Expected.FailsWith(Message.SYNCED_SLOT_DROP, Message.SLOT_ACTIVE))
                    .orElse(Expected.UNPREDICTED);
        }
    }

    /**
     * {@code ALTER_REPLICATION_SLOT slot (FAILOVER ...)} over the replication protocol. Unlike decoding and dropping, it
     * acquires the slot waiting ({@code ReplicationSlotAcquire(name, nowait = false)}): a copy the synchronizer holds keeps
     * it waiting, possibly past the harness's bound, which cancels it.
     */
    record AlterSlotFailover(String node, String slot, boolean failover) implements Operation {
        /**
         * §1 items 8, 9 and 10 ({@code ReplicationSlotAlter()}, after the slot is acquired, waiting while another process
         * holds it): a physical slot cannot be altered; on a standby, a synced copy cannot be altered, and no slot may have
         * its failover turned on. From 18 an invalidated slot is refused first, when acquired.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            if (state.node(node).flatMap(n -> n.syncedCopy(slot)).isPresent()) {
                return refusedOnSyncedCopy(state, node, slot, Message.SYNCED_SLOT_ALTER, Message.CANCELED_BY_CLIENT, profile);
            }
            Optional<SlotRow> target = state.node(node).flatMap(n -> n.slot(slot));
            if (!profile.hasFailoverSlots() || target.isEmpty()) {
                return Expected.UNPREDICTED;
            }
            if (profile.rejectsInvalidatedSlotAccessFirst() && target.get().invalidationReason() != null) {
                return new Expected.FailsWith(Message.SLOT_INVALIDATED_ACCESS, Message.CANCELED_BY_CLIENT);
            }
            if (target.get().isPhysical()) {
                return new Expected.FailsWith(Message.ALTER_PHYSICAL_SLOT, Message.CANCELED_BY_CLIENT);
            }
            boolean onAStandby = state.node(node).map(NodeModel::inRecovery).orElse(false);
            return onAStandby && failover ? new Expected.FailsWith(Message.FAILOVER_ALTERED_ON_STANDBY, Message.CANCELED_BY_CLIENT)
                    : Expected.UNPREDICTED;
        }
    }

    /**
     * {@code count} transactions of the workload, each with a new id: two rows inserted, an older row updated and
     * another deleted, and the id entered in the ledger the observations read ({@code slotcheck_txn}); with
     * {@code catalogChange}, DDL that changes the catalogs first.
     */
    record WriteTransactions(String node, int count, boolean catalogChange) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    /**
     * A transaction of the workload, as {@link WriteTransactions} writes one, ended with {@code PREPARE TRANSACTION}
     * instead of a commit: it holds its rows and ledger entry until {@link CommitPrepared}, shown in pg_prepared_xacts
     * meanwhile, on the primary and on its standbys.
     */
    record PrepareTransaction(String node) implements Operation {
        /** The prefix of the gids of the workload's prepared transactions. */
        public static final String GID_PREFIX = "slotcheck_";

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    /** {@code COMMIT PREPARED} of each transaction of the workload prepared on the primary {@code node} (pg_prepared_xacts). */
    record CommitPrepared(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    /** {@code pg_logical_slot_get_changes} (or {@code _peek_changes}) up to {@code upto}, or all when null. */
    record ConsumeChanges(String node, String slot, Lsn upto, boolean peek) implements Operation {
        /**
         * §1 item 8: decoding a synced slot on a standby is refused. §1 items 13 and 18: a copy that was sync-ready
         * when its standby was promoted decodes on the new primary. §1 item 14: the standbys listed in
         * synchronized_standby_slots hold back failover slots only; a slot without failover decodes whatever they have.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            NodeModel target = state.node(node).orElseThrow();
            if (target.inRecovery()) {
                return refusedOnSyncedCopy(state, node, slot, Message.SYNCED_SLOT_DECODING, Message.SLOT_ACTIVE, profile);
            }
            if (!target.settings().getOrDefault("synchronized_standby_slots", "").isBlank()) {
                // decoding a failover slot waits for the standbys listed there, which may never come
                return target.slot(slot).filter(s -> s.isLogical() && !s.isFailover() && !s.temporary() && s.invalidationReason() == null)
                        .<Expected>map(free -> new Expected.Succeeds("slot " + slot + " has no failover, and synchronized_standby_slots holds"
                                + " back failover slots only (slot.c StandbySlotsHaveCaughtup() is asked for failover slots alone)",
                                List.of(Message.SLOT_ACTIVE)))
                        .orElse(Expected.UNPREDICTED);
            }
            return target.slot(slot).filter(s -> s.isFailoverReady() && s.isLogical())
                    .<Expected>map(ready -> new Expected.Succeeds("slot " + slot + " was a sync-ready copy when " + node
                            + " left recovery, and its catalog_xmin kept the catalog rows decoding needs", List.of(Message.SLOT_ACTIVE)))
                    .orElse(Expected.UNPREDICTED);
        }
    }

    /**
     * {@code pg_logical_slot_get_changes} of {@code slot} on a primary, and once the call is seen waiting on the standby
     * barrier, synchronized_standby_slots set to {@code list} from another session and reloaded.
     */
    record ConsumeReleasedByReload(String node, String slot, String list) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }

        /**
         * §1 item 14: a call held by the barrier sleeps a second at a time and re-reads its configuration in between
         * (slot.c WaitForStandbyConfirmation()), so emptying the list releases it: it returns what it decoded.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            if (!list.isBlank() || !profile.hasFailoverSlots()) {
                return Expected.UNPREDICTED;
            }
            return state.node(node).flatMap(primary -> primary.slot(slot))
                    .filter(s -> s.isLogical() && !s.temporary() && s.invalidationReason() == null)
                    .<Expected>map(usable -> new Expected.Succeeds("a call held by synchronized_standby_slots re-reads the setting each"
                            + " second, and the list was emptied by a reload", List.of(Message.SLOT_ACTIVE)))
                    .orElse(Expected.UNPREDICTED);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CONFIG);
        }
    }

    /**
     * {@code pg_logical_slot_get_changes} of {@code slot} on a primary, and once the call is seen waiting on the standby
     * barrier, the stopped standby {@code standby} started: it streams again, and its slot catches up.
     */
    record ConsumeReleasedByStandby(String node, String slot, String standby) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY) && state.node(standby).filter(s -> s.role() == Role.STANDBY).map(NodeModel::down).orElse(false);
        }

        /**
         * §1 item 14: a call held by the barrier is woken when a listed standby confirms WAL (walsender.c
         * PhysicalWakeupLogicalWalSnd()); with the standby's slot the only one listed, its return releases the call.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            NodeModel primary = state.node(node).orElseThrow();
            Optional<String> streamingSlot = state.node(standby).map(s -> s.settings().get("primary_slot_name"));
            boolean onlyItsSlotListed = streamingSlot.map(List::of)
                    .filter(listed -> listed.equals(NodeSnapshot.slotNames(primary.settings().getOrDefault("synchronized_standby_slots", ""))))
                    .flatMap(listed -> primary.slot(listed.get(0))).filter(physical -> physical.isPhysical() && physical.invalidationReason() == null)
                    .isPresent();
            if (!profile.hasFailoverSlots() || primary.inRecovery() || !onlyItsSlotListed) {
                return Expected.UNPREDICTED;
            }
            return primary.slot(slot).filter(s -> s.isLogical() && s.isFailover() && !s.temporary() && s.invalidationReason() == null)
                    .<Expected>map(usable -> new Expected.Succeeds("a call held by synchronized_standby_slots is woken when the standby it"
                            + " waits for confirms WAL, and that standby was started", List.of(Message.SLOT_ACTIVE)))
                    .orElse(Expected.UNPREDICTED);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Failed failed && failed.sqlState() == null ? state : state.withStatus(standby, NodeStatus.RUNNING);
        }

        @Override
        public boolean restarts(String other) {
            return standby.equals(other);
        }
    }

    /** {@code pg_replication_slot_advance(slot, to)}. */
    record AdvanceSlot(String node, String slot, Lsn to) implements Operation {
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            return refusedOnSyncedCopy(state, node, slot, Message.SYNCED_SLOT_DECODING, Message.SLOT_ACTIVE, profile);
        }
    }

    /**
     * A consumer streams the slot ({@code START_REPLICATION} over the replication protocol) and acknowledges what it
     * received; with {@code stale}, a position before the slot's confirmed_flush_lsn instead, as a consumer that
     * reconnects from an older position does (§1 item 4: since 17.6 the slot does not go back for it).
     */
    record Acknowledge(String node, String slot, boolean stale) implements Operation {
        /** §1 item 8: streaming a synced slot on a standby is refused like decoding it with SQL. */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            return refusedOnSyncedCopy(state, node, slot, Message.SYNCED_SLOT_DECODING, Message.SLOT_ACTIVE, profile);
        }
    }

    /** {@code pg_sync_replication_slots()}. */
    record SyncSlots(String node) implements Operation {
        /**
         * §1 items 19, 20 and §3: only a standby synchronizes, its settings are checked in the order of
         * {@code ValidateSlotSyncParams()} then {@code CheckAndGetDbnameFromConninfo()}, and its upstream must be a primary
         * — which the standby learns by asking it, so nothing is predicted of an upstream that cannot answer.
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            if (!profile.hasFailoverSlots()) {
                return Expected.UNPREDICTED;
            }
            NodeModel standby = state.node(node).orElseThrow();
            if (!standby.inRecovery()) {
                return new Expected.FailsWith(Message.SYNC_ON_PRIMARY);
            }
            Optional<Message> misconfigured = SlotSync.parameterProblem(standby.settings());
            if (misconfigured.isPresent()) {
                return new Expected.FailsWith(misconfigured.get());
            }
            // the upstream's answers are the server's only once it can be asked: a paused or stopped one is not, nor
            // one behind a cut or slowed link
            Optional<NodeModel> upstream = state.upstreamOf(standby).filter(NodeModel::running).filter(primary -> !standby.linkImpaired());
            if (upstream.map(NodeModel::inRecovery).orElse(false)) {
                return new Expected.FailsWith(Message.SYNC_FROM_STANDBY);
            }
            // validate_remote_info(): primary_slot_name must name a physical slot of the upstream; a running worker
            // refuses a concurrent sync before anything else is asked
            String primarySlot = standby.settings().get("primary_slot_name");
            if (upstream.map(primary -> primary.lastSeen() != null && primary.slot(primarySlot).filter(SlotRow::isPhysical).isEmpty())
                    .orElse(false)) {
                return new Expected.FailsWith(Message.SYNC_PRIMARY_SLOT_MISSING, Message.SYNC_CONCURRENTLY);
            }
            // §1 items 3 and 11: the primary's slots are synced in its order, so whichever of a same-name slot and a slot
            // ahead of the standby comes first ends the call
            boolean clash = upstream.flatMap(primary -> SlotSync.sameNameSlotInTheWay(standby.lastSeen(), primary.lastSeen())).isPresent();
            List<SlotRow> ahead = staysAheadOfStandby(standby, upstream, profile);
            if (!ahead.isEmpty() && profile.refusesManualSyncAheadOfStandby()) {
                return new Expected.FailsWith(Message.SYNC_LSN_AHEAD, Message.SYNC_SAME_NAME_EXISTS, Message.SYNC_CONCURRENTLY);
            }
            // 19 retries until every copy it made is sync-ready, which one of a slot ahead of a standby that stays behind
            // cannot be: the call naps and retries until cancelled (by slotcheck, once seen napping, or by statement_timeout).
            // A copy sync-ready already is left where it is, and the call returns.
            boolean copyToMake = ahead.stream().anyMatch(remote -> remote.invalidationReason() == null
                    && standby.syncedCopy(remote.slotName()).filter(copy -> !copy.temporary() && copy.invalidationReason() == null).isEmpty());
            if (copyToMake && profile.manualSyncRetriesUntilReady()) {
                return new Expected.FailsWith(Message.CANCELED_BY_CLIENT, Message.STATEMENT_TIMEOUT, Message.SYNC_SAME_NAME_EXISTS,
                        Message.SYNC_CONCURRENTLY);
            }
            return clash ? new Expected.FailsWith(Message.SYNC_SAME_NAME_EXISTS, Message.SYNC_CONCURRENTLY) : Expected.UNPREDICTED;
        }

        /**
         * §1 item 3: the failover slots of the primary that are ahead of what the standby has flushed and stay so until the
         * call runs: the standby's walreceiver is stopped, so it flushes nothing more, and the primary's slots never go
         * back (since 17.6).
         */
        private static List<SlotRow> staysAheadOfStandby(NodeModel standby, Optional<NodeModel> upstream, VersionProfile profile) {
            boolean staysBehind = profile.primaryConfirmedFlushNeverRetreats() && standby.pausedProcess() == ServerProcess.WALRECEIVER;
            return staysBehind ? upstream.map(primary -> SlotSync.slotsAheadOfStandby(standby.lastSeen(), primary.lastSeen())).orElse(List.of())
                    : List.of();
        }
    }

    // ------------------------------------------------------------------ configuration and maintenance

    /** {@code ALTER SYSTEM SET setting = value} and reload (or restart where the setting needs it). */
    record SetSetting(String node, String setting, String value) implements Operation {
        /** The settings that take effect only at a restart ({@code pg_settings.context = 'postmaster'}). */
        private static final Set<String> RESTARTING_SETTINGS = Set.of("wal_level", "hot_standby", "max_replication_slots", "max_wal_senders",
                "max_worker_processes", "shared_preload_libraries", "max_connections", "port");

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CONFIG);
        }

        /**
         * §3: naming a slot in {@code synchronized_standby_slots} that is not a physical slot of this server is refused
         * by ALTER SYSTEM before 17.7 / 18.1, accepted since (and reported when a walsender waits).
         */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            NodeModel target = state.node(node).orElseThrow();
            if (!setting.equals("synchronized_standby_slots") || !profile.hasFailoverSlots() || value.isBlank() || target.inRecovery()) {
                return Expected.UNPREDICTED;
            }
            boolean allPhysicalSlots = NodeSnapshot.slotNames(value).stream()
                    .allMatch(name -> target.slot(name).filter(SlotRow::isPhysical).isPresent());
            if (allPhysicalSlots) {
                return Expected.UNPREDICTED;
            }
            return profile.acceptsUnknownStandbySlots()
                    ? new Expected.Succeeds("since 17.7 and 18.1 only the syntax of synchronized_standby_slots is checked when it is set",
                    List.of())
                    : new Expected.FailsWith(Message.INVALID_STANDBY_SLOTS_VALUE);
        }

        /** A setting that needs a restart and keeps the server from starting (no SQLSTATE: the harness saw it not start). */
        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Failed failed && failed.sqlState() == null ? state.withStatus(node, NodeStatus.STOPPED) : state;
        }

        /** Settings of the postmaster's context: a change restarts the server ({@code pg_settings.context}). */
        @Override
        public boolean restarts(String other) {
            return node.equals(other) && RESTARTING_SETTINGS.contains(setting);
        }
    }

    /**
     * {@code primary_conninfo} rewritten for the current upstream, with or without {@code dbname}, as HA tools do at a
     * switchover (field failure 2: several wrote it without dbname, and slot sync stopped with it).
     */
    record RewritePrimaryConninfo(String node, boolean withDbname) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CONFIG);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * {@code primary_conninfo} of the standby {@code node} rewritten to connect as {@link #ROLE}, a role with REPLICATION
     * and no superuser, to a database of its own on the primary, where a schema of its own comes first on its
     * search_path with an {@code =} operator on (bigint, integer) that answers the opposite: what a user of the standby's
     * connection could plant against the sync's query {@code count(*) = 1} (040_standby_failover_slots_sync).
     */
    record ConnectAsReplicationRole(String node) implements Operation {
        /** The role, and the name of its database. */
        public static final String ROLE = "slotcheck_replicator";

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CONFIG);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }

        /** Whether {@code conninfo} (a standby's primary_conninfo) connects as {@link #ROLE}. */
        public static boolean connectsAsTheRole(String conninfo) {
            return conninfo != null && conninfo.matches(".*\\buser=" + ROLE + "\\b.*");
        }
    }

    record Checkpoint(String node) implements Operation {
    }

    /**
     * {@code setting = value} written into the stopped {@code node}'s {@code postgresql.auto.conf}: what an operator does
     * to a server whose configuration keeps it from starting (§1 item 26), before starting it again.
     */
    record SetSettingWhileStopped(String node, String setting, String value) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).filter(NodeModel::down).isPresent();
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CONFIG);
        }
    }

    /** {@code VACUUM} of the system catalogs. */
    record VacuumCatalogs(String node) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CATALOG);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    /** {@code pg_log_standby_snapshot()}. */
    record LogStandbySnapshot(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    // ------------------------------------------------------------------ the servers' lives

    /** pg_ctl stop, fast or immediate (immediate is a crash: recovery runs at the next start). */
    record StopNode(String node, boolean immediate) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(immediate ? Fault.CRASH : Fault.ROLES);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withStatus(node, immediate ? NodeStatus.CRASHED : NodeStatus.STOPPED);
        }

        @Override
        public boolean crashes(String other) {
            return immediate && node.equals(other);
        }
    }

    record StartNode(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(NodeModel::down).orElse(false);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withStatus(node, NodeStatus.RUNNING) : state;
        }

        @Override
        public boolean restarts(String other) {
            return node.equals(other);
        }
    }

    /** kill -9 of the postmaster. */
    record CrashNode(String node) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CRASH);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withStatus(node, NodeStatus.CRASHED);
        }

        @Override
        public boolean crashes(String other) {
            return node.equals(other);
        }
    }

    /** SIGSTOP of every server process; {@link ResumeNode} ends it. */
    record PauseNode(String node) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PAUSE);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withStatus(node, NodeStatus.PAUSED);
        }
    }

    record ResumeNode(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return hasStatus(state, node, NodeStatus.PAUSED);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withStatus(node, NodeStatus.RUNNING);
        }
    }

    /**
     * A signal to one server process of {@code node} ({@link ServerProcess}). SIGTERM ends that process alone: the
     * startup process starts a new walreceiver, the postmaster a new slot sync worker, a standby reconnects to a new
     * walsender. SIGKILL makes the postmaster end every process and run crash recovery: a crash of the node that it
     * recovers from by itself, losing what was not checkpointed, temporary slots included.
     */
    record SignalProcess(String node, ServerProcess process, boolean kill) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(n -> n.running() && process.runsOn(n.role())).orElse(false);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.CRASH);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withPausedProcess(node, null);
        }

        @Override
        public boolean crashes(String other) {
            return kill && node.equals(other);
        }

        @Override
        public boolean restarts(String other) {
            return kill && node.equals(other);
        }
    }

    /**
     * {@code pg_wal_replay_pause()} on the standby {@code node}, returning once replay has paused: WAL goes on being
     * received and flushed, not applied, until {@link ResumeReplay}.
     */
    record PauseReplay(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PAUSE);
        }
    }

    /** {@code pg_wal_replay_resume()} on the standby {@code node}. */
    record ResumeReplay(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /** SIGSTOP of one server process while the rest of the server runs; {@link ResumeProcess} ends it. */
    record PauseProcess(String node, ServerProcess process) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(n -> n.running() && n.pausedProcess() == null && process.runsOn(n.role())).orElse(false);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PAUSE);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withPausedProcess(node, process) : state;
        }
    }

    record ResumeProcess(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(n -> n.running() && n.pausedProcess() != null).orElse(false);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withPausedProcess(node, null);
        }
    }

    /**
     * The replication link of standby {@code node} to its upstream cut, both servers running: connections refused
     * (closed at once), or with {@code blackhole} kept open with nothing passing. The standby receives nothing, and
     * a sync cannot ask the upstream anything; {@link HealLink} ends it.
     */
    record PartitionLink(String node, boolean blackhole) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return standbyWithWholeLink(state, node);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PARTITION);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withLinkImpaired(node, true) : state;
        }
    }

    /**
     * The replication link of standby {@code node} slowed, both servers running: everything passes, in order, each
     * chunk {@code millis} late. A sync may then outlast its bound, so only the standby's own settings are predicted
     * for it, as behind a cut link; {@link HealLink} ends it.
     */
    record DelayLink(String node, int millis) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return standbyWithWholeLink(state, node);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PARTITION);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withLinkImpaired(node, true) : state;
        }
    }

    record HealLink(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(NodeModel::linkImpaired).orElse(false);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return state.withLinkImpaired(node, false);
        }
    }

    /**
     * Standby {@code node} taken off the network, its server running: the partition of a container world, where the
     * standby's upstream, its downstreams and the harness all lose it at once (the primary's walsender ends after
     * wal_sender_timeout; the standby's walreceiver and sync worker keep failing to connect). Nothing is observed of it
     * until {@link ReconnectNode}; a whole link is needed, as for the other partitions, and no paused process.
     */
    record DisconnectNode(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return standbyWithWholeLink(state, node) && state.node(node).map(n -> n.running() && n.pausedProcess() == null).orElse(false);
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.PARTITION);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withStatus(node, NodeStatus.ISOLATED) : state;
        }
    }

    /** The isolated standby {@code node} back on its network: it reconnects to its upstream and is observed again. */
    record ReconnectNode(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return hasStatus(state, node, NodeStatus.ISOLATED);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withStatus(node, NodeStatus.RUNNING) : state;
        }
    }

    /**
     * WAL pressure on {@code node}'s slots: its {@code max_slot_wal_keep_size} lowered below one segment while the
     * primary writes past {@code segments} WAL segments (a standby replays them), then a checkpoint (on a standby, a
     * restartpoint) removes what nothing keeps; a slot whose restart_lsn fell behind is invalidated {@code wal_removed}
     * (§1 item 12 and §2 O24 for what becomes of copies). The limit is lifted before the operation ends. Every server
     * must run with its links whole, and the standbys are waited for, so that no standby loses the WAL it streams.
     */
    record WalPressure(String node, int segments) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).map(NodeModel::running).orElse(false) && state.nodes().values().stream()
                    .allMatch(n -> n.running() && n.pausedProcess() == null && !n.linkImpaired());
        }

        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.WAL);
        }
    }

    record Promote(String node) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.ROLES);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            ModelState resumed = state.withPausedProcess(node, null);
            return outcome instanceof Outcome.Ok ? resumed.withRole(node, Role.PRIMARY) : resumed;
        }

        @Override
        public boolean restarts(String other) {
            return node.equals(other);
        }
    }

    /**
     * A stopped node starts again as a standby of {@code upstream}, streaming through the physical slot {@code slot}: a
     * demoted primary rejoining after a switchover, or a standby made to follow a new primary. Kept as it is, its data
     * keeps its own slots (field failure 1: a demoted primary keeps its failover slots, not synced, and they block
     * synchronization), and a history that went past the fork of its upstream's timeline stops it from streaming.
     * Rewound (pg_rewind empties pg_replslot) or copied anew, as an HA tool's rejoin may do it, it has none of its own
     * slots and follows. The model predicts from what the next observation shows either way.
     */
    record Rejoin(String node, String upstream, String slot) implements Operation {
        @Override
        public Optional<Fault> fault() {
            return Optional.of(Fault.ROLES);
        }

        @Override
        public boolean allowed(ModelState state) {
            // a subscriber is a cluster of its own: it has no WAL in common with any primary to follow
            boolean down = state.node(node).map(n -> n.down() && n.role() != Role.SUBSCRIBER).orElse(false);
            return down && !node.equals(upstream) && onRunning(state, upstream, Role.PRIMARY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withRole(node, Role.STANDBY).withStatus(node, NodeStatus.RUNNING) : state;
        }

        @Override
        public boolean restarts(String other) {
            return node.equals(other);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until {@code node} has a failover-ready copy of {@code slot} (synced, persistent,
     * valid): the check the documentation asks for before a failover. The sync worker's cycles are what it waits for.
     */
    record AwaitFailoverReady(String node, String slot, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until the standby {@code node} has replayed all the WAL its upstream has
     * written: the lag check an HA tool makes before a switchover.
     */
    record AwaitReplayCatchUp(String node, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until the physical slot the standby {@code node} streams through on its primary
     * holds a catalog_xmin no newer than each valid synced copy's ({@code StandbyFeedback.unheldCopies}): its
     * hot_standby_feedback arriving (§1 item 13), which is what lets VACUUM on the primary leave the copies' catalog rows.
     */
    record AwaitStandbyFeedback(String node, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until the copy of {@code slot} on the standby {@code node} shows its primary
     * slot's configuration: plugin, database, failover, two_phase and (18+) two_phase_at, as a sync cycle copies them
     * (§1 item 2). A copy already failover-ready is updated only at the worker's next cycle.
     */
    record AwaitCopyMirrorsItsSlot(String node, String slot, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until {@code slot} on {@code node} has been idle for longer than the node's
     * {@code idle_replication_slot_timeout} (18+): the next checkpoint, or restartpoint, may then invalidate it
     * {@code idle_timeout} (§1 item 23), unless it is a synced slot in recovery.
     */
    record AwaitSlotIdle(String node, String slot, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).filter(NodeModel::running).isPresent();
        }
    }

    /**
     * The end of a sequence, every fault healed and nothing else going on: waits, within {@code boundSeconds} each, until
     * the standby {@code node} has replayed all its upstream wrote and, when its slot sync worker is to run, until the
     * worker's cycles have left no copy unconverged ({@link SlotSync#unconvergedCopies}). An idle worker naps up to 30 s
     * and one that ended with an error restarts 10 s later (§1 item 21); the harness wakes it now and then (SIGUSR1 sets
     * its latch, as a procsignal does) rather than wait out each nap. Where the pg_failover_slots extension keeps the
     * copies, until its worker has left no slot to copy without a copy and no extra slot to drop
     * ({@link PgFailoverSlots#pendingWork}): its cycle, as {@link SyncSlots} is the server's own.
     */
    record AwaitConvergence(String node, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY);
        }
    }

    /**
     * Waits, within {@code boundSeconds}, until each enabled subscription of the subscriber {@code node} has applied all
     * its publisher had written when the wait began (the publisher's slot of it confirms that position): the lag check
     * before rows are compared. A subscription whose slot is not on its publisher (field failure 8: a copy that was not
     * failover-ready when its standby was promoted is gone) cannot continue, and the step fails saying so.
     */
    record AwaitSubscriberCatchUp(String node, int boundSeconds) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.SUBSCRIBER);
        }
    }

    // ------------------------------------------------------------------ topology

    /**
     * {@code pg_upgrade} of the primary {@code node}, stopped for it, into a fresh cluster of the same installation
     * that takes its place: its logical slots are migrated, keeping failover and two_phase; its physical slots are not,
     * so its standbys stream no more (§1 item 27). Needs an installation that has the program.
     */
    record UpgradeInPlace(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state : state.withStatus(node, NodeStatus.STOPPED);
        }

        @Override
        public boolean restarts(String other) {
            return node.equals(other);
        }
    }

    /**
     * {@code pg_createsubscriber} run on the standby {@code node}, stopped for it, with the primary {@code publisher}:
     * the standby becomes a subscriber of that primary (subscription and publication named {@code subscription}, the
     * database {@code postgres}), its failover slots and its physical slot on the primary dropped (§1 item 27). Needs an
     * installation that has the program.
     */
    record ConvertToSubscriber(String node, String publisher, String subscription) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.STANDBY) && onRunning(state, publisher, Role.PRIMARY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return outcome instanceof Outcome.Ok ? state.withRole(node, Role.SUBSCRIBER) : state.withStatus(node, NodeStatus.STOPPED);
        }

        @Override
        public boolean restarts(String other) {
            return node.equals(other);
        }
    }

    /**
     * A new standby of the primary {@code upstream}, beside the others, from a base backup of it, streaming through a
     * physical slot named like the new node. A node that could not be made stays in the topology, stopped.
     */
    record AddStandby(String node, String upstream) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).isEmpty() && onRunning(state, upstream, Role.PRIMARY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return added(state, node, Role.STANDBY, outcome);
        }
    }

    /**
     * A new standby of the standby {@code upstream} (a cascading standby), from a base backup of it, streaming through a
     * physical slot named like the new node. A node that could not be made stays in the topology, stopped.
     */
    record AddCascadingStandby(String node, String upstream) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).isEmpty() && onRunning(state, upstream, Role.STANDBY);
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return added(state, node, Role.STANDBY, outcome);
        }
    }

    /** A new server of its own, with the table the primary publishes, to subscribe with. */
    record AddSubscriber(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return state.node(node).isEmpty();
        }

        @Override
        public ModelState effect(ModelState state, Outcome outcome) {
            return added(state, node, Role.SUBSCRIBER, outcome);
        }
    }

    // ------------------------------------------------------------------ subscribers

    /**
     * {@code CREATE SUBSCRIPTION subscription ... WITH (failover = ...)} on the subscriber {@code node}: its slot, named
     * like the subscription, is made on {@code publisher}. With {@code throughEndpoint} it connects through the stable
     * endpoint ({@link MoveEndpoint}), made to lead to {@code publisher} if there is none yet.
     */
    record CreateSubscription(String node, String subscription, String publisher, boolean failover, boolean throughEndpoint,
                              boolean twoPhase) implements Operation {
        /** A subscription that applies each transaction at its commit (two_phase off, the default). */
        public CreateSubscription(String node, String subscription, String publisher, boolean failover, boolean throughEndpoint) {
            this(node, subscription, publisher, failover, throughEndpoint, false);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.SUBSCRIBER) && onRunning(state, publisher, Role.PRIMARY);
        }
    }

    /**
     * The stable endpoint (the seeds' VIP: an address the harness controls) now leads to {@code node}, as an HA tool
     * moves a virtual IP to the promoted standby at failover: connections through it end, and a subscription connecting
     * through it reconnects to {@code node} by itself.
     */
    record MoveEndpoint(String node) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.PRIMARY);
        }
    }

    /**
     * {@code ALTER SUBSCRIPTION subscription SET (failover = ...)}, between a disable and an enable (§2 O12: only while
     * disabled); with {@code whileEnabled}, as a user might, the subscription left enabled.
     */
    record AlterSubscriptionFailover(String node, String subscription, boolean failover, boolean whileEnabled) implements Operation {
        /** Between a disable and an enable, as the documentation asks. */
        public AlterSubscriptionFailover(String node, String subscription, boolean failover) {
            this(node, subscription, failover, false);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.SUBSCRIBER);
        }

        /** §2 O12: the slot's failover cannot change while the apply worker holds it. */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            return whileEnabled && profile.hasFailoverSlots() && enabledWithASlot(state, node, subscription)
                    ? new Expected.FailsWith(Message.SUBSCRIPTION_OPTION_WHILE_ENABLED) : Expected.UNPREDICTED;
        }
    }

    /**
     * {@code ALTER SUBSCRIPTION ... SET (two_phase = twoPhase)}, the subscription disabled meanwhile (with
     * {@code whileEnabled}, left enabled): on 18 and later its slot's two_phase changes on the publisher, and two_phase_at
     * with it.
     */
    record AlterSubscriptionTwoPhase(String node, String subscription, boolean twoPhase, boolean whileEnabled) implements Operation {
        /** Between a disable and an enable, as the documentation asks. */
        public AlterSubscriptionTwoPhase(String node, String subscription, boolean twoPhase) {
            this(node, subscription, twoPhase, false);
        }

        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.SUBSCRIBER);
        }

        /** §5.1: 17 knows two_phase only when a subscription is made; 18 alters it only while the subscription is disabled. */
        @Override
        public Expected expect(ModelState state, VersionProfile profile) {
            if (!profile.hasFailoverSlots()) {
                return Expected.UNPREDICTED;
            }
            if (!profile.altersSubscriptionTwoPhase()) {
                return new Expected.FailsWith(Message.SUBSCRIPTION_PARAMETER_UNRECOGNIZED);
            }
            return whileEnabled && enabledWithASlot(state, node, subscription)
                    ? new Expected.FailsWith(Message.SUBSCRIPTION_OPTION_WHILE_ENABLED) : Expected.UNPREDICTED;
        }
    }

    /** Whether {@code subscription} of {@code node} was last seen enabled, with a slot on its publisher. */
    private static boolean enabledWithASlot(ModelState state, String node, String subscription) {
        return state.node(node).map(NodeModel::lastSeen).flatMap(seen -> seen.subscription(subscription))
                .filter(row -> row.enabled() && row.slotName() != null).isPresent();
    }

    /** Point a subscription at another publisher (disable, {@code ALTER SUBSCRIPTION ... CONNECTION}, enable): after a failover. */
    record RepointSubscription(String node, String subscription, String publisher) implements Operation {
        @Override
        public boolean allowed(ModelState state) {
            return onRunning(state, node, Role.SUBSCRIBER) && state.node(publisher).filter(NodeModel::running).isPresent()
                    && !publisher.equals(node);
        }
    }

    /** A standby (running or not) whose replication link is neither cut nor slowed. */
    private static boolean standbyWithWholeLink(ModelState state, String node) {
        return state.node(node).map(n -> n.role() == Role.STANDBY && !n.linkImpaired()).orElse(false);
    }

    private static boolean hasStatus(ModelState state, String node, NodeStatus status) {
        return state.node(node).map(n -> n.status() == status).orElse(false);
    }

    /** A node made by an operation: running if it succeeded, else in the topology, stopped. */
    private static ModelState added(ModelState state, String node, Role role, Outcome outcome) {
        return state.withNode(node, role, outcome instanceof Outcome.Ok ? NodeStatus.RUNNING : NodeStatus.STOPPED);
    }

    private static boolean onRunning(ModelState state, String node, Role role) {
        return state.node(node).map(n -> n.running() && n.role() == role).orElse(false);
    }

    /**
     * §1 item 8: decoding, advancing or altering a synced slot on a standby is refused — or the synchronizer holds it
     * right then, which ends as {@code whileHeld}, or a temporary copy is gone already (its synchronizer dropped it when
     * letting go); from 18 an invalidated slot is refused for that first (17 has version-specific texts first).
     */
    private static Expected refusedOnSyncedCopy(ModelState state, String node, String slot, Message refusal, Message whileHeld,
                                                VersionProfile profile) {
        Optional<SlotRow> copy = state.node(node).flatMap(n -> n.syncedCopy(slot));
        if (copy.isEmpty()) {
            return Expected.UNPREDICTED;
        }
        List<Message> allowed = new ArrayList<>(List.of(refusal, whileHeld));
        if (copy.get().temporary()) {
            allowed.add(Message.SLOT_DOES_NOT_EXIST);
        }
        if (copy.get().invalidationReason() != null) {
            if (!profile.rejectsInvalidatedSlotAccessFirst()) {
                return Expected.UNPREDICTED;
            }
            allowed.add(Message.SLOT_INVALIDATED_ACCESS);
        }
        return new Expected.FailsWith(allowed);
    }
}
