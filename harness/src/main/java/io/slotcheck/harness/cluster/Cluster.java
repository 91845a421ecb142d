package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.version.SlotSyncMechanism;
import io.slotcheck.model.version.VersionProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set of nodes made for one test or sequence: a primary and a streaming standby to begin with, more
 * standbys, cascading standbys and subscriber nodes on demand, on one {@link ClusterBackend} (local processes or
 * containers). Closing it stops every server and removes what its backend made, unless {@link #keepFiles()} was
 * called (then where they are is printed). A JVM that exits normally closes what is still open; one killed with -9
 * leaves orphans that the next {@link WorkArea#open} (or the next container world) sweeps.
 */
public final class Cluster implements AutoCloseable {

    private static final Set<Cluster> OPEN = ConcurrentHashMap.newKeySet();
    private static boolean shuttingDown;

    static {
        // Ctrl-C or a kill: no cluster may outlive the JVM, including one another thread is starting right now
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (Cluster.class) {
                shuttingDown = true;
            }
            while (!OPEN.isEmpty()) {
                for (Cluster cluster : List.copyOf(OPEN)) {
                    try {
                        cluster.close();
                    } catch (RuntimeException e) {
                        System.err.println("slotcheck: while closing " + cluster.location() + " at shutdown: " + e.getMessage());
                    }
                }
            }
        }, "slotcheck-cluster-cleanup"));
    }

    /** Whether the JVM is shutting down (Ctrl-C, a kill): the clusters are being closed under whoever uses them. */
    public static synchronized boolean shuttingDown() {
        return shuttingDown;
    }

    private static synchronized void register(Cluster cluster) {
        if (shuttingDown) {
            throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted: no new cluster while shutting down");
        }
        OPEN.add(cluster);
    }

    /**
     * How long each phase of bringing up the pair took: laying the data directories (template copies locally; in
     * containers, initdb), starting the primary, and making the standby stream (in containers, from a base backup).
     */
    public record StartupTimings(Duration dataDirectories, Duration primaryStart, Duration standbyReady, Duration total) {
    }

    private final ClusterBackend backend;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    /** The relay of each standby's replication link, by standby name. */
    private final Map<String, LinkRelay> relays = new ConcurrentHashMap<>();
    private volatile boolean keepFiles;
    private volatile boolean closed;
    private StartupTimings startupTimings;

    private Cluster(ClusterBackend backend) {
        this.backend = backend;
    }

    /**
     * A primary and a standby ({@code standby1}) streaming from it through the physical slot {@code standby1}, on
     * {@code backend}, which the cluster closes.
     */
    public static Cluster startPair(ClusterBackend backend) {
        long begin = System.nanoTime();
        Cluster cluster = new Cluster(backend);
        try {
            register(cluster);
        } catch (RuntimeException e) {
            backend.close(false);
            throw e;
        }
        try {
            Node primary = cluster.newNode("primary");
            Node standby = cluster.newNode(ClusterTemplate.STANDBY_SLOT);
            boolean paired = backend.layPair(primary.runtime(), standby.runtime());
            if (paired) {
                cluster.follow(standby, primary, ClusterTemplate.STANDBY_SLOT);
            } else {
                backend.layFreshCluster(primary.runtime());
            }
            long laid = System.nanoTime();
            primary.start();
            long primaryUp = System.nanoTime();
            if (paired) {
                standby.start();
                primary.waitForStreaming(standby);
            } else {
                cluster.makeStandby(primary, standby);
            }
            long end = System.nanoTime();
            cluster.startupTimings = new StartupTimings(Duration.ofNanos(laid - begin), Duration.ofNanos(primaryUp - laid),
                    Duration.ofNanos(end - primaryUp), Duration.ofNanos(end - begin));
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The running servers of {@code backend}, a cluster slotcheck did not make, as nodes listening on {@code ports} (by
     * node name); closing it leaves them running ({@link ClusterBackend#close} tidies up).
     */
    public static Cluster adopt(ClusterBackend backend, Map<String, Integer> ports) {
        Cluster cluster = new Cluster(backend);
        register(cluster);
        try {
            ports.forEach((name, port) -> cluster.adoptNode(name, backend.newServer(name, port, Optional.empty()), port));
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public StartupTimings startupTimings() {
        return startupTimings;
    }

    public Node primary() {
        return node("primary");
    }

    /** What keeps the standbys' copies here: the servers' own failover slots, or the pg_failover_slots extension. */
    public SlotSyncMechanism slotSync() {
        return backend.slotSync();
    }

    /** The profile the model judges these servers by: the primary's version, and what keeps the copies. */
    public VersionProfile profile() {
        return VersionProfile.of(primary().queryValue("SELECT version()"), slotSync());
    }

    /** The standby made with the cluster: {@code standby1}. */
    public Node standby() {
        return node(ClusterTemplate.STANDBY_SLOT);
    }

    public Node node(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("no node " + name + " in this cluster (nodes: " + nodes.keySet() + ")");
        }
        return node;
    }

    /** The node {@code standby} streams from, by the port (and host) in its {@code primary_conninfo}. */
    public Optional<Node> upstreamOf(Node standby) {
        return standby.upstreamPort().flatMap(port -> nodeAt(standby.upstreamHost(), port));
    }

    /** The primary at the root of {@code node}'s replication chain (the node itself when it is one). */
    public Optional<Node> primaryOf(Node node) {
        Node current = node;
        for (int hops = 0; hops <= nodes.size(); hops++) {
            if (!current.inRecovery()) {
                return Optional.of(current);
            }
            Optional<Node> upstream = upstreamOf(current);
            if (upstream.isEmpty()) {
                return Optional.empty();
            }
            current = upstream.get();
        }
        return Optional.empty(); // a loop of standbys: no primary
    }

    /** The node a connection string names, by its port (and host). */
    public Optional<Node> nodeNamedIn(String conninfo) {
        return NodeSnapshot.conninfoPort(conninfo).flatMap(port -> nodeAt(NodeSnapshot.conninfoHost(conninfo), port));
    }

    /**
     * The node listening on {@code port}, or behind the relay listening there; of nodes on the same port (servers on
     * hosts of their own), the one at {@code host}.
     */
    private Optional<Node> nodeAt(Optional<String> host, int port) {
        int server = relayOn(port).map(LinkRelay::targetPort).orElse(port);
        return nodes.values().stream().filter(n -> n.port() == server)
                .filter(n -> n.identityHost().isEmpty() || host.isEmpty() || n.identityHost().equals(host)).findFirst();
    }

    /**
     * Starts the stopped (or killed) {@code node} as a standby of {@code upstream}, through a new link, streaming
     * through the physical slot {@code slotName}; see {@link Node#rejoin}.
     */
    public void rejoin(Node node, Node upstream, String slotName) {
        if (node.runtime().madeBySlotcheck()) {
            LinkRelay relay = link(node, upstream);
            node.rejoin(relay.host(), relay.port(), slotName);
        } else {
            // a cluster slotcheck did not make: its own command, straight to the upstream
            node.rejoinByCommand(upstream, slotName);
        }
    }

    /** Makes the stopped {@code standby} follow {@code upstream} through a new link and the physical slot {@code slotName}. */
    private void follow(Node standby, Node upstream, String slotName) {
        LinkRelay relay = link(standby, upstream);
        standby.followAsStandby(relay.host(), relay.port(), slotName);
    }

    /** A new replication link from {@code standby} to {@code upstream}, replacing its previous one. */
    private LinkRelay link(Node standby, Node upstream) {
        LinkRelay relay = new LinkRelay(standby.name(), backend.relayAddress(), upstream.port());
        Optional.ofNullable(relays.put(standby.name(), relay)).ifPresent(LinkRelay::close);
        return relay;
    }

    /** Cuts {@code standby}'s replication link ({@link LinkRelay.Cut#NONE} heals it). */
    public void cutLink(String standby, LinkRelay.Cut how) {
        Node node = node(standby);
        if (node.runtime().madeBySlotcheck()) {
            relayOf(standby).cut(how);
        } else {
            // a cluster slotcheck did not make: its own commands cut and mend the link
            node.runtime().cutUpstreamLink(how);
        }
    }

    /** Slows {@code standby}'s replication link: each chunk passes {@code delay} late. */
    public void slowLink(String standby, Duration delay) {
        relayOf(standby).slow(delay);
    }

    private LinkRelay relayOf(String standby) {
        LinkRelay relay = relays.get(standby);
        if (relay == null) {
            throw new SlotcheckException(ExitCode.SERVER, standby + " has no replication link: it was never a standby here");
        }
        return relay;
    }

    /**
     * {@code snapshot} as it reads without the relays: a standby's walreceiver and {@code primary_conninfo} name its
     * upstream's port, and a subscription the port of its publisher, not the port of the relay or endpoint in between,
     * so that histories show the topology, not the harness.
     */
    public NodeSnapshot withoutRelays(NodeSnapshot snapshot) {
        NodeSnapshot resolved = snapshot.withSubscriptions(snapshot.subscriptions().stream()
                .map(subscription -> relayOn(subscription.publisherPort()).map(relay -> subscription.withPublisherPort(relay.targetPort()))
                        .orElse(subscription))
                .toList());
        Optional<LinkRelay> relay = Optional.ofNullable(relays.get(snapshot.node()));
        if (relay.isEmpty()) {
            return resolved;
        }
        int relayPort = relay.get().port();
        int upstreamPort = relay.get().targetPort();
        Map<String, String> settings = new LinkedHashMap<>(resolved.settings());
        settings.computeIfPresent("primary_conninfo", (name, conninfo) -> conninfo.replace("port=" + relayPort, "port=" + upstreamPort));
        return resolved.withSettings(settings).withWalReceiver(resolved.walReceiver()
                .map(receiver -> Objects.equals(receiver.senderPort(), relayPort) ? receiver.withSenderPort(upstreamPort) : receiver));
    }

    private Optional<LinkRelay> relayOn(Integer port) {
        return relays.values().stream().filter(relay -> Objects.equals(relay.port(), port)).findFirst();
    }

    /** The key of the stable endpoint among the relays (the others are keyed by the standby whose link they are). */
    private static final String ENDPOINT = "endpoint";

    /**
     * The connection string of the stable endpoint (the seeds' VIP): an address the harness controls, made to lead to
     * {@code initialTarget} when there is none yet.
     */
    public String endpointConnectionString(Node initialTarget, String database) {
        LinkRelay endpoint = relays.computeIfAbsent(ENDPOINT, name -> new LinkRelay(name, backend.relayAddress(), initialTarget.port()));
        return Node.connectionString(endpoint.host(), endpoint.port(), database);
    }

    /** Why the log of one of its running servers cannot be read, if one cannot (a server slotcheck did not make). */
    public Optional<String> unreadableLog() {
        return nodes().stream().filter(node -> node.state() == NodeState.RUNNING).map(node -> node.log().unreadable())
                .flatMap(Optional::stream).findFirst();
    }

    /** Moves the stable endpoint to {@code node}, as an HA tool moves a VIP at failover: connections through it end. */
    public void moveEndpoint(Node node) {
        relays.computeIfAbsent(ENDPOINT, name -> new LinkRelay(name, backend.relayAddress(), node.port())).retarget(node.port());
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /**
     * The nodes in the order a step reads them: each standby before its upstream. A replica's positions are bounded by
     * its upstream's, which move on while the readings are taken; the upstream read last keeps the bound true of them.
     */
    public List<Node> observationOrder() {
        return nodes.values().stream().sorted(Comparator.comparingInt(this::standbyDepth).reversed()).toList();
    }

    /** How many standby hops lie between {@code node} and a node that is no standby (by its standby.signal). */
    private int standbyDepth(Node node) {
        int depth = 0;
        Optional<Node> current = Optional.of(node);
        while (current.isPresent() && current.get().isConfiguredAsStandby() && depth <= nodes.size()) {
            depth++;
            current = upstreamOf(current.get());
        }
        return depth;
    }

    /** Where the cluster's files are (a directory of this machine, or a container world). */
    public String location() {
        return backend.location();
    }

    /** A new standby of the primary, from a fresh base backup, streaming through its own physical slot (named like it). */
    public Node addStandby(String name) {
        return addStandbyOf(primary(), name);
    }

    /**
     * A new standby of {@code upstream} — the primary, or a standby for a cascading standby — made from a base
     * backup of {@code upstream}, with a physical slot {@code name} on {@code upstream}. Returns once it streams.
     */
    public Node addStandbyOf(Node upstream, String name) {
        Node standby = newNode(name);
        makeStandby(upstream, standby);
        return standby;
    }

    /**
     * Makes the new node {@code standby} a standby of {@code upstream} from a base backup of it, with a physical slot on
     * {@code upstream} named like the standby; returns once it streams.
     */
    private void makeStandby(Node upstream, Node standby) {
        upstream.execute("SELECT pg_create_physical_replication_slot('" + standby.name() + "', true)");
        upstream.backupInto(standby);
        follow(standby, upstream, standby.name());
        standby.start();
        upstream.waitForStreaming(standby);
    }

    /** A plain primary of its own (from the initdb template), e.g. to subscribe to the primary's publications. */
    public Node addSubscriber(String name) {
        Optional<ClusterBackend.RunningServer> running = backend.runningServer(name);
        if (running.isPresent()) {
            // an external cluster's subscriber: a server of its own that runs already
            return adoptNode(name, running.get().runtime(), running.get().port());
        }
        Node subscriber = newNode(name);
        backend.layFreshCluster(subscriber.runtime());
        subscriber.start();
        return subscriber;
    }

    /** A node of the server that runs already in {@code runtime}, on {@code port}. */
    private Node adoptNode(String name, ServerRuntime runtime, int port) {
        Node node = new Node(checkedName(name), runtime, port, backend.nodeSettings(), Optional.empty());
        nodes.put(name, node);
        node.adoptRunning();
        return node;
    }

    private Node newNode(String name) {
        checkedName(name);
        int port = FreePorts.next();
        // IvorySQL's Oracle-mode listener: a port of its own on every server (its default, 1521, is the same for all)
        Optional<Integer> oraclePort = backend.oracleListener() ? Optional.of(FreePorts.next()) : Optional.empty();
        Node node = new Node(name, backend.newServer(name, port, oraclePort), port, backend.nodeSettings(), oraclePort);
        nodes.put(name, node);
        return node;
    }

    /** {@code name}, if a new node may be called so. */
    private String checkedName(String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("node name '" + name + "' must be lower case letters, digits and underscores"
                    + " (it names a replication slot too)");
        }
        if (nodes.containsKey(name)) {
            throw new IllegalArgumentException("this cluster has a node " + name + " already");
        }
        return name;
    }

    /**
     * Copies every node's server log into {@code directory} as {@code <node>.log}, and its configuration as
     * {@code <node>.conf}: the evidence of a violation.
     */
    public void copyServerFilesTo(Path directory) {
        try {
            Files.createDirectories(directory);
            for (Node node : nodes.values()) {
                Files.writeString(directory.resolve(node.name() + ".log"), node.log().text());
                Files.writeString(directory.resolve(node.name() + ".conf"), configurationOf(node));
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not copy the servers' files to " + directory + ": " + e.getMessage());
        }
    }

    /**
     * What a node was configured with: the settings in its configuration files, in the order the server reads them
     * (postgresql.conf, the included per-node file, postgresql.auto.conf), without comments; passwords masked.
     */
    private static String configurationOf(Node node) {
        StringBuilder configuration = new StringBuilder();
        for (String name : List.of("postgresql.conf", Node.NODE_CONF, "postgresql.auto.conf")) {
            Optional<String> file = node.runtime().readFile(name);
            if (file.isPresent()) {
                configuration.append("# ").append(name).append('\n');
                for (String line : file.get().lines().toList()) {
                    String setting = line.replaceFirst("\\s*#.*$", "");
                    if (!setting.isBlank()) {
                        configuration.append(maskPasswords(setting)).append('\n');
                    }
                }
            }
        }
        return configuration.toString();
    }

    /** {@code password=secret} in a connection string becomes {@code password=****}. */
    public static String maskPasswords(String line) {
        // a quoted password may hold quotes and backslashes escaped by a backslash, as libpq reads it
        return line.replaceAll("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s']+)", "$1****");
    }

    /** Keep the data directories and logs when closing (for a failed test); the path is printed then. */
    public void keepFiles() {
        keepFiles = true;
    }

    /**
     * Stops every server (immediately: the data is not kept; a killed one is started and stopped once more so that
     * PostgreSQL frees its shared memory) and removes the cluster's files.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        relays.values().forEach(LinkRelay::close);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Node node : backend.serversStopBeforeClose() ? nodes.values() : List.<Node>of()) {
            stops.add(CompletableFuture.runAsync(node::shutDown));
        }
        RuntimeException failure = null;
        for (CompletableFuture<Void> stop : stops) {
            try {
                stop.join();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            backend.close(keepFiles);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            OPEN.remove(this);
            // a long campaign makes a cluster per sequence: the ports it had serve the next ones
            nodes.values().forEach(node -> {
                FreePorts.release(node.port());
                node.oraclePort().ifPresent(FreePorts::release);
            });
        }
        if (failure != null) {
            throw failure;
        }
    }
}
