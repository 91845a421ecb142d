package io.slotcheck.harness.container;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeState;
import io.slotcheck.harness.cluster.ServerLog;
import io.slotcheck.harness.cluster.ServerRuntime;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.Waits;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A node's server in a container of its {@link ContainerWorld}: the postmaster is the container's first process, so
 * stopping, killing and pausing the server are the engine's verbs on the container; single processes are signalled
 * from inside it, by the pids the server itself reports.
 */
final class ContainerServer implements ServerRuntime {

    private static final Duration SERVER_BOUND = Duration.ofSeconds(60);
    private final ContainerWorld world;
    private final String node;
    private final int port;
    private final Optional<Integer> oraclePort;
    private final ServerLog log;

    ContainerServer(ContainerWorld world, String node, int port, Optional<Integer> oraclePort) {
        this.world = world;
        this.node = node;
        this.port = port;
        this.oraclePort = oraclePort;
        String logFile = ContainerWorld.logFile(node);
        this.log = new ServerLog(new ServerLog.Source() {
            @Override
            public long size() {
                return world.size(logFile);
            }

            @Override
            public byte[] readFrom(long offset) {
                return world.readFrom(logFile, offset);
            }

            @Override
            public String location() {
                return world.name() + ":" + logFile;
            }
        });
    }

    String node() {
        return node;
    }

    @Override
    public ServerLog log() {
        return log;
    }

    @Override
    public String peerHost() {
        return world.networkName(node);
    }

    private String path(String relative) {
        return ContainerWorld.dataDirectory(node) + "/" + relative;
    }

    @Override
    public void writeFile(String relative, String content) {
        world.writeFile(path(relative), content);
    }

    @Override
    public boolean exists(String relative) {
        return world.exists(path(relative));
    }

    @Override
    public Optional<String> readFile(String relative) {
        return exists(relative) ? Optional.of(new String(world.readFrom(path(relative), 0), StandardCharsets.UTF_8)) : Optional.empty();
    }

    @Override
    public void copyForBaseBackup(ServerRuntime target) {
        world.copyForBaseBackup(node, ((ContainerServer) target).node, Node.NODE_CONF);
    }

    @Override
    public void start(long logOffset) {
        world.startServer(node, port, oraclePort);
        Waits.until(node + " to accept connections", SERVER_BOUND, () -> acceptsConnections(logOffset), accepted -> accepted);
    }

    /** Whether the server lets a client in; throws at once when its container has exited, with the FATAL line it logged. */
    private boolean acceptsConnections(long logOffset) {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "5");
        try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties)) {
            return true;
        } catch (SQLException e) {
            if (!world.serverRunning(node)) {
                String reason = log.find(ServerLog.EXIT_REASON, logOffset).map(String::strip).orElse("its container exited");
                throw new SlotcheckException(ExitCode.SERVER, node + " did not start: " + reason + "; see " + log.location());
            }
            return false;
        }
    }

    @Override
    public void stop(StopMode mode) {
        world.signalServer(node, "SIG" + mode.signal());
        Waits.until(node + " to stop (" + mode.name().toLowerCase() + ")", SERVER_BOUND, () -> !world.serverRunning(node));
    }

    @Override
    public void createSubscriber(String publisher, String database, String name) {
        world.createSubscriber(node, port, publisher, database, name);
    }

    @Override
    public void upgradeInPlace() {
        world.upgradeInPlace(node, port, world.profile().initdbModeArguments(), Node.NODE_CONF);
    }

    /** SIGKILL of the postmaster: the first process of its container, whose end ends every other process in it. */
    @Override
    public void crash() {
        world.signalServer(node, "SIGKILL");
        Waits.until(node + "'s container to exit after kill -9 of its postmaster", SERVER_BOUND, () -> !world.serverRunning(node));
    }

    /** Freezes every process of the container (the engine's pause, a cgroup freeze rather than SIGSTOP). */
    @Override
    public void pause() {
        world.pauseServer(node);
    }

    @Override
    public void resume() {
        world.unpauseServer(node);
    }

    @Override
    public void disconnect() {
        world.disconnect(node);
    }

    @Override
    public void reconnect() {
        world.reconnect(node);
    }

    @Override
    public void signal(String signal, List<Long> pids) {
        if (!pids.isEmpty()) {
            world.inServer(node, "sh", "-c", "kill -" + signal + " " + pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
    }

    @Override
    public void awaitStopped(List<Long> pids) {
        Waits.until(node + "'s processes to stop after SIGSTOP", SERVER_BOUND, () -> processes().stream()
                .filter(process -> pids.contains(process.pid())).allMatch(process -> process.state() == 'T' || process.state() == 't'));
    }

    @Override
    public void killAndAwaitReset(long pid, String what) {
        List<Long> children = serverPids().stream().filter(p -> p != POSTMASTER).toList();
        signal("KILL", List.of(pid));
        Waits.until(node + "'s postmaster to end every process after kill -9 of its " + what, SERVER_BOUND,
                () -> serverPids().stream().noneMatch(children::contains));
    }

    /** The postmaster's pid in its container: the first process. */
    private static final long POSTMASTER = 1;

    @Override
    public List<Long> serverPids() {
        return processes().stream().filter(process -> process.state() != 'Z').map(Process::pid).toList();
    }

    @Override
    public Optional<String> processFile(long pid, String file) {
        String text = world.inServer(node, "sh", "-c", "cat /proc/" + pid + "/" + file + " 2>/dev/null; true");
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** A server process of the container, as {@code /proc/<pid>/stat} shows it. */
    private record Process(long pid, char state) {
    }

    private List<Process> processes() {
        String stats = world.inServer(node, "sh", "-c", "cat /proc/[0-9]*/stat 2>/dev/null; true");
        return stats.lines().filter(line -> line.contains(" (postgres) ")).map(line -> {
            int afterName = line.lastIndexOf(") ");
            return new Process(Long.parseLong(line.substring(0, line.indexOf(' '))), line.charAt(afterName + 2));
        }).toList();
    }

    /** What would not stop is removed with its container; nothing else of the server outlives that. */
    @Override
    public Runnable lastResort(NodeState state) {
        return () -> world.removeServer(node);
    }

    @Override
    public void releaseLeftovers() {
        // a killed server's shared memory went with its container's IPC namespace
    }
}
