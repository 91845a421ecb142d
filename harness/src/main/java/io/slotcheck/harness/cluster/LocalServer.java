package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.BaseBackupLayout;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.harness.server.ServerAccount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A node's server as processes of this machine: started with pg_ctl (as the server account), signalled directly, its
 * files in {@code <cluster>/<name>/data} and its log in {@code <cluster>/<name>/server.log}.
 */
final class LocalServer implements ServerRuntime {

    private static final Duration SERVER_BOUND = Duration.ofSeconds(60);
    /** How long children of a killed postmaster get to notice its death before they are killed too. */
    private static final Duration ORPHAN_BOUND = Duration.ofSeconds(10);
    private final String name;
    private final Path directory;
    private final PgInstallation installation;
    private final ServerAccount account;
    private final ServerLog log;
    private final int port;
    private List<Long> pausedPids = List.of();
    private ProcessHandle killedPostmaster;
    /**
     * Dynamic shared memory mapped by servers of this node when they were killed: a restart reclaims what the old
     * server had registered, not always all of it; what is left when the node closes is removed then.
     */
    private final Set<Path> segmentsOfKilledServers = new HashSet<>();

    LocalServer(String name, Path directory, int port, PgInstallation installation, ServerAccount account) {
        this.name = name;
        this.directory = directory;
        this.port = port;
        this.installation = installation;
        this.account = account;
        this.log = ServerLog.ofFile(directory.resolve("server.log"));
    }

    Path dataDirectory() {
        return directory.resolve("data");
    }

    @Override
    public ServerLog log() {
        return log;
    }

    @Override
    public void writeFile(String relative, String content) {
        Path file = dataDirectory().resolve(relative);
        try {
            Files.writeString(file, content);
            account.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    @Override
    public boolean exists(String relative) {
        return Files.exists(dataDirectory().resolve(relative));
    }

    @Override
    public Optional<String> readFile(String relative) {
        Path file = dataDirectory().resolve(relative);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    @Override
    public String peerHost() {
        return "127.0.0.1";
    }

    @Override
    public void copyForBaseBackup(ServerRuntime target) {
        Path to = ((LocalServer) target).dataDirectory();
        try {
            BaseBackupLayout.copyLocally(dataDirectory(), to, Node.NODE_CONF, account);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not copy " + name + " for a base backup: " + e.getMessage());
        }
    }

    @Override
    public void start(long logOffset) {
        if (killedPostmaster != null) {
            // a start refuses while the pid in postmaster.pid exists, and a killed postmaster's zombie exists until reaped
            ProcessHandle killed = killedPostmaster;
            Waits.until(name + "'s killed postmaster to be reaped", SERVER_BOUND, () -> !killed.isAlive());
            killedPostmaster = null;
        }
        Path pgCtlOutput = directory.resolve("pg_ctl.out");
        // -W: do not let pg_ctl poll every 100 ms; readiness is read from postmaster.pid below
        int status = Processes.run(account.command(List.of(installation.bin("pg_ctl").toString(), "-D", dataDirectory().toString(),
                "-l", log.location(), "-W", "start")), pgCtlOutput, SERVER_BOUND);
        if (status != 0) {
            throw new SlotcheckException(ExitCode.SERVER, "pg_ctl could not start " + name + ": " + Processes.tail(pgCtlOutput, 3));
        }
        Waits.until(name + " to accept connections", SERVER_BOUND, () -> startupProgress(logOffset), s -> !s.equals("starting"));
    }

    @Override
    public void createSubscriber(String publisher, String database, String name) {
        Path output = directory.resolve("pg_createsubscriber.out");
        // its server is started on the node's own port, the socket in the data directory the server account owns
        int status = Processes.run(account.command(List.of(installation.bin("pg_createsubscriber").toString(), "-D", dataDirectory().toString(),
                "-P", publisher, "-d", database, "-p", Integer.toString(port), "-s", dataDirectory().toString(), "-U", Node.SUPERUSER,
                "--subscription", name, "--publication", name)), output, SERVER_BOUND);
        if (status != 0) {
            throw new SlotcheckException(ExitCode.SERVER, "pg_createsubscriber could not convert " + this.name + ": " + Processes.tail(output, 3));
        }
    }

    @Override
    public void upgradeInPlace() {
        Path upgraded = directory.resolve("upgraded");
        Path output = directory.resolve("pg_upgrade.out");
        ClusterTemplate.initdb(installation, account, upgraded, directory.resolve("initdb.out"));
        try {
            // the old cluster's settings: its logical slots need wal_level logical and room in max_replication_slots
            for (String file : List.of("postgresql.conf", "postgresql.auto.conf", Node.NODE_CONF)) {
                if (Files.exists(dataDirectory().resolve(file))) {
                    Files.copy(dataDirectory().resolve(file), upgraded.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                    account.own(upgraded.resolve(file));
                }
            }
            String bin = installation.home().resolve("bin").toString();
            // pg_upgrade writes into its working directory: the node's, which the server account owns
            int status = Processes.run(account.command(List.of(installation.bin("pg_upgrade").toString(), "-b", bin, "-B", bin,
                    "-d", dataDirectory().toString(), "-D", upgraded.toString(), "-p", Integer.toString(port), "-P", Integer.toString(port),
                    "-s", directory.toString(), "-U", Node.SUPERUSER, "--no-sync")), directory, output, SERVER_BOUND);
            if (status != 0) {
                throw new SlotcheckException(ExitCode.SERVER, "pg_upgrade could not upgrade " + name + ": " + Processes.tail(output, 5));
            }
            FileTrees.delete(dataDirectory());
            Files.move(upgraded, dataDirectory());
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not upgrade " + name + " in " + directory + ": " + e.getMessage());
        }
    }

    /** "ready" once the postmaster says so in postmaster.pid; throws at once if the server exited with a FATAL error. */
    private String startupProgress(long logOffset) {
        Optional<String> fatal = log.find(ServerLog.EXIT_REASON, logOffset);
        Optional<PostmasterPid> pid = PostmasterPid.read(dataDirectory().resolve("postmaster.pid"));
        if (fatal.isPresent() && pid.flatMap(PostmasterPid::liveProcess).isEmpty()) {
            throw new SlotcheckException(ExitCode.SERVER, name + " did not start: " + fatal.get().strip()
                    + (fatal.get().contains("bind") ? " (port " + port + " is taken: retry, or free the port)" : "")
                    + "; see " + log.location());
        }
        return pid.isPresent() && pid.get().liveProcess().isPresent() && readyLine().equals("ready") ? "ready" : "starting";
    }

    private String readyLine() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory().resolve("postmaster.pid"));
            return lines.size() > 7 ? lines.get(7).strip() : "starting";
        } catch (IOException e) {
            return "starting";
        }
    }

    @Override
    public void stop(StopMode mode) {
        ProcessHandle postmaster = postmaster();
        Processes.signal(mode.signal, List.of(postmaster.pid()));
        Waits.until(name + " to stop (" + mode.name().toLowerCase() + ")", SERVER_BOUND, () -> !Processes.isRunning(postmaster));
    }

    /** SIGKILL of the postmaster alone; those of its processes that outlive it by {@link #ORPHAN_BOUND} are killed too. */
    @Override
    public void crash() {
        ProcessHandle postmaster = postmaster();
        List<ProcessHandle> children = postmaster.descendants().toList();
        segmentsOfKilledServers.addAll(PostmasterPid.dynamicSharedMemory(PostmasterPid.withDescendants(postmaster)));
        Processes.signal("KILL", List.of(postmaster.pid()));
        Waits.until(name + "'s postmaster to exit after kill -9", SERVER_BOUND, () -> !Processes.isRunning(postmaster));
        killedPostmaster = postmaster;
        try {
            Waits.until(name + "'s processes to exit after their postmaster died", ORPHAN_BOUND,
                    () -> children.stream().noneMatch(Processes::isRunning));
        } catch (WaitTimeoutException e) {
            // seen: a backend waiting in read_local_xlog_page() for WAL a dead startup process will never replay
            List<Long> survivors = children.stream().filter(Processes::isRunning).map(ProcessHandle::pid).toList();
            System.err.println("slotcheck: " + name + ": processes " + survivors + " kept running after their postmaster was killed;"
                    + " killing them too");
            Processes.signal("KILL", survivors);
            Waits.until(name + "'s orphaned processes to exit", SERVER_BOUND, () -> children.stream().noneMatch(Processes::isRunning));
        }
    }

    @Override
    public void pause() {
        // the postmaster first: stopped, it forks no child after its children were listed
        Processes.signal("STOP", List.of(postmaster().pid()));
        pausedPids = serverPids();
        Processes.signal("STOP", pausedPids);
        awaitStopped(pausedPids);
    }

    @Override
    public void resume() {
        Processes.signal("CONT", pausedPids);
        pausedPids = List.of();
    }

    /** Refused: processes of this machine share its loopback network; their partitions go through the link relays. */
    @Override
    public void disconnect() {
        throw new SlotcheckException(ExitCode.USAGE, "a server of this machine cannot be taken off the network: "
                + "run what disconnects a node with --backend docker");
    }

    @Override
    public void reconnect() {
        disconnect();
    }

    @Override
    public void signal(String signal, List<Long> pids) {
        Processes.signal(signal, pids);
    }

    @Override
    public void awaitStopped(List<Long> pids) {
        Waits.until(name + "'s processes to stop after SIGSTOP", SERVER_BOUND, () -> pids.stream().allMatch(Processes::isStoppedOrGone));
    }

    @Override
    public void killAndAwaitReset(long pid, String what) {
        List<ProcessHandle> processes = postmaster().descendants().toList();
        Processes.signal("KILL", List.of(pid));
        Waits.until(name + "'s postmaster to end every process after kill -9 of its " + what, SERVER_BOUND,
                () -> processes.stream().noneMatch(Processes::isRunning));
    }

    @Override
    public List<Long> serverPids() {
        ProcessHandle postmaster = postmaster();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        // a backend that has exited but is not reaped yet (a zombie) is no server process any more
        postmaster.descendants().filter(Processes::isRunning).forEach(p -> pids.add(p.pid()));
        return pids;
    }

    @Override
    public Optional<String> processFile(long pid, String file) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), file)));
        } catch (IOException e) {
            return Optional.empty(); // the process exited meanwhile (a short-lived backend)
        }
    }

    ProcessHandle postmaster() {
        return PostmasterPid.read(dataDirectory().resolve("postmaster.pid")).flatMap(PostmasterPid::liveProcess)
                .orElseThrow(() -> new SlotcheckException(ExitCode.SERVER, name + " has no running postmaster; see " + log.location()));
    }

    @Override
    public Runnable lastResort(NodeState state) {
        Optional<PostmasterPid> pidFile = PostmasterPid.read(dataDirectory().resolve("postmaster.pid"));
        if (state == NodeState.KILLED) {
            return () -> pidFile.ifPresent(PostmasterPid::releaseSharedMemory);
        }
        return () -> pidFile.ifPresent(PostmasterPid::stopForGood);
    }

    @Override
    public void releaseLeftovers() {
        PostmasterPid.removeSegments(segmentsOfKilledServers);
    }
}
