package io.slotcheck.harness.run;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.LinkRelay;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeSqlException;
import io.slotcheck.harness.cluster.NodeState;
import io.slotcheck.harness.cluster.ReplicationSession;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.WaitTimeoutException;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.observe.Observer;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.history.BoundedWait;
import io.slotcheck.model.invariant.StandbyFeedback;
import io.slotcheck.model.operation.Operation;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.ServerProcess;
import io.slotcheck.model.operation.SlotSync;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Performs the model's operations on a real cluster, as a DBA would. A refusal by the server surfaces as a
 * {@code NodeSqlException}, a wait that runs out as a {@code WaitTimeoutException}; the recorder classifies both.
 */
public final class OperationExecutor implements AutoCloseable {

    /**
     * Decoding or advancing a failover slot waits for the standbys named in synchronized_standby_slots, decoding or
     * syncing on a standby waits for WAL to be replayed, and creating a slot on a standby waits for a running-transactions
     * record, for as long as that takes: bounded by a statement timeout, the wait ends as the server's cancellation
     * error. Each such statement is recorded as a bounded wait.
     */
    static final Duration STATEMENT_BOUND = Duration.ofSeconds(5);
    private static final String QUERY_CANCELED = "57014";

    /** The publication pgoutput consumers and subscribers read. */
    static final String PUBLICATION = "slotcheck";
    /**
     * The workload's tables: the rows its transactions insert, update and delete, and the ledger of their ids
     * ({@link Observer#TRANSACTIONS_TABLE}), which every node's observation reads. On a subscriber neither has a key, so
     * that a transaction applied twice shows as repeated rows instead of stopping the subscription on a conflict; the
     * rows' replica identity is therefore the full row (a subscriber finds the rows to update and delete without a key).
     * On IvorySQL in Oracle mode the rows have Oracle's types and are made in an Oracle-mode session, as the seeds'
     * workload was.
     */
    private static void createTables(Node node, boolean publisher) {
        String key = publisher ? " PRIMARY KEY" : "";
        if (node.oraclePort().isPresent()) {
            node.executeInOracleMode("CREATE TABLE slotcheck_rows (id number(19)" + key + ", txn number(19) NOT NULL, note varchar2(40))");
        } else {
            node.execute("CREATE TABLE slotcheck_rows (id bigint" + key + ", txn bigint NOT NULL, note text)");
        }
        node.execute("CREATE TABLE " + Observer.TRANSACTIONS_TABLE + " (txn bigint" + key + ")");
        if (publisher) {
            node.execute("ALTER TABLE slotcheck_rows REPLICA IDENTITY FULL");
        }
    }

    private final Cluster cluster;
    /** Polls the servers during waits that the model judges; the recorder's observer keeps the log positions. */
    private final Observer observer = new Observer();
    private int ddlCount;
    /** The id of the workload's last transaction: unique over the sequence, whichever node is primary. */
    private long lastTransaction;

    public OperationExecutor(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Before the first step: the table transactions write to, and a publication of it for pgoutput (and subscribers). */
    public void setUp() {
        Node primary = cluster.primary();
        createTables(primary, true);
        primary.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE slotcheck_rows, " + Observer.TRANSACTIONS_TABLE);
        primary.waitForCatchup(cluster.standby());
    }

    public void execute(Operation operation) {
        if (operation instanceof Operation.AddCascadingStandby add) {
            cluster.addStandbyOf(cluster.node(add.upstream()), add.node());
            return;
        }
        if (operation instanceof Operation.AddStandby add) {
            cluster.addStandbyOf(cluster.node(add.upstream()), add.node());
            return;
        }
        if (operation instanceof Operation.AddSubscriber add) {
            createTables(cluster.addSubscriber(add.node()), false);
            return;
        }
        Node node = cluster.node(operation.node());
        if (operation instanceof Operation.CreateLogicalSlot create) {
            // on a standby, creation waits for the primary's next running-transactions record (every 15 s by itself)
            // failover is an argument from 17 on: left out when off, so that a server without failover slots creates the slot too
            bounded(node, create.database(), "creation of " + create.slot(), "SELECT pg_create_logical_replication_slot(" + literal(create.slot()) + ", "
                    + literal(create.plugin()) + ", " + create.temporary() + ", " + create.twoPhase() + (create.failover() ? ", true" : "") + ")");
        } else if (operation instanceof Operation.CreateDatabase create) {
            node.execute("CREATE DATABASE " + create.database());
        } else if (operation instanceof Operation.DropDatabase drop) {
            node.execute("DROP DATABASE " + drop.database());
        } else if (operation instanceof Operation.CopyLogicalSlot copying) {
            node.execute("SELECT pg_copy_logical_replication_slot(" + literal(copying.source()) + ", " + literal(copying.slot()) + ")");
        } else if (operation instanceof Operation.CreatePhysicalSlot create && create.failover()) {
            try (ReplicationSession session = node.replicationSession()) {
                session.createPhysicalSlot(create.slot(), true);
            }
        } else if (operation instanceof Operation.CreatePhysicalSlot create) {
            node.execute("SELECT pg_create_physical_replication_slot(" + literal(create.slot()) + ", true)");
        } else if (operation instanceof Operation.DropSlot drop) {
            node.execute("SELECT pg_drop_replication_slot(" + literal(drop.slot()) + ")");
        } else if (operation instanceof Operation.AlterSlotFailover alter) {
            try (ReplicationSession session = node.replicationSession()) {
                long started = System.nanoTime();
                record(node, "alter of " + alter.slot(), started, SLOT_HELD_WAIT_EVENT, " (cancelled at the bound)",
                        session.alterSlotFailover(alter.slot(), alter.failover(), STATEMENT_BOUND, SLOT_HELD_WAIT_EVENT, HELD_FOR));
            }
        } else if (operation instanceof Operation.WriteTransactions write) {
            writeTransactions(node, write);
        } else if (operation instanceof Operation.PrepareTransaction) {
            prepareTransaction(node);
        } else if (operation instanceof Operation.CommitPrepared) {
            commitPrepared(node);
        } else if (operation instanceof Operation.ConsumeChanges consume) {
            consume(node, consume);
        } else if (operation instanceof Operation.ConsumeReleasedByReload consume) {
            consumeReleased(node, consume.slot(), STATEMENT_BOUND, () -> node.set("synchronized_standby_slots", consume.list()), "by a reload");
        } else if (operation instanceof Operation.ConsumeReleasedByStandby consume) {
            // the standby starts and streams within the call's bound, doubled for it
            Node standby = cluster.node(consume.standby());
            consumeReleased(node, consume.slot(), STATEMENT_BOUND.multipliedBy(2), standby::start, "by starting " + standby.name());
        } else if (operation instanceof Operation.AdvanceSlot advance) {
            Lsn to = advance.to() != null ? advance.to() : node.lsn();
            bounded(node, "advance of " + advance.slot(), "SELECT pg_replication_slot_advance(" + literal(advance.slot()) + ", '" + to + "')");
        } else if (operation instanceof Operation.Acknowledge acknowledge) {
            acknowledge(node, acknowledge);
        } else if (operation instanceof Operation.CreateSubscription create) {
            // CREATE SUBSCRIPTION cannot run in a transaction block: a statement of its own
            Node publisher = cluster.node(create.publisher());
            String connection = create.throughEndpoint() ? cluster.endpointConnectionString(publisher, Node.DATABASE)
                    : publisher.connectionString(Node.DATABASE);
            List<String> options = new ArrayList<>();
            if (create.failover()) {
                options.add("failover = true");
            }
            if (create.twoPhase()) {
                options.add("two_phase = true");
            }
            node.execute("CREATE SUBSCRIPTION " + create.subscription() + " CONNECTION " + literal(connection)
                    + " PUBLICATION " + PUBLICATION + (options.isEmpty() ? "" : " WITH (" + String.join(", ", options) + ")"));
        } else if (operation instanceof Operation.MoveEndpoint) {
            cluster.moveEndpoint(node);
        } else if (operation instanceof Operation.AlterSubscriptionFailover alter) {
            alterSubscription(node, alter.subscription(), "failover = " + alter.failover(), alter.whileEnabled());
        } else if (operation instanceof Operation.AlterSubscriptionTwoPhase alter) {
            alterSubscription(node, alter.subscription(), "two_phase = " + alter.twoPhase(), alter.whileEnabled());
        } else if (operation instanceof Operation.RepointSubscription repoint) {
            whileDisabled(node, repoint.subscription(), "ALTER SUBSCRIPTION " + repoint.subscription() + " CONNECTION "
                    + literal(publisherConnection(repoint.publisher())));
        } else if (operation instanceof Operation.SyncSlots) {
            // from 19 a call that cannot make a copy sync-ready naps and retries: seen napping, it has shown why
            bounded(node, null, "pg_sync_replication_slots()", "SELECT pg_sync_replication_slots()", BoundedWait.SYNC_NAP);
        } else if (operation instanceof Operation.SetSetting set) {
            node.set(set.setting(), set.value());
        } else if (operation instanceof Operation.Checkpoint) {
            node.execute("CHECKPOINT");
        } else if (operation instanceof Operation.VacuumCatalogs) {
            node.execute("VACUUM pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_type, pg_catalog.pg_depend");
        } else if (operation instanceof Operation.LogStandbySnapshot) {
            node.execute("SELECT pg_log_standby_snapshot()");
            node.waitForWalFlush();
        } else if (operation instanceof Operation.StopNode stop) {
            node.stop(stop.immediate() ? StopMode.IMMEDIATE : StopMode.FAST);
        } else if (operation instanceof Operation.StartNode) {
            node.start();
        } else if (operation instanceof Operation.CrashNode) {
            node.kill9();
        } else if (operation instanceof Operation.PauseNode) {
            node.pause();
        } else if (operation instanceof Operation.ResumeNode) {
            node.resume();
        } else if (operation instanceof Operation.SignalProcess signal) {
            node.signalProcess(signal.process().backendType(), signal.kill());
        } else if (operation instanceof Operation.PauseProcess pause) {
            node.pauseProcess(pause.process().backendType());
        } else if (operation instanceof Operation.ResumeProcess) {
            node.resumePausedProcess();
        } else if (operation instanceof Operation.PartitionLink partition) {
            cluster.cutLink(node.name(), partition.blackhole() ? LinkRelay.Cut.BLACKHOLE : LinkRelay.Cut.REFUSE);
        } else if (operation instanceof Operation.DelayLink delay) {
            cluster.slowLink(node.name(), Duration.ofMillis(delay.millis()));
        } else if (operation instanceof Operation.HealLink) {
            cluster.cutLink(node.name(), LinkRelay.Cut.NONE);
        } else if (operation instanceof Operation.DisconnectNode) {
            node.isolate();
        } else if (operation instanceof Operation.ReconnectNode) {
            node.reconnect();
        } else if (operation instanceof Operation.WalPressure pressure) {
            walPressure(node, pressure.segments());
        } else if (operation instanceof Operation.Promote) {
            node.promote();
        } else if (operation instanceof Operation.Rejoin rejoin) {
            cluster.rejoin(node, cluster.node(rejoin.upstream()), rejoin.slot());
        } else if (operation instanceof Operation.RewritePrimaryConninfo rewrite) {
            node.rewritePrimaryConninfo(rewrite.withDbname());
        } else if (operation instanceof Operation.ConnectAsReplicationRole) {
            connectAsReplicationRole(node);
        } else if (operation instanceof Operation.AwaitFailoverReady await) {
            if (cluster.slotSync() == SlotSyncMechanism.PG_FAILOVER_SLOTS) {
                node.waitForPgFailoverSlotsCopyReady(await.slot(), Duration.ofSeconds(await.boundSeconds()));
            } else {
                node.waitForSlotSyncReady(await.slot(), Duration.ofSeconds(await.boundSeconds()));
            }
        } else if (operation instanceof Operation.AwaitCopyMirrorsItsSlot await) {
            node.waitForCopyMirroring(await.slot(), runningUpstream(node), Duration.ofSeconds(await.boundSeconds()));
        } else if (operation instanceof Operation.AwaitReplayCatchUp await) {
            node.waitForReplay(runningUpstream(node).lsn(), Duration.ofSeconds(await.boundSeconds()));
        } else if (operation instanceof Operation.AwaitConvergence await) {
            awaitConvergence(node, Duration.ofSeconds(await.boundSeconds()));
        } else if (operation instanceof Operation.AwaitStandbyFeedback await) {
            Node upstream = runningUpstream(node);
            Waits.until(node.name() + "'s hot_standby_feedback to hold its copies' catalog_xmin in its physical slot on " + upstream.name(),
                    Duration.ofSeconds(await.boundSeconds()), () -> StandbyFeedback.unheldCopies(observer.peek(node), observer.peek(upstream)),
                    List::isEmpty);
        } else if (operation instanceof Operation.SetSettingWhileStopped set) {
            node.setWhileStopped(set.setting(), set.value());
        } else if (operation instanceof Operation.UpgradeInPlace) {
            node.upgradeInPlace();
        } else if (operation instanceof Operation.ConvertToSubscriber convert) {
            node.convertToSubscriber(cluster.node(convert.publisher()), convert.subscription());
        } else if (operation instanceof Operation.PauseReplay) {
            node.execute("SELECT pg_wal_replay_pause()");
            node.pollQueryUntil("SELECT pg_get_wal_replay_pause_state()", "paused", Node.DEFAULT_BOUND);
        } else if (operation instanceof Operation.ResumeReplay) {
            node.execute("SELECT pg_wal_replay_resume()");
        } else if (operation instanceof Operation.AwaitSlotIdle await) {
            // pg_settings gives the timeout in seconds; the server compares its own clock with inactive_since
            node.pollQueryUntil("SELECT s.inactive_since IS NOT NULL AND now() - s.inactive_since > make_interval(secs => t.setting::int)"
                    + " FROM pg_replication_slots s, pg_settings t WHERE t.name = 'idle_replication_slot_timeout' AND s.slot_name = "
                    + literal(await.slot()), "t", Duration.ofSeconds(await.boundSeconds()));
        } else if (operation instanceof Operation.AwaitSubscriberCatchUp await) {
            awaitSubscriberCatchUp(node, Duration.ofSeconds(await.boundSeconds()));
        } else {
            throw new IllegalArgumentException(operation.getClass().getSimpleName() + " is not among the operations this slotcheck executes");
        }
    }

    /**
     * The role of {@link Operation.ConnectAsReplicationRole}, made on the standby's primary with its database and what
     * it plants there, once; the standby then connects as it, after replaying the database (the slot sync worker
     * connects to it on the standby too).
     */
    private void connectAsReplicationRole(Node standby) {
        Node primary = runningUpstream(standby);
        String role = Operation.ConnectAsReplicationRole.ROLE;
        if (primary.queryRows("SELECT 1 FROM pg_roles WHERE rolname = " + literal(role)).isEmpty()) {
            primary.execute("CREATE ROLE " + role + " REPLICATION LOGIN", "CREATE DATABASE " + role + " OWNER " + role,
                    "ALTER DATABASE " + role + " SET search_path = planted, pg_catalog");
            // as the role itself: a schema of its own, and in it an = that answers the opposite for count(*) = 1
            primary.executeIn(role, "SET ROLE " + role, "CREATE SCHEMA planted",
                    "CREATE FUNCTION planted.opposite(bigint, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 <> $2'",
                    "CREATE OPERATOR planted.= (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = planted.opposite)");
        }
        primary.waitForCatchup(standby);
        standby.connectToPrimaryAs(role, role);
    }

    private Node runningUpstream(Node standby) {
        Node upstream = cluster.upstreamOf(standby).orElseThrow(() -> new IllegalStateException(standby.name() + " follows no node of the cluster"));
        if (upstream.state() != NodeState.RUNNING) {
            // a paused server would hold the question of its position forever
            throw new SlotcheckException(ExitCode.SERVER, standby.name() + "'s upstream " + upstream.name() + " is "
                    + upstream.state().name().toLowerCase() + ": there is no position to catch up with");
        }
        return upstream;
    }

    /** See {@link Operation.AwaitConvergence}: the replay first, then the worker's cycles, judged by the model's own rule. */
    private void awaitConvergence(Node standby, Duration bound) {
        Node upstream = runningUpstream(standby);
        standby.waitForReplay(upstream.lsn(), bound);
        if (cluster.slotSync() == SlotSyncMechanism.PG_FAILOVER_SLOTS) {
            Waits.until(standby.name() + "'s pg_failover_slots worker to catch up on " + upstream.name() + "'s logical slots", bound,
                    standby.wakingTheSyncWorker(() -> PgFailoverSlots.pendingWork(observer.peek(standby), observer.peek(upstream))), List::isEmpty);
        } else {
            Waits.until(standby.name() + "'s slot sync worker to converge on " + upstream.name() + "'s failover slots", bound,
                    standby.wakingTheSyncWorker(() -> SlotSync.pendingCopies(observer.peek(standby), observer.peek(upstream))), List::isEmpty);
        }
    }

    /** See {@link Operation.AwaitSubscriberCatchUp}: each enabled subscription's slot confirms its publisher's position. */
    private void awaitSubscriberCatchUp(Node subscriber, Duration bound) {
        for (List<String> row : subscriber.queryRows("SELECT subname, subslotname FROM pg_subscription WHERE subenabled")) {
            String subscription = row.get(0);
            String slot = row.get(1);
            Node publisher = publisherOf(subscriber, subscription)
                    .orElseThrow(() -> new SlotcheckException(ExitCode.SERVER, "subscription " + subscription + " of " + subscriber.name()
                            + " connects to no running node: there is no publisher to catch up with"));
            if (publisher.inRecovery()) {
                throw new SlotcheckException(ExitCode.SERVER, "subscription " + subscription + " of " + subscriber.name() + " connects to "
                        + publisher.name() + ", a standby: it cannot continue until it is pointed at a primary");
            }
            Lsn written = publisher.lsn();
            String confirmed = "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = " + literal(slot);
            if (publisher.queryRows(confirmed).isEmpty()) {
                throw new SlotcheckException(ExitCode.SERVER, "subscription " + subscription + " of " + subscriber.name() + " cannot continue on "
                        + publisher.name() + ": its slot " + slot + " is not there (on a promoted standby: it was no failover-ready copy"
                        + " at the promotion)");
            }
            // tables still in their initial copy have their changes skipped by the apply worker, which confirms past them
            Waits.until(subscriber.name() + "'s subscription " + subscription + " to finish the initial copy of its tables", bound,
                    () -> subscriber.queryValue("SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid"
                            + " WHERE s.subname = " + literal(subscription) + " AND r.srsubstate <> 'r'"), "0"::equals);
            Waits.until(subscriber.name() + "'s subscription " + subscription + " to apply all " + publisher.name() + " wrote (up to "
                    + written + ")", bound, () -> Lsn.parseNullable(publisher.queryValue(confirmed)), applied -> !applied.isBefore(written));
        }
    }

    /** Below one WAL segment: a checkpoint keeps nothing for a slot behind the segment it is in. */
    private static final String PRESSED_WAL_KEEP = "1MB";

    /** See {@link Operation.WalPressure}: the standbys kept up before and after, the limit lifted in the end. */
    private void walPressure(Node pressed, int segments) {
        Node primary = cluster.primaryOf(pressed)
                .orElseThrow(() -> new SlotcheckException(ExitCode.SERVER, pressed.name() + " has no primary upstream to write WAL on"));
        List<Node> standbys = cluster.nodes().stream().filter(n -> n.state() == NodeState.RUNNING && n.inRecovery()).toList();
        Lsn start = primary.lsn();
        standbys.forEach(standby -> standby.waitForReplay(start, Node.DEFAULT_BOUND));
        pressed.set("max_slot_wal_keep_size", PRESSED_WAL_KEEP);
        try {
            for (int i = 0; i < segments; i++) {
                // WAL of no table, so that the switch has something to end
                primary.execute("SELECT pg_logical_emit_message(false, 'slotcheck', 'wal pressure')", "SELECT pg_switch_wal()");
            }
            if (pressed != primary) {
                // a standby's restartpoint needs a checkpoint record of its primary to restart from
                primary.execute("CHECKPOINT");
            }
            Lsn end = primary.lsn();
            standbys.forEach(standby -> standby.waitForReplay(end, Node.DEFAULT_BOUND));
            // the standbys' own slots there must have been told of it too (feedback comes each second), or the checkpoint
            // invalidates them as well: a standby of 18 then never streams again (found by directed steps, 18.6)
            pressed.pollQueryUntil("SELECT coalesce(bool_and(restart_lsn >= '" + end + "'), true) FROM pg_replication_slots"
                    + " WHERE slot_type = 'physical' AND active", "t", Node.DEFAULT_BOUND);
            pressed.execute("CHECKPOINT");
        } finally {
            pressed.set("max_slot_wal_keep_size", "-1");
        }
    }

    private void writeTransactions(Node node, Operation.WriteTransactions write) {
        if (write.catalogChange()) {
            // the previous table dropped: dead catalog rows, which VACUUM removes unless a catalog_xmin holds them
            node.execute("CREATE TABLE slotcheck_ddl_" + (++ddlCount) + " (id int)", "DROP TABLE IF EXISTS slotcheck_ddl_" + (ddlCount - 1));
        }
        for (int i = 0; i < write.count(); i++) {
            node.execute(transaction(++lastTransaction) + "COMMIT");
        }
    }

    /**
     * One transaction of the workload, left prepared: committed by {@link Operation.CommitPrepared}. It inserts only: a
     * prepared transaction keeps its row locks, and the next one would wait on them to update and delete older rows.
     */
    private void prepareTransaction(Node node) {
        long txn = ++lastTransaction;
        node.execute("BEGIN; " + inserts(txn) + "PREPARE TRANSACTION '" + Operation.PrepareTransaction.GID_PREFIX + txn + "'");
    }

    private static void commitPrepared(Node node) {
        for (List<String> gid : node.queryRows("SELECT gid FROM pg_prepared_xacts WHERE starts_with(gid, '"
                + Operation.PrepareTransaction.GID_PREFIX + "') ORDER BY prepared")) {
            node.execute("COMMIT PREPARED " + literal(gid.get(0)));
        }
    }

    /**
     * The statements of transaction {@code txn} but its end: an update and a delete of older rows, its inserts and the
     * ledger entry, all or nothing.
     */
    private static String transaction(long txn) {
        return "BEGIN; UPDATE slotcheck_rows SET txn = " + txn + ", note = 'updated' WHERE id = (SELECT min(id) FROM slotcheck_rows"
                + " WHERE note = 'inserted' AND txn < " + txn + "); DELETE FROM slotcheck_rows WHERE id = (SELECT min(id) FROM"
                + " slotcheck_rows WHERE note = 'updated' AND txn < " + txn + "); " + inserts(txn);
    }

    /** Transaction {@code txn}'s new rows and its ledger entry. */
    private static String inserts(long txn) {
        return "INSERT INTO slotcheck_rows VALUES (" + (txn * 10 + 1) + ", " + txn + ", 'inserted'), (" + (txn * 10 + 2) + ", " + txn
                + ", 'inserted'); INSERT INTO " + Observer.TRANSACTIONS_TABLE + " VALUES (" + txn + "); ";
    }

    /** test_decoding slots decode as text; pgoutput ones as binary, from a publication of every table. */
    private static void consume(Node node, Operation.ConsumeChanges consume) {
        Decoding decoding = Decoding.of(node, consume.slot(), consume.upto(), consume.peek());
        bounded(node, decoding.database(), decoding.what(), decoding.sql());
    }

    /**
     * Decoding on a primary, and once it is seen held by the standby barrier, {@code release} done from another session
     * (it is done all the same when the call was not held): the call then goes on within the rest of its bound, or is
     * ended by statement_timeout.
     */
    private static void consumeReleased(Node node, String slot, Duration bound, Runnable release, String how) {
        Decoding decoding = Decoding.of(node, slot, null, false);
        long started = System.nanoTime();
        Node.Watched watched = node.executeReleased(decoding.database(), decoding.sql(), bound, BARRIER_WAIT_EVENT, HELD_FOR, release);
        if (!watched.seenWaiting()) {
            release.run();
        }
        record(node, decoding.what(), started, watched.seenWaiting() ? BoundedWait.released(BARRIER_WAIT_EVENT, HELD_FOR.toMillis(), how)
                : " (statement_timeout)", watched, bound);
    }

    /** A slot's changes read with SQL: in the slot's own database, through its plugin's function. */
    private record Decoding(String database, String what, String sql) {
        static Decoding of(Node node, String slot, Lsn upto, boolean peek) {
            String until = upto == null ? "NULL" : "'" + upto + "'";
            String verb = peek ? "peek" : "get";
            List<List<String>> row = node.queryRows("SELECT plugin, database FROM pg_replication_slots WHERE slot_name = " + literal(slot));
            String plugin = row.isEmpty() ? null : row.get(0).get(0);
            String database = row.isEmpty() ? null : row.get(0).get(1);
            String sql = "pgoutput".equals(plugin)
                    ? "SELECT count(*) FROM pg_logical_slot_" + verb + "_binary_changes(" + literal(slot) + ", " + until
                    + ", NULL, 'proto_version', '1', 'publication_names', '" + PUBLICATION + "')"
                    : "SELECT count(*) FROM pg_logical_slot_" + verb + "_changes(" + literal(slot) + ", " + until + ", NULL)";
            return new Decoding(database == null ? Node.DATABASE : database, verb + " changes of " + slot, sql);
        }
    }

    /**
     * A consumer that streams the slot from where it stands, reads for as long as there is WAL to reach (bounded) and
     * acknowledges how far it got; or, stale, acknowledges one byte before the slot's confirmed_flush_lsn.
     */
    private static void acknowledge(Node node, Operation.Acknowledge acknowledge) {
        List<List<String>> slot = node.queryRows("SELECT plugin, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = "
                + literal(acknowledge.slot()));
        // a slot that is not there is the server's to refuse
        String plugin = slot.isEmpty() ? "test_decoding" : slot.get(0).get(0);
        Lsn confirmed = slot.isEmpty() ? null : Lsn.parseNullable(slot.get(0).get(1));
        Map<String, String> options = "pgoutput".equals(plugin) ? Map.of("proto_version", "1", "publication_names", PUBLICATION) : Map.of();
        Lsn end = node.lsn();
        try (ReplicationSession session = node.replicationSession();
             ReplicationSession.LogicalStream stream = session.startLogical(acknowledge.slot(), Lsn.INVALID, options)) {
            if (acknowledge.stale()) {
                if (confirmed != null && confirmed.value() > 0) {
                    stream.acknowledge(new Lsn(confirmed.value() - 1));
                }
            } else {
                Lsn received = stream.readUpTo(end, STATEMENT_BOUND);
                if (received.value() > 0) {
                    stream.acknowledge(received);
                }
            }
        }
    }

    /** How long an apply worker gets to notice its subscription was disabled and exit (it checks between messages). */
    private static final Duration WORKER_NOTICES_DISABLE = Duration.ofSeconds(5);

    private String publisherConnection(String publisher) {
        return cluster.node(publisher).connectionString(Node.DATABASE);
    }

    /**
     * {@code change} to a subscription between a disable and an enable, as PostgreSQL requires for failover; in between,
     * a wait until the apply worker and its walsender on the publisher are gone, since the slot is in use until then.
     */
    /** {@code ALTER SUBSCRIPTION ... SET (option)}: between a disable and an enable, or with {@code whileEnabled} as it is. */
    private void alterSubscription(Node subscriber, String subscription, String option, boolean whileEnabled) {
        String change = "ALTER SUBSCRIPTION " + subscription + " SET (" + option + ")";
        if (whileEnabled) {
            subscriber.execute(change);
        } else {
            whileDisabled(subscriber, subscription, change);
        }
    }

    private void whileDisabled(Node subscriber, String subscription, String change) {
        subscriber.execute("ALTER SUBSCRIPTION " + subscription + " DISABLE");
        try {
            String workers = " FROM pg_stat_subscription WHERE subname = " + literal(subscription) + " AND pid IS NOT NULL";
            try {
                subscriber.pollQueryUntil("SELECT count(*)" + workers, "0", WORKER_NOTICES_DISABLE);
            } catch (WaitTimeoutException e) {
                // a worker connecting to a publisher that is gone does not see the disable until the connection attempt
                // gives up, which for an address nothing answers takes minutes: it is ended, as an operator would (found
                // in CI, 18 in containers: a worker started just as the old primary's container stopped hung connecting)
                subscriber.execute("SELECT pg_terminate_backend(pid)" + workers);
                subscriber.pollQueryUntil("SELECT count(*)" + workers, "0", Node.DEFAULT_BOUND);
            }
            publisherOf(subscriber, subscription).ifPresent(publisher -> publisher.pollQueryUntil(
                    "SELECT count(*) FROM pg_replication_slots WHERE slot_name = " + literal(subscription) + " AND active", "0", Node.DEFAULT_BOUND));
            subscriber.execute(change);
        } finally {
            subscriber.execute("ALTER SUBSCRIPTION " + subscription + " ENABLE");
        }
    }

    /** The running node a subscription's connection names, if it names one of the cluster. */
    private Optional<Node> publisherOf(Node subscriber, String subscription) {
        List<List<String>> conninfo = subscriber.queryRows("SELECT subconninfo FROM pg_subscription WHERE subname = " + literal(subscription));
        return conninfo.stream().map(row -> cluster.nodeNamedIn(row.get(0))).flatMap(Optional::stream)
                .filter(n -> n.state() == NodeState.RUNNING).findFirst();
    }

    /**
     * The wait event of a call the standby barrier holds (§1 item 14, slot.c WaitForStandbyConfirmation()): seen for
     * {@link #HELD_FOR}, the call is cancelled then instead of at {@link #STATEMENT_BOUND}.
     */
    public static final String BARRIER_WAIT_EVENT = BoundedWait.STANDBY_CONFIRMATION;
    /** The wait event of a command acquiring a slot another process holds (slot.c ReplicationSlotAcquire()). */
    public static final String SLOT_HELD_WAIT_EVENT = "ReplicationSlotDrop";
    /** Over the one-second naps in which a held call re-reads the listed slots: it went back to waiting. */
    static final Duration HELD_FOR = Duration.ofMillis(1500);

    /**
     * Runs {@code sql} under a statement_timeout of {@link #STATEMENT_BOUND}, recorded as a bounded wait: cancelled
     * sooner once the server has shown it held by the standby barrier for {@link #HELD_FOR}.
     */
    private static void bounded(Node node, String what, String sql) {
        bounded(node, null, what, sql);
    }

    /** A statement bounded by statement_timeout, in {@code database} ({@code null}: {@code postgres}). */
    private static void bounded(Node node, String database, String what, String sql) {
        bounded(node, database, what, sql, BARRIER_WAIT_EVENT);
    }

    /** A statement bounded by statement_timeout, cancelled sooner once seen waiting on {@code waitEvent} for {@link #HELD_FOR}. */
    private static void bounded(Node node, String database, String what, String sql, String waitEvent) {
        long started = System.nanoTime();
        record(node, what, started, waitEvent, " (statement_timeout)", node.executeWatched(database == null ? Node.DATABASE : database, sql,
                STATEMENT_BOUND, waitEvent, HELD_FOR));
    }

    /**
     * Records how a watched statement that began at {@code startedNanos} ended, as a bounded wait reached unless it was
     * cancelled ({@code otherwise} says by what, when it was not seen waiting on {@code waitEvent}), and throws its error.
     */
    private static void record(Node node, String what, long startedNanos, String waitEvent, String otherwise, Node.Watched watched) {
        record(node, what, startedNanos, watched.seenWaiting() ? BoundedWait.held(waitEvent, HELD_FOR.toMillis()) : otherwise, watched, STATEMENT_BOUND);
    }

    /** Records how a watched statement bounded by {@code bound} ended, {@code how} saying what ended it, and throws its error. */
    private static void record(Node node, String what, long startedNanos, String how, Node.Watched watched, Duration bound) {
        boolean reached = watched.error().map(e -> !QUERY_CANCELED.equals(e.sqlState())).orElse(true);
        Waits.record(node.name() + ": " + what + how, bound, startedNanos, reached);
        watched.error().ifPresent(error -> {
            throw error;
        });
    }

    @Override
    public void close() {
        observer.close();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
