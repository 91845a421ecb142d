package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.junit.DockerRequired;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container world's primitives, put together by hand into what the container backend does: a primary, a standby
 * from a low-level base backup taken inside the world, slot synchronization, a partition through the network, and
 * nothing left in the engine afterwards.
 */
@ExtendWith(DockerRequired.class)
class ContainerWorldTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void pairInContainersStreamsSyncsAFailoverSlotAndSurvivesAPartition() throws Exception {
        ImageProfile profile = ImageProfile.local(LocalImage.ensure(Clusters.embedded("17").installation().orElseThrow()), Optional.empty());
        int primaryPort = freePort();
        int standbyPort = freePort();
        Map<String, String> resources;
        try (ContainerWorld world = ContainerWorld.create(profile)) {
            world.initdb("primary", List.of(), """
                    listen_addresses = '*'
                    port = %d
                    wal_level = logical
                    hot_standby_feedback = on
                    wal_sender_timeout = 5s
                    wal_receiver_timeout = 5s
                    wal_retrieve_retry_interval = 1s
                    fsync = off
                    """.formatted(primaryPort));
            world.startServer("primary", primaryPort, Optional.empty());
            awaitConnections(primaryPort);

            try (Connection primary = connect(primaryPort); Statement sql = primary.createStatement()) {
                sql.execute("SELECT pg_create_physical_replication_slot('standby1', true)");
                sql.execute("SELECT pg_backup_start('slotcheck', true)");
                world.copyForBaseBackup("primary", "standby1", "slotcheck-node.conf");
                try (ResultSet rs = sql.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                    rs.next();
                    world.writeFile(ContainerWorld.dataDirectory("standby1") + "/backup_label", rs.getString(1));
                }
            }
            String standbyData = ContainerWorld.dataDirectory("standby1");
            world.writeFile(standbyData + "/standby.signal", "");
            world.filesAsServerUser("sh", "-c", "cat >> " + standbyData + "/postgresql.auto.conf <<EOF\nport = " + standbyPort
                    + "\nprimary_conninfo = 'host=" + world.networkName("primary") + " port=" + primaryPort
                    + " user=postgres dbname=postgres application_name=standby1'\nprimary_slot_name = 'standby1'\nEOF");
            world.startServer("standby1", standbyPort, Optional.empty());
            try {
                awaitConnections(standbyPort);
            } catch (RuntimeException e) {
                System.err.println(new String(world.readFrom(ContainerWorld.logFile("standby1"), 0)));
                throw e;
            }
            awaitValue(primaryPort, "SELECT state FROM pg_stat_replication WHERE application_name = 'standby1'", "streaming");

            try (Connection primary = connect(primaryPort); Statement sql = primary.createStatement()) {
                sql.execute("SELECT pg_create_logical_replication_slot('s1', 'pgoutput', false, false, true)");
                sql.execute("SELECT pg_log_standby_snapshot()");
            }
            Awaitility.await("a failover-ready copy of s1 on the standby").atMost(BOUND).until(() -> {
                try (Connection standby = connect(standbyPort); Statement sql = standby.createStatement()) {
                    sql.execute("SELECT pg_sync_replication_slots()");
                    return "t".equals(value(standby, "SELECT synced AND NOT temporary FROM pg_replication_slots WHERE slot_name = 's1'"));
                } catch (SQLException e) {
                    return false; // the first cycles may find the standby not caught up yet
                }
            });
            assertTrue(new String(world.readFrom(ContainerWorld.logFile("standby1"), 0)).contains("started streaming WAL"),
                    "the server log is read from the volume");

            world.disconnect("standby1");
            awaitValue(primaryPort, "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'standby1'", "0");
            assertThrows(SQLException.class, () -> connect(standbyPort).close(), "a partitioned server is cut off from this machine too");
            world.reconnect("standby1");
            awaitValue(primaryPort, "SELECT state FROM pg_stat_replication WHERE application_name = 'standby1'", "streaming");

            world.signalServer("standby1", "SIGINT");
            Awaitility.await("the standby's fast shutdown").atMost(BOUND).until(() -> !world.serverRunning("standby1"));
            resources = world.resources();
        }
        DockerClient client = DockerEngine.client();
        assertThrows(NotFoundException.class, () -> client.inspectNetworkCmd().withNetworkId(resources.get("network")).exec());
        assertThrows(NotFoundException.class, () -> client.inspectVolumeCmd(resources.get("volume")).exec());
        for (String container : new String[] {resources.get("files"), resources.get("primary"), resources.get("standby1")}) {
            assertThrows(NotFoundException.class, () -> client.inspectContainerCmd(container).exec());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Connection connect(int port) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String value(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void awaitConnections(int port) {
        Awaitility.await("the server on port " + port + " to accept connections").atMost(BOUND).ignoreExceptions()
                .until(() -> {
                    connect(port).close();
                    return true;
                });
    }

    private static void awaitValue(int port, String query, String expected) {
        Awaitility.await(query + " = " + expected).atMost(BOUND).ignoreExceptions().until(() -> {
            try (Connection connection = connect(port)) {
                return expected.equals(value(connection, query));
            }
        });
    }
}
