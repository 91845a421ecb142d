package io.slotcheck.harness.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Where a node's server runs and its files are: what of a {@link Node}'s verbs differs between processes of this
 * machine ({@link LocalServer}) and a container. Everything else a node does goes over SQL.
 */
public interface ServerRuntime {

    ServerLog log();

    /** The address by which the other servers of the cluster reach this one (its port is the node's). */
    String peerHost();

    /** Writes {@code content} to {@code relative} in the data directory, owned by the server's account. */
    void writeFile(String relative, String content);

    boolean exists(String relative);

    /** The text of {@code relative} in the data directory, if it is there. */
    Optional<String> readFile(String relative);

    /**
     * The copy step of a low-level base backup (the node brackets it with {@code pg_backup_start} and
     * {@code pg_backup_stop}): the data directory into {@code target}'s, without what a base backup leaves out.
     */
    void copyForBaseBackup(ServerRuntime target);

    /** Starts the server; returns once it accepts connections, or fails saying why (its log read from {@code logOffset}). */
    void start(long logOffset);

    /** Stops the server in {@code mode} and returns once it has exited. */
    void stop(StopMode mode);

    /** Kills the server as a crash would; returns once all its processes are gone. */
    void crash();

    /** Stops every process of the server until {@link #resume}. */
    void pause();

    void resume();

    /** Takes the server off the network, running, until {@link #reconnect}: possible only where the network is the harness's. */
    void disconnect();

    void reconnect();

    /**
     * The host that tells this server apart from others on the same port, where servers do not all listen on one address
     * (a cluster slotcheck did not make); empty: slotcheck's servers are told apart by port.
     */
    default Optional<String> identityHost() {
        return Optional.empty();
    }

    /** Where the harness connects to the server: this machine's loopback, where slotcheck's servers listen. */
    default String clientHost() {
        return "127.0.0.1";
    }

    /** The account the harness connects as: slotcheck's superuser, trusted. */
    default String clientUser() {
        return Node.SUPERUSER;
    }

    default Optional<String> clientPassword() {
        return Optional.empty();
    }

    /** Cuts ({@code how}) or mends ({@link LinkRelay.Cut#NONE}) the link to its upstream where it is not slotcheck's relay. */
    default void cutUpstreamLink(LinkRelay.Cut how) {
        throw new UnsupportedOperationException("the links of servers slotcheck made pass through its relays");
    }

    /** Promotes the server by the cluster's own command (slotcheck promotes the servers it made over SQL). */
    default void promote() {
        throw new UnsupportedOperationException("slotcheck promotes the servers it made over SQL");
    }

    /**
     * Makes the stopped server a standby of {@code upstream} streaming through the physical slot {@code slot} and starts
     * it, by the cluster's own command; returns once it accepts connections. (A server slotcheck made rejoins through
     * its relay, keeping its data.)
     */
    default void rejoin(ServerRuntime upstream, String slot) {
        throw new UnsupportedOperationException("the servers slotcheck made rejoin through its relays");
    }

    /**
     * Runs {@code pg_createsubscriber} on the stopped standby's data: it becomes a subscriber of {@code publisher} (a
     * connection string) in {@code database}, its subscription and publication named {@code name}; it is left stopped.
     * Only a server slotcheck made, from an installation or image with the program, can (see {@code Target#operationsItCannotRun}).
     */
    default void createSubscriber(String publisher, String database, String name) {
        throw new UnsupportedOperationException("pg_createsubscriber runs on servers slotcheck made only");
    }

    /**
     * Runs {@code pg_upgrade} from the stopped server's data into a fresh cluster of the same installation, with its
     * configuration, which then takes the old one's place; it is left stopped. Only a server slotcheck made, from an
     * installation or image with the program, can.
     */
    default void upgradeInPlace() {
        throw new UnsupportedOperationException("pg_upgrade runs on servers slotcheck made only");
    }

    /**
     * Whether slotcheck made the server: it writes its per-node settings ({@code slotcheck-node.conf}: port, upstream),
     * signals its processes and relays its replication link. A server it did not make keeps its own settings and
     * processes, and its link is cut by the cluster's own commands.
     */
    default boolean madeBySlotcheck() {
        return true;
    }

    /** Sends {@code signal} (STOP, CONT, TERM, USR1 ...) to these processes of the server (pids as the server names them). */
    void signal(String signal, List<Long> pids);

    /** Returns once each of these processes is stopped, or gone. */
    void awaitStopped(List<Long> pids);

    /** SIGKILL of one process; returns once the postmaster has ended every process of the server (it then resets). */
    void killAndAwaitReset(long pid, String what);

    /** The postmaster and its live children. */
    List<Long> serverPids();

    /** The text of {@code /proc/<pid>/<file>} of one of its processes, where it runs; empty once the process is gone. */
    Optional<String> processFile(long pid, String file);

    /**
     * What to do when an orderly stop at close fails: stop what runs for good, or release what a killed server left;
     * read now, before the attempt changes what there is to release.
     */
    Runnable lastResort(NodeState state);

    /** Frees what servers of this node left when killed, once the node is closed. */
    void releaseLeftovers();
}
