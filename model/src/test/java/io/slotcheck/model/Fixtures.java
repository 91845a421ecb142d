package io.slotcheck.model;

import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.history.History;
import io.slotcheck.model.version.SlotSyncMechanism;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.history.Outcome;
import io.slotcheck.model.history.Step;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.observation.ReplicationRow;
import io.slotcheck.model.observation.SlotRow;
import io.slotcheck.model.observation.SubscriptionRow;
import io.slotcheck.model.observation.WalReceiverRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-written histories for the model's tests: nodes, slots and steps in a few words each. */
public final class Fixtures {

    public static final String PG17 = "PostgreSQL 17.11 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit";
    public static final String PG17_5 = "PostgreSQL 17.5 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit";
    public static final String PG19 = "PostgreSQL 19.0 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit";
    public static final String PG18 = "PostgreSQL 18.6 on x86_64-pc-linux-gnu, compiled by gcc 7.5.0, 64-bit";
    public static final int PRIMARY_PORT = 5432;
    public static final int STANDBY_PORT = 5433;

    private Fixtures() {
    }

    /** A slot row with the defaults of a persistent, idle, valid logical failover slot. */
    public static Slot slot(String name) {
        return new Slot(name);
    }

    public static final class Slot {
        private final String name;
        private String type = "logical";
        private boolean temporary;
        private boolean failover = true;
        private boolean synced;
        private boolean twoPhase;
        private Lsn twoPhaseAt;
        private Lsn restart = Lsn.parse("0/3000000");
        private Lsn confirmed = Lsn.parse("0/3000100");
        private Long catalogXmin = 750L;
        private String invalidation;
        private Boolean conflicting = false;
        private Integer holder = 4242;
        private String plugin = "test_decoding";
        private String database = "postgres";
        private long datoid = 5L;
        private boolean active;
        private Instant inactiveSince = Instant.parse("2026-11-22T03:00:00Z");
        /** Set by {@link #inactiveSince}: shown as given, in use or not (else a slot in use shows none). */
        private boolean inactiveSinceGiven;
        private String skipReason;
        private Long skipCount;
        private String walStatus = "reserved";

        private Slot(String name) {
            this.name = name;
        }

        /** Of the database {@code name}, whose OID is {@code oid} (else {@code postgres}, OID 5). */
        public Slot in(String name, long oid) {
            database = name;
            datoid = oid;
            return this;
        }

        public Slot physical() {
            type = "physical";
            failover = false;
            conflicting = null;
            confirmed = null;
            catalogXmin = null;
            return this;
        }

        public Slot synced() {
            synced = true;
            return this;
        }

        public Slot temporary() {
            temporary = true;
            return this;
        }

        /** A temporary slot held by the process {@code pid} (a synchronizer, for a synced copy). */
        public Slot heldBy(int pid) {
            temporary = true;
            holder = pid;
            return this;
        }

        public Slot plugin(String name) {
            plugin = name;
            return this;
        }

        /** Held by a process (a consumer, a synchronizer), whatever its persistence. */
        public Slot active() {
            active = true;
            return this;
        }

        /** A pg_failover_slots copy still being made: held by the worker, with no confirmed_flush_lsn yet. */
        public Slot beingMade() {
            active = true;
            confirmed = null;
            return this;
        }

        public Slot noFailover() {
            failover = false;
            return this;
        }

        public Slot confirmed(String lsn) {
            confirmed = Lsn.parse(lsn);
            return this;
        }

        public Slot restart(String lsn) {
            restart = lsn == null ? null : Lsn.parse(lsn);
            return this;
        }

        public Slot catalogXmin(long xid) {
            catalogXmin = xid;
            return this;
        }

        /** Decodes prepared transactions at PREPARE (two_phase on), with no two_phase_at shown (as 17 shows it). */
        public Slot twoPhase() {
            twoPhase = true;
            return this;
        }

        public Slot twoPhaseAt(String lsn) {
            twoPhase = true;
            twoPhaseAt = Lsn.parse(lsn);
            return this;
        }

        /** When it was last released ({@code null}: never, or not shown). */
        public Slot inactiveSince(String instant) {
            inactiveSince = instant == null ? null : Instant.parse(instant);
            inactiveSinceGiven = true;
            return this;
        }

        /** 19: why its last sync was skipped ({@code slotsync_skip_reason}). */
        public Slot skipped(String reason) {
            skipReason = reason;
            return this;
        }

        /** With 19's slotsync_skip_count {@code count} (and a slotsync_last_skip). */
        public Slot skipCount(long count) {
            skipCount = count;
            return this;
        }

        /** With {@code wal_status} {@code status} (else reserved). */
        public Slot walStatus(String status) {
            walStatus = status;
            return this;
        }

        public Slot invalidated(String reason, Boolean conflicting) {
            invalidation = reason;
            this.conflicting = conflicting;
            return this;
        }

        public SlotRow row() {
            boolean held = temporary || active;
            return new SlotRow(name, type.equals("logical") ? plugin : null, type, type.equals("logical") ? datoid : null,
                    type.equals("logical") ? database : null, temporary, held, held ? holder : null, null, catalogXmin,
                    restart, confirmed, walStatus, null, twoPhase, twoPhaseAt, active && !temporary && !inactiveSinceGiven ? null : inactiveSince, conflicting,
                    invalidation, failover, synced, skipReason, skipCount, skipCount == null ? null : Instant.parse("2026-12-07T10:00:01Z"));
        }
    }

    /** A primary with the physical slot {@code standby1} streams through, as in a cluster slotcheck makes. */
    public static Node primary(String name, int port) {
        return new Node(name, port, false, null).with(slot("standby1").physical());
    }

    public static Node standby(String name, int port, int upstreamPort) {
        return new Node(name, port, true, upstreamPort);
    }

    public static final class Node {
        private final String name;
        private final int port;
        private final boolean inRecovery;
        private final Integer upstreamPort;
        private Lsn flush = Lsn.parse("0/3000200");
        private final List<SlotRow> slots = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> log = new ArrayList<>();
        private String version = PG17;
        private boolean streaming = true;
        private int timeline = 1;
        private Instant takenAt = Instant.parse("2026-11-22T03:00:00Z");
        private final List<Long> transactions = new ArrayList<>();
        private final List<SubscriptionRow> subscriptions = new ArrayList<>();
        private String host;
        private String upstreamHost = "127.0.0.1";
        private Integer syncWorkerPid;
        private final List<String> prepared = new ArrayList<>();

        private Node(String name, int port, boolean inRecovery, Integer upstreamPort) {
            this.name = name;
            this.port = port;
            this.inRecovery = inRecovery;
            this.upstreamPort = upstreamPort;
            settings.put("wal_level", "logical");
            settings.put("hot_standby_feedback", "on");
            settings.put("port", Integer.toString(port));
            if (inRecovery) {
                followUpstream();
                settings.put("primary_slot_name", name);
            }
        }

        /** On a host of its own (servers sharing a port are told apart by it). */
        public Node at(String ownHost) {
            host = ownHost;
            return this;
        }

        /** A standby whose primary_conninfo and walreceiver name {@code host} for its upstream. */
        public Node upstreamAt(String otherHost) {
            upstreamHost = otherHost;
            followUpstream();
            return this;
        }

        private void followUpstream() {
            settings.put("primary_conninfo", "host=" + upstreamHost + " port=" + upstreamPort + " user=postgres dbname=postgres");
        }

        public Node flush(String lsn) {
            flush = Lsn.parse(lsn);
            return this;
        }

        /** Adds slots; one named like a slot the node has replaces it. */
        public Node with(Slot... added) {
            for (Slot slot : added) {
                SlotRow row = slot.row();
                slots.removeIf(existing -> existing.slotName().equals(row.slotName()));
                slots.add(row);
            }
            return this;
        }

        /** With the prepared transactions {@code gids} in pg_prepared_xacts. */
        public Node prepared(String... gids) {
            prepared.addAll(List.of(gids));
            return this;
        }

        /** Without its slot {@code slot}. */
        public Node without(String slot) {
            slots.removeIf(row -> row.slotName().equals(slot));
            return this;
        }

        public Node setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public Node log(String line) {
            log.add(line);
            return this;
        }

        /** A slot sync worker runs, as process {@code pid}. */
        public Node syncWorker(int pid) {
            syncWorkerPid = pid;
            return this;
        }

        /** A standby whose walreceiver is not there (it cannot connect, or was stopped). */
        public Node notStreaming() {
            streaming = false;
            return this;
        }

        /** The workload's transactions this node has, repeats included. */
        public Node transactions(long... ids) {
            for (long id : ids) {
                transactions.add(id);
            }
            return this;
        }

        /** An enabled failover subscription named like its slot, streaming from the node on {@code publisherPort}. */
        public Node subscription(String subscription, int publisherPort) {
            subscriptions.add(new SubscriptionRow(subscription, true, null, publisherPort, subscription, true, 4343, flush, flush, true));
            return this;
        }

        public Node timeline(int id) {
            timeline = id;
            return this;
        }

        /** Read {@code millis} after (or, negative, before) the other nodes of the step. */
        public Node readAfter(long millis) {
            takenAt = takenAt.plusMillis(millis);
            return this;
        }

        public Node version(String versionString) {
            version = versionString;
            return this;
        }

        public NodeSnapshot snapshot() {
            Optional<WalReceiverRow> receiver = inRecovery && streaming
                    ? Optional.of(new WalReceiverRow(100, "streaming", flush, flush, flush, 1, name, upstreamHost, upstreamPort))
                    : Optional.empty();
            List<ReplicationRow> replication = List.of();
            return new NodeSnapshot(name, host, takenAt, version, version.contains(" 18.") ? 180006 : 170011,
                    inRecovery, timeline, inRecovery ? null : flush, flush, inRecovery ? flush : null, inRecovery ? flush : null,
                    slots, replication, receiver, settings, log, transactions, subscriptions, syncWorkerPid, prepared);
        }
    }

    /** Builds a history step by step; each step's observations are the given nodes. */
    public static final class HistoryBuilder {
        private final String version;
        private final List<Step> steps = new ArrayList<>();

        private SlotSyncMechanism slotSync = SlotSyncMechanism.BUILT_IN;

        public HistoryBuilder(String version) {
            this.version = version;
        }

        public HistoryBuilder step(Operation operation, Outcome outcome, Node... nodes) {
            steps.add(new Step(steps.size() + 1, operation, outcome, observations(nodes)));
            return this;
        }

        /** A call seen waiting on the standby barrier, then cancelled by slotcheck. */
        public HistoryBuilder heldByTheBarrier(Operation operation, Node... nodes) {
            return held(operation, BoundedWait.STANDBY_CONFIRMATION, nodes);
        }

        /** A call seen waiting on {@code waitEvent}, then cancelled by slotcheck. */
        public HistoryBuilder held(Operation operation, String waitEvent, Node... nodes) {
            BoundedWait held = new BoundedWait(operation.node() + ": " + operation + BoundedWait.held(waitEvent, 1500), 30_000, 1_600, false);
            steps.add(new Step(steps.size() + 1, operation, new Outcome.Failed("57014", "canceling statement due to user request"),
                    observations(nodes), List.of(held), 1_600, 20));
            return this;
        }

        /** A call seen held by the standby barrier, then released by a reload, that ended with {@code outcome}. */
        public HistoryBuilder releasedFromTheBarrier(Operation operation, Outcome outcome, Node... nodes) {
            BoundedWait released = new BoundedWait(operation.node() + ": " + operation + BoundedWait.released(BoundedWait.STANDBY_CONFIRMATION, 1500, "by a reload"),
                    30_000, 2_400, !(outcome instanceof Outcome.Failed failed && "57014".equals(failed.sqlState())));
            steps.add(new Step(steps.size() + 1, operation, outcome, observations(nodes), List.of(released), 2_400, 20));
            return this;
        }

        private Map<String, NodeSnapshot> observations(Node... nodes) {
            Map<String, NodeSnapshot> observations = new LinkedHashMap<>();
            for (Node node : nodes) {
                observations.put(node.name, node.version(version).snapshot());
            }
            return observations;
        }

        /** Appends an existing step (renumbered), to branch one history into variants. */
        public HistoryBuilder stepFrom(Step step) {
            steps.add(new Step(steps.size() + 1, step.operation(), step.outcome(), step.observations()));
            return this;
        }

        public HistoryBuilder ok(Operation operation, Node... nodes) {
            return step(operation, Outcome.ok(), nodes);
        }

        /** A history of a pair whose copies {@code mechanism} keeps. */
        public HistoryBuilder slotSync(SlotSyncMechanism mechanism) {
            slotSync = mechanism;
            return this;
        }

        public History build() {
            return new History("test", version, slotSync, 42L, steps);
        }
    }
}
