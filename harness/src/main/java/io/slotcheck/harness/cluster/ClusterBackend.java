package io.slotcheck.harness.cluster;

import io.slotcheck.model.version.SlotSyncMechanism;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Where the servers of one cluster run and how their data directories come to be: processes of this machine
 * ({@link LocalBackend}) or containers of a Docker engine. One backend serves one {@link Cluster}, which closes it.
 */
public interface ClusterBackend {

    /** Where the cluster's files are, for messages. */
    String location();

    /**
     * The runtime of a new node's server, to listen on {@code port} (and on {@code oraclePort} with IvorySQL's Oracle-mode
     * listener); its data directory is laid later.
     */
    ServerRuntime newServer(String node, int port, Optional<Integer> oraclePort);

    /** A server that runs already, on {@code port}, for a node the cluster adopts instead of making it. */
    record RunningServer(ServerRuntime runtime, int port) {
    }

    /** The running server the backend has for {@code node} (an external cluster's subscriber), if it does not make one. */
    default Optional<RunningServer> runningServer(String node) {
        return Optional.empty();
    }

    /** Settings every node of this backend needs besides slotcheck's own (e.g. the addresses to listen on). */
    Map<String, String> nodeSettings();

    /** What keeps the standbys' copies of the primary's logical slots on these servers. */
    default SlotSyncMechanism slotSync() {
        return SlotSyncMechanism.BUILT_IN;
    }

    /** Whether the servers are IvorySQL's in Oracle mode, each with a second listener of its own. */
    boolean oracleListener();

    /** Lays a new cluster, made by initdb with slotcheck's settings, as {@code server}'s data directory. */
    void layFreshCluster(ServerRuntime server);

    /**
     * Lays a ready-made stopped pair: {@code primary} and {@code standby}, a consistent standby of it with the physical
     * slot {@code standby1} on the primary. Returns false when the backend has none; the cluster then makes the standby
     * by a base backup of the started primary.
     */
    boolean layPair(ServerRuntime primary, ServerRuntime standby);

    /** The address the harness's relays listen on: where the servers reach the harness. */
    InetAddress relayAddress();

    /**
     * Whether the servers must be stopped one by one before {@link #close}: locally they must (and a killed one started
     * and stopped once more, so that it frees its shared memory); containers are removed with whatever runs in them.
     */
    boolean serversStopBeforeClose();

    /** Removes the servers' files and whatever else the backend made; with {@code keepFiles} the files stay, and it says where. */
    void close(boolean keepFiles);
}
