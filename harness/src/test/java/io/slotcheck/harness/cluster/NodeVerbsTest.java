package io.slotcheck.harness.cluster;

import io.slotcheck.harness.cluster.ReplicationSession.Change;
import io.slotcheck.harness.cluster.ReplicationSession.LogicalStream;
import io.slotcheck.harness.cluster.ReplicationSession.SlotOptions;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.model.Lsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster verbs against real servers (the default version). */
class NodeVerbsTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    @Test
    void killedPrimaryRecoversItsCommittedRowsAtTheNextStart() {
        Node primary = clusters.startPair("17").primary();
        primary.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)");
        List<Long> pids = primary.serverPids();

        primary.kill9();
        assertEquals(NodeState.KILLED, primary.state());
        assertTrue(pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).noneMatch(Processes::isRunning),
                "no process of the killed server runs");
        long offset = primary.log().offset();
        primary.start();

        primary.waitForLog(Pattern.compile("database system was interrupted"), offset, Node.DEFAULT_BOUND);
        assertEquals("2", primary.queryValue("SELECT count(*) FROM t"));
    }

    /**
     * A watched statement ends as soon as the server has shown it waiting on the event for the time asked, not at its
     * bound; one waiting on something else runs to its bound; one that does not wait runs to its end.
     */
    @Test
    void aWatchedStatementIsCancelledOnceSeenWaitingOnTheEvent() {
        Cluster pair = clusters.startPair("17");
        Node primary = pair.primary();
        primary.execute("SELECT pg_create_logical_replication_slot('held', 'test_decoding', false, false, true)");
        primary.setAndReload(Map.of("synchronized_standby_slots", ClusterTemplate.STANDBY_SLOT));
        pair.standby().stop();
        primary.execute("CREATE TABLE watched (id int)", "INSERT INTO watched VALUES (1)");
        String decode = "SELECT count(*) FROM pg_logical_slot_get_changes('held', NULL, NULL)";

        Node.Watched held = primary.executeWatched(decode, Duration.ofSeconds(60), "WaitForStandbyConfirmation", Duration.ofMillis(1500));
        assertTrue(held.seenWaiting(), "cancelled once seen waiting, not at the bound: " + held);
        assertEquals("canceling statement due to user request", held.error().orElseThrow().serverMessage());

        Node.Watched timedOut = primary.executeWatched("SELECT pg_sleep(5)", Duration.ofMillis(500), "WaitForStandbyConfirmation", Duration.ofMillis(100));
        assertFalse(timedOut.seenWaiting(), "waiting on PgSleep is not what was watched for");
        assertEquals("canceling statement due to statement timeout", timedOut.error().orElseThrow().serverMessage(), "the bound ends it");
        assertEquals(new Node.Watched(Optional.empty(), false),
                primary.executeWatched("SELECT 1", Duration.ofSeconds(5), "WaitForStandbyConfirmation", Duration.ofMillis(100)));
    }

    @Test
    void pauseStopsEveryServerProcessUntilResumed() {
        Node primary = clusters.startPair("17").primary();

        primary.pause();
        // the backend of the connection that just listed the processes may be gone (or a zombie); the server's own remain
        List<Long> paused = primary.serverPids().stream().filter(pid -> Processes.state(pid).filter(state -> state != 'Z').isPresent()).toList();
        assertTrue(paused.size() >= 5, "postmaster, checkpointer, walwriter, walsender ... (" + paused + ")");
        for (long pid : paused) {
            assertEquals(Optional.of('T'), Processes.state(pid), "process " + pid + " is stopped");
        }
        primary.resume();
        for (long pid : paused) {
            assertNotEquals(Optional.of('T'), Processes.state(pid), "process " + pid + " runs again");
        }
        assertEquals("1", primary.queryValue("SELECT 1"));
    }

    @Test
    void aRejoinedPrimaryThatWroteAfterTheForkIsToldAtOnceItCannotReplay() {
        Cluster cluster = clusters.startPair("17");
        cluster.primary().kill9();
        cluster.standby().promote();
        cluster.primary().start(); // crash recovery ends with a checkpoint of its own: its history goes past the fork
        cluster.primary().stop(StopMode.FAST);
        assertRejoinCannotReplay(cluster, cluster.primary(), cluster.standby(), "new timeline 2 forked off");
    }

    @Test
    void aPromotedStandbyRejoiningItsOldPrimaryIsToldAtOnceItCannotReplay() {
        Cluster cluster = clusters.startPair("17");
        cluster.standby().promote();
        cluster.standby().stop(StopMode.FAST);
        assertRejoinCannotReplay(cluster, cluster.standby(), cluster.primary(), "highest timeline 1 of the primary is behind recovery timeline 2");
    }

    /**
     * Rejoins the stopped {@code node} as a standby of {@code upstream}: its replay wait ends with a {@link SlotcheckException}
     * quoting what it logged — a wait that ran out would end with a timeout instead.
     */
    private static void assertRejoinCannotReplay(Cluster cluster, Node node, Node upstream, String logged) {
        upstream.execute("SELECT pg_create_physical_replication_slot('rejoined')");
        // the target of the wait in the upstream's next WAL segment: beyond whatever the node wrote on its own side of the fork
        upstream.execute("SELECT pg_switch_wal()");
        cluster.rejoin(node, upstream, "rejoined");
        SlotcheckException cannot = assertThrows(SlotcheckException.class, () -> node.waitForReplay(upstream.lsn(), Node.DEFAULT_BOUND));
        assertTrue(cannot.getMessage().startsWith(node.name() + " cannot replay its upstream's timeline: " + logged), cannot.getMessage());
    }

    @Test
    void settingsChangeByReloadOrByRestart() {
        Node standby = clusters.startPair("17").standby();

        standby.setAndReload(Map.of("wal_receiver_status_interval", "2s"));
        assertEquals("2s", standby.queryValue("SHOW wal_receiver_status_interval"));

        assertThrows(IllegalArgumentException.class, () -> standby.setAndReload(Map.of("max_connections", "41")));
        standby.setAndRestart(Map.of("max_connections", "41"));
        assertEquals("41", standby.queryValue("SHOW max_connections"));
        assertTrue(standby.inRecovery(), "still a standby after the restart");
    }

    @Test
    void secondAndCascadingStandbysReplicateFromTheirUpstreams() {
        Cluster cluster = clusters.startPair("17");
        Node primary = cluster.primary();
        Node standby2 = cluster.addStandby("standby2");
        Node cascade = cluster.addStandbyOf(cluster.standby(), "cascade1");
        primary.execute("CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 5)");
        Lsn written = primary.lsn();

        for (Node standby : List.of(cluster.standby(), standby2, cascade)) {
            standby.waitForReplay(written, Node.DEFAULT_BOUND);
            assertEquals("5", standby.queryValue("SELECT count(*) FROM t"), standby.name());
        }
        // the walreceiver connects to the relay of its link; the cluster knows the node behind it
        int senderPort = Integer.parseInt(cascade.queryValue("SELECT sender_port FROM pg_stat_wal_receiver"));
        assertEquals(Optional.of(cluster.standby()), cluster.upstreamOf(cascade), "the cascading standby streams from standby1");
        assertEquals(cluster.standby().port(), cluster.withoutRelays(clusters.observer().snapshot(cascade)).walReceiver().orElseThrow().senderPort(),
                "its walreceiver (connected to port " + senderPort + ") is observed streaming from standby1, not from the primary");
        assertEquals("cascade1", cluster.standby().queryValue("SELECT application_name FROM pg_stat_replication"));
        List<Node> order = cluster.observationOrder();
        assertTrue(order.indexOf(cascade) < order.indexOf(cluster.standby()) && order.indexOf(cluster.standby()) < order.indexOf(primary)
                && order.indexOf(standby2) < order.indexOf(primary), "each standby is read before its upstream: " + order);
    }

    @Test
    void subscriberNodeReceivesRowsThroughAFailoverSubscription() {
        Cluster cluster = clusters.startPair("17");
        Node primary = cluster.primary();
        Node subscriber = cluster.addSubscriber("subscriber");
        primary.execute("CREATE TABLE t (id int PRIMARY KEY)", "CREATE PUBLICATION pub FOR TABLE t", "INSERT INTO t VALUES (1), (2), (3)");
        subscriber.execute("CREATE TABLE t (id int PRIMARY KEY)",
                "CREATE SUBSCRIPTION sub CONNECTION '" + primary.connectionString("postgres") + "' PUBLICATION pub WITH (failover = true)");

        subscriber.pollQueryUntil("SELECT count(*) FROM t", "3", Node.DEFAULT_BOUND);
        assertEquals("t", primary.queryValue("SELECT failover FROM pg_replication_slots WHERE slot_name = 'sub'"));
        assertFalse(subscriber.inRecovery());
    }

    @Test
    void replicationSessionCreatesAFailoverSlotThatAdvancesOnlyWhenAcknowledged() {
        Node primary = clusters.startPair("17").primary();
        primary.execute("CREATE TABLE t (id int)");
        try (ReplicationSession session = primary.replicationSession()) {
            Lsn consistentPoint = session.createLogicalSlot("rslot", "test_decoding", SlotOptions.FAILOVER);
            assertEquals("t", primary.queryValue("SELECT failover FROM pg_replication_slots WHERE slot_name = 'rslot'"));
            primary.execute("INSERT INTO t VALUES (1), (2), (3)");

            try (LogicalStream stream = session.startLogical("rslot", consistentPoint, Map.of())) {
                List<Change> changes = stream.receive(5, Node.DEFAULT_BOUND);
                assertTrue(changes.get(0).text().startsWith("BEGIN"), changes.get(0).text());
                assertTrue(changes.get(4).text().startsWith("COMMIT"), changes.get(4).text());
                assertEquals(consistentPoint, confirmedFlush(primary), "nothing acknowledged yet");

                Lsn commit = changes.get(4).lsn();
                stream.acknowledge(commit);
                Waits.until("rslot's confirmed_flush_lsn to reach the acknowledged " + commit, Node.DEFAULT_BOUND,
                        () -> confirmedFlush(primary), confirmed -> !confirmed.isBefore(commit));
            }
        }
    }

    private static Lsn confirmedFlush(Node node) {
        return Lsn.parse(node.queryValue("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'rslot'"));
    }
}
