package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.BaseBackupLayout;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PostgreSQL server: its data directory, port and log, and the verbs a DBA would use on it
 * (after {@code PostgreSQL::Test::Cluster}): start, stop, kill9, pause, promote, reload, SQL, and
 * named, bounded waits.
 *
 * <p>Layout: {@code <cluster>/<name>/data} (the data directory), {@code <cluster>/<name>/server.log}.
 * Per-node settings (port, and for a standby its upstream) live in {@code slotcheck-node.conf}, included
 * by postgresql.conf; settings changed during a test go through {@code ALTER SYSTEM} as a user would.
 */
public final class Node {

    public static final String SUPERUSER = "postgres";
    public static final String DATABASE = "postgres";
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);
    static final String NODE_CONF = "slotcheck-node.conf";
    private static final Duration SERVER_BOUND = Duration.ofSeconds(60);
    /** How long children of a killed postmaster get to notice its death before they are killed too. */
    private static final Duration ORPHAN_BOUND = Duration.ofSeconds(10);
    private static final Pattern FATAL = Pattern.compile("\\b(FATAL|PANIC):");

    private final String name;
    private final Path directory;
    private final PgInstallation installation;
    private final ServerAccount account;
    private final ServerLog log;
    private final Map<String, String> nodeSettings = new LinkedHashMap<>();
    private volatile NodeState state = NodeState.STOPPED;
    private int starts;
    private List<Long> pausedPids = List.of();
    /** The one process stopped by {@link #pauseProcess}, while the rest of the server runs; null when none. */
    private Long pausedProcess;
    /** Where the server log stood when the server was last started: what it logged since belongs to this run of it. */
    private long startedAtLogOffset;
    private ProcessHandle killedPostmaster;
    /**
     * Dynamic shared memory mapped by servers of this node when they were killed: a restart reclaims what the old
     * server had registered, not always all of it; what is left when the node closes is removed then.
     */
    private final Set<Path> segmentsOfKilledServers = new java.util.HashSet<>();

    Node(String name, Path directory, int port, PgInstallation installation, ServerAccount account) {
        this.name = name;
        this.directory = directory;
        this.installation = installation;
        this.account = account;
        this.log = new ServerLog(directory.resolve("server.log"));
        nodeSettings.put("port", Integer.toString(port));
        if (installation.oracleMode()) {
            // IvorySQL's Oracle-mode listener: a port of its own on every server of the machine (default 1521 for all)
            nodeSettings.put("ivorysql.port", Integer.toString(FreePorts.next()));
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return Integer.parseInt(nodeSettings.get("port"));
    }

    /** The port of IvorySQL's Oracle-mode listener, on a server that has one. */
    public Optional<Integer> oraclePort() {
        return Optional.ofNullable(nodeSettings.get("ivorysql.port")).map(Integer::parseInt);
    }

    public Path dataDirectory() {
        return directory.resolve("data");
    }

    public NodeState state() {
        return state;
    }

    public ServerLog log() {
        return log;
    }

    /** A libpq connection string to this node, as a standby's {@code primary_conninfo} would name it. */
    public String connectionString(String database) {
        return "host=127.0.0.1 port=" + port() + " user=" + SUPERUSER + (database == null ? "" : " dbname=" + database);
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        requireState("start", NodeState.STOPPED, NodeState.KILLED);
        if (killedPostmaster != null) {
            // a start refuses while the pid in postmaster.pid exists, and a killed postmaster's zombie exists until reaped
            ProcessHandle killed = killedPostmaster;
            Waits.until(name + "'s killed postmaster to be reaped", SERVER_BOUND, () -> !killed.isAlive());
            killedPostmaster = null;
        }
        writeNodeConf();
        long offset = log.offset();
        startedAtLogOffset = offset;
        Path pgCtlOutput = directory.resolve("pg_ctl.out");
        // -W: do not let pg_ctl poll every 100 ms; readiness is read from postmaster.pid below
        int status = Processes.run(account.command(List.of(installation.bin("pg_ctl").toString(), "-D", dataDirectory().toString(),
                "-l", log.file().toString(), "-W", "start")), pgCtlOutput, SERVER_BOUND);
        if (status != 0) {
            throw new SlotcheckException(ExitCode.SERVER, "pg_ctl could not start " + name + ": " + Processes.tail(pgCtlOutput, 3));
        }
        Waits.until(name + " to accept connections", SERVER_BOUND, () -> startupProgress(offset), s -> !s.equals("starting"));
        state = NodeState.RUNNING;
        starts++;
    }

    /**
     * How many times this node's server was started, or reset by its postmaster after a process was killed: a
     * connection made before the latest is gone.
     */
    public int starts() {
        return starts;
    }

    /** "ready" once the postmaster says so in postmaster.pid; throws at once if the server exited with a FATAL error. */
    private String startupProgress(long logOffset) {
        Optional<String> fatal = log.find(FATAL, logOffset);
        Optional<PostmasterPid> pid = PostmasterPid.read(dataDirectory().resolve("postmaster.pid"));
        if (fatal.isPresent() && pid.flatMap(PostmasterPid::liveProcess).isEmpty()) {
            throw new SlotcheckException(ExitCode.SERVER, name + " did not start: " + fatal.get().strip()
                    + (fatal.get().contains("bind") ? " (port " + port() + " is taken: retry, or free the port)" : "")
                    + "; see " + log.file());
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

    public void stop() {
        stop(StopMode.FAST);
    }

    /** Stops the server with pg_ctl's {@code mode} and waits until the postmaster has exited. */
    public void stop(StopMode mode) {
        resumePausedProcess();
        if (state == NodeState.PAUSED) {
            resume();
        }
        requireState("stop", NodeState.RUNNING);
        ProcessHandle postmaster = postmaster();
        Processes.signal(mode.signal, List.of(postmaster.pid()));
        Waits.until(name + " to stop (" + mode.name().toLowerCase() + ")", SERVER_BOUND, () -> !Processes.isRunning(postmaster));
        state = NodeState.STOPPED;
    }

    /**
     * SIGKILL of the postmaster alone, as a crash would; returns when all its processes are gone (those that outlive it
     * by {@link #ORPHAN_BOUND} are killed too).
     */
    public void kill9() {
        resumePausedProcess();
        if (state == NodeState.PAUSED) {
            resume();
        }
        requireState("kill -9", NodeState.RUNNING);
        ProcessHandle postmaster = postmaster();
        List<ProcessHandle> children = postmaster.descendants().toList();
        segmentsOfKilledServers.addAll(PostmasterPid.dynamicSharedMemory(PostmasterPid.withDescendants(postmaster)));
        Processes.signal("KILL", List.of(postmaster.pid()));
        Waits.until(name + "'s postmaster to exit after kill -9", SERVER_BOUND, () -> !Processes.isRunning(postmaster));
        killedPostmaster = postmaster;
        state = NodeState.KILLED;
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

    /** SIGSTOP to every server process of this node, for a pause that {@link #resume()} ends. */
    public void pause() {
        requireState("pause", NodeState.RUNNING);
        pausedProcess = null; // stopped again with the rest, and resumed with it
        // the postmaster first: stopped, it forks no child after its children were listed
        Processes.signal("STOP", List.of(postmaster().pid()));
        pausedPids = serverPids();
        Processes.signal("STOP", pausedPids);
        state = NodeState.PAUSED;
        awaitStopped(pausedPids);
    }

    public void resume() {
        requireState("resume", NodeState.PAUSED);
        Processes.signal("CONT", pausedPids);
        pausedPids = List.of();
        state = NodeState.RUNNING;
    }

    public void restart() {
        stop(StopMode.FAST);
        start();
    }

    /** Promotes a standby and waits until it has left recovery. */
    public void promote() {
        resumePausedProcess();
        // pg_promote(wait => true) polls every 100 ms; polling here is faster and bounded the same way
        execute("SELECT pg_promote(false)");
        Waits.until(name + " to leave recovery after promotion", SERVER_BOUND, () -> !inRecovery());
    }

    /**
     * Sends one process of this node, found by its {@code backend_type} (the first by pid), SIGTERM — it ends alone — or
     * SIGKILL, after which the postmaster ends every process and runs crash recovery: this returns once the old processes
     * are gone and the server accepts connections again.
     */
    public void signalProcess(String backendType, boolean kill) {
        requireState("signal a process of", NodeState.RUNNING);
        resumePausedProcess();
        long pid = processPid(backendType);
        if (!kill) {
            Processes.signal("TERM", List.of(pid));
            return;
        }
        List<ProcessHandle> processes = postmaster().descendants().toList();
        Processes.signal("KILL", List.of(pid));
        Waits.until(name + "'s postmaster to end every process after kill -9 of its " + backendType, SERVER_BOUND,
                () -> processes.stream().noneMatch(Processes::isRunning));
        starts++;
        Waits.until(name + " to accept connections after crash recovery", SERVER_BOUND, this::acceptsConnections);
    }

    /**
     * SIGUSR1 to this node's processes of {@code backendType}, if any runs: whatever else it may mean, it sets the
     * process's latch ({@code procsignal_sigusr1_handler()}), so a process napping on its latch does its next round now.
     */
    public void wakeProcesses(String backendType) {
        Processes.signal("USR1", queryRows("SELECT pid FROM pg_stat_activity WHERE backend_type = '" + backendType + "'").stream()
                .map(row -> Long.parseLong(row.get(0))).toList());
    }

    /** SIGSTOP of one process of this node, found by its {@code backend_type}; {@link #resumePausedProcess} ends it. */
    public void pauseProcess(String backendType) {
        requireState("pause a process of", NodeState.RUNNING);
        resumePausedProcess();
        long pid = processPid(backendType);
        Processes.signal("STOP", List.of(pid));
        pausedProcess = pid;
        awaitStopped(List.of(pid));
    }

    private void awaitStopped(List<Long> pids) {
        Waits.until(name + "'s processes to stop after SIGSTOP", SERVER_BOUND, () -> pids.stream().allMatch(Processes::isStoppedOrGone));
    }

    /** SIGCONT of the process {@link #pauseProcess} stopped, if any. */
    public void resumePausedProcess() {
        if (pausedProcess != null) {
            Processes.signal("CONT", List.of(pausedProcess));
            pausedProcess = null;
        }
    }

    private long processPid(String backendType) {
        String pid = queryValue("SELECT min(pid) FROM pg_stat_activity WHERE backend_type = '" + backendType + "'");
        if (pid == null) {
            throw new SlotcheckException(ExitCode.SERVER, name + " has no " + backendType + " process to signal");
        }
        return Long.parseLong(pid);
    }

    /** Pids of the postmaster and all its children (for observation, pause and memory figures). */
    public List<Long> serverPids() {
        ProcessHandle postmaster = postmaster();
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        // a backend that has exited but is not reaped yet (a zombie) is no server process any more
        postmaster.descendants().filter(Processes::isRunning).forEach(p -> pids.add(p.pid()));
        return pids;
    }

    ProcessHandle postmaster() {
        return PostmasterPid.read(dataDirectory().resolve("postmaster.pid")).flatMap(PostmasterPid::liveProcess)
                .orElseThrow(() -> new SlotcheckException(ExitCode.SERVER, name + " has no running postmaster; see " + log.file()));
    }

    /**
     * Stops whatever runs (immediately, as close must be quick) and releases what a killed server left: it is started
     * once more so that PostgreSQL frees its own shared memory. Idempotent.
     */
    void shutDown() {
        if (state == NodeState.RUNNING) {
            resumePausedProcess();
        }
        if (state == NodeState.PAUSED) {
            resume();
        }
        Optional<PostmasterPid> pidFile = PostmasterPid.read(dataDirectory().resolve("postmaster.pid"));
        if (state == NodeState.RUNNING) {
            try {
                stop(StopMode.IMMEDIATE);
            } catch (RuntimeException e) {
                pidFile.ifPresent(PostmasterPid::stopForGood);
            }
        } else if (state == NodeState.KILLED) {
            // the restart's crash recovery frees what the killed server had registered, pinned segments included; a fast
            // stop, since an immediate one right after the start can catch a starting worker between creating a segment
            // and registering it (twice in 800 sequences, both with a killed subscriber restarted this way)
            try {
                start();
                stop(StopMode.FAST);
            } catch (RuntimeException e) {
                pidFile.ifPresent(PostmasterPid::releaseSharedMemory);
            }
        }
        PostmasterPid.removeSegments(segmentsOfKilledServers);
        state = NodeState.STOPPED;
    }

    private void requireState(String verb, NodeState... allowed) {
        for (NodeState s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new IllegalStateException("cannot " + verb + " " + name + ": it is " + state.name().toLowerCase());
    }

    // ---------------------------------------------------------------- configuration

    /** A per-node setting (port, upstream) written to slotcheck-node.conf; takes effect at the next start. */
    void setNodeSetting(String setting, String value) {
        nodeSettings.put(setting, value);
    }

    private void writeNodeConf() {
        StringBuilder text = new StringBuilder("# written by slotcheck for node " + name + "\n");
        nodeSettings.forEach((k, v) -> text.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        try {
            Path file = dataDirectory().resolve(NODE_CONF);
            Files.writeString(file, text);
            account.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + NODE_CONF + " of " + name, e);
        }
    }

    /**
     * {@code ALTER SYSTEM SET} each setting and reload; returns when a new session sees the new values.
     * For settings that need a restart use {@link #setAndRestart(Map)}.
     */
    public void setAndReload(Map<String, String> settings) {
        for (String setting : settings.keySet()) {
            if (needsRestart(setting)) {
                throw new IllegalArgumentException(setting + " takes effect only at a restart: use setAndRestart");
            }
        }
        reload(settings);
    }

    /** {@code ALTER SYSTEM SET setting = value}, then a reload, or a restart where the setting needs one. */
    public void set(String setting, String value) {
        if (needsRestart(setting)) {
            setAndRestart(Map.of(setting, value));
        } else {
            reload(Map.of(setting, value));
        }
    }

    private boolean needsRestart(String setting) {
        return "postmaster".equals(queryValue("SELECT context FROM pg_settings WHERE name = '" + setting + "'"));
    }

    private void reload(Map<String, String> settings) {
        Map<String, String> before = new LinkedHashMap<>();
        settings.keySet().forEach(setting -> before.put(setting, queryValue("SELECT current_setting('" + setting + "')")));
        alterSystem(settings);
        execute("SELECT pg_reload_conf()");
        settings.forEach((setting, value) -> Waits.until(name + " to apply " + setting + " = '" + value + "' after reload", DEFAULT_BOUND,
                () -> {
                    String now = queryValue("SELECT current_setting('" + setting + "')");
                    return now.equals(value) || !now.equals(before.get(setting));
                }));
    }

    /** {@code ALTER SYSTEM SET} each setting, then a fast restart. */
    public void setAndRestart(Map<String, String> settings) {
        alterSystem(settings);
        restart();
    }

    private void alterSystem(Map<String, String> settings) {
        settings.forEach((setting, value) -> execute("ALTER SYSTEM SET " + setting + " = '" + value.replace("'", "''") + "'"));
    }

    // ---------------------------------------------------------------- SQL

    /** A new superuser connection to the node's {@code postgres} database; the caller closes it. */
    public Connection connect() {
        return connect(DATABASE);
    }

    public Connection connect(String database) {
        return connect(port(), database);
    }

    private Connection connect(int port, String database) {
        try {
            return DriverManager.getConnection(url(port, database), connectionProperties());
        } catch (SQLException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not connect to " + name + " on port " + port + ": " + e.getMessage());
        }
    }

    /** Whether the server lets a client in now (not while it starts or runs crash recovery). */
    private boolean acceptsConnections() {
        try (Connection ignored = DriverManager.getConnection(url(port(), DATABASE), connectionProperties())) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("ApplicationName", "slotcheck");
        properties.setProperty("connectTimeout", "10");
        // a query on a paused server would otherwise hang forever
        properties.setProperty("socketTimeout", "60");
        return properties;
    }

    public void execute(String... statements) {
        execute(connect(), statements);
    }

    /**
     * Runs {@code statements} in a session of IvorySQL's Oracle-mode listener, whose parser takes Oracle SQL
     * ({@code varchar2}, {@code dual}, {@code ''} as NULL); on a server without one this is an error.
     */
    public void executeInOracleMode(String... statements) {
        int oraclePort = oraclePort().orElseThrow(() -> new IllegalStateException(name + " has no Oracle-mode listener"));
        execute(connect(oraclePort, DATABASE), statements);
    }

    private void execute(Connection session, String... statements) {
        try (Connection connection = session; Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new NodeSqlException(name, e);
        }
    }

    /** The first column of the first row as text, or {@code null} when there is no row or it is NULL. */
    public String queryValue(String sql) {
        List<List<String>> rows = queryRows(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Every row, each column as text (NULL as {@code null}). */
    public List<List<String>> queryRows(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new NodeSqlException(name, e);
        }
    }

    public boolean inRecovery() {
        return "t".equals(queryValue("SELECT pg_is_in_recovery()"));
    }

    /** The newest WAL position of this node: written on a primary, replayed on a standby. */
    public Lsn lsn() {
        return Lsn.parse(queryValue("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END"));
    }

    /** A replication-protocol session ({@code replication=database}) for slot commands and streaming with explicit acks. */
    public ReplicationSession replicationSession() {
        return ReplicationSession.open(this);
    }

    // ---------------------------------------------------------------- waits

    public void pollQueryUntil(String sql, String expected, Duration bound) {
        Waits.until(name + " to answer '" + expected + "' to: " + sql, bound, () -> queryValue(sql), v -> Objects.equals(v, expected));
    }

    /** On a standby: waits until it has replayed up to {@code target}. */
    public void waitForReplay(Lsn target, Duration bound) {
        // a standby whose own history went past where its upstream's timeline forked never gets there: each poll reads
        // only the log lines written since the previous one
        long[] scanned = {startedAtLogOffset};
        Waits.until(name + " to replay up to " + target, bound, () -> {
            ServerLog.Read read = log.readSince(scanned[0]);
            scanned[0] = read.end();
            Optional<Matcher> diverged = read.lines().stream().map(DIVERGED::matcher).filter(Matcher::find).findFirst();
            if (diverged.isPresent()) {
                throw new SlotcheckException(ExitCode.SERVER, name + " cannot replay its upstream's timeline: " + diverged.get().group()
                        + " (it needs a new clone, or pg_rewind)");
            }
            return Lsn.parseNullable(queryValue("SELECT pg_last_wal_replay_lsn()"));
        }, replayed -> !replayed.isBefore(target));
    }

    /** What a standby logs when its history went past where its upstream's timeline forked, or its upstream is behind it. */
    private static final Pattern DIVERGED = Pattern.compile("new timeline \\d+ forked off current database system timeline \\d+ before"
            + " current recovery point|highest timeline \\d+ of the primary is behind recovery timeline \\d+");

    /**
     * On a primary: waits until all WAL inserted so far is flushed. Records that commit nothing, such as the
     * running-transactions record of {@code pg_log_standby_snapshot()}, are flushed later by the walwriter; decoding
     * and walsenders see WAL only up to the flush position.
     */
    public void waitForWalFlush() {
        Lsn inserted = Lsn.parse(queryValue("SELECT pg_current_wal_insert_lsn()"));
        Waits.until(name + " to flush WAL up to " + inserted, DEFAULT_BOUND,
                () -> Lsn.parse(queryValue("SELECT pg_current_wal_flush_lsn()")), flushed -> !flushed.isBefore(inserted));
    }

    /** Waits until {@code standby} has replayed everything this node has written (or replayed) so far. */
    public void waitForCatchup(Node standby) {
        standby.waitForReplay(lsn(), DEFAULT_BOUND);
    }

    /** On a primary: waits until {@code standby}'s walreceiver is streaming from it. */
    public void waitForStreaming(Node standby) {
        pollQueryUntil("SELECT state FROM pg_stat_replication WHERE application_name = '" + standby.name() + "'", "streaming", DEFAULT_BOUND);
    }

    /** On a standby: waits until {@code slot} is synced and ready for failover (synced, not temporary, valid). */
    public void waitForSlotSyncReady(String slot, Duration bound) {
        pollQueryUntil("SELECT synced AND NOT temporary AND invalidation_reason IS NULL FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'", "t", bound);
    }

    public String waitForLog(Pattern pattern, long offset, Duration bound) {
        return log.waitFor(pattern, offset, bound);
    }

    // ---------------------------------------------------------------- copies

    /**
     * Takes a base backup of this running node with the low-level API into {@code target} (no pg_basebackup
     * needed): {@code pg_backup_start}, a copy without the excluded files, {@code pg_backup_stop}, and the
     * backup_label (and tablespace_map) it returns.
     */
    void backupInto(Path target) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_backup_start('slotcheck', true)");
            FileTrees.copy(dataDirectory(), target, BaseBackupLayout.excludedFiles(NODE_CONF),
                    relative -> relative.getNameCount() == 1 && BaseBackupLayout.EMPTIED_DIRECTORIES.contains(relative.toString()));
            for (String walSubdirectory : BaseBackupLayout.WAL_SUBDIRECTORIES) {
                if (Files.isDirectory(dataDirectory().resolve(walSubdirectory))) {
                    Files.createDirectories(target.resolve(walSubdirectory));
                    account.own(target.resolve(walSubdirectory));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                rs.next();
                writeOwned(target.resolve("backup_label"), rs.getString(1));
                String tablespaceMap = rs.getString(2);
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    writeOwned(target.resolve("tablespace_map"), tablespaceMap);
                }
            }
        } catch (SQLException e) {
            throw new NodeSqlException(name, e);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not copy " + name + " for a base backup: " + e.getMessage());
        }
    }

    /**
     * Starts this stopped (or killed) node as a standby of the server on {@code upstreamPort} (its upstream, or the
     * relay of the link to it), streaming through the physical slot {@code slotName}, keeping its data and its slots: a
     * demoted primary rejoining, or a standby following a new primary.
     */
    void rejoin(int upstreamPort, String slotName) {
        requireState("rejoin", NodeState.STOPPED, NodeState.KILLED);
        followAsStandby(upstreamPort, slotName);
        start();
    }

    /** Whether the node starts (or runs) as a standby: its data directory has a standby.signal, which promotion removes. */
    public boolean isConfiguredAsStandby() {
        return Files.exists(dataDirectory().resolve("standby.signal"));
    }

    /** The port of the node this one streams from, as its {@code primary_conninfo} names it. */
    public Optional<Integer> upstreamPort() {
        return Optional.ofNullable(nodeSettings.get("primary_conninfo")).flatMap(NodeSnapshot::conninfoPort);
    }

    /** Rewrites {@code primary_conninfo} for the same upstream, with or without {@code dbname}, and reloads. */
    public void rewritePrimaryConninfo(boolean withDbname) {
        String current = nodeSettings.get("primary_conninfo");
        if (current == null) {
            throw new IllegalStateException(name + " has no primary_conninfo to rewrite: it was never made a standby");
        }
        String withoutDbname = current.replaceAll("\\s*dbname=\\S+", "");
        String rewritten = withDbname ? withoutDbname + " dbname=" + DATABASE : withoutDbname;
        setNodeSetting("primary_conninfo", rewritten);
        writeNodeConf();
        execute("SELECT pg_reload_conf()");
        Waits.until(name + " to apply the rewritten primary_conninfo after reload", DEFAULT_BOUND,
                () -> queryValue("SELECT current_setting('primary_conninfo')").equals(rewritten));
    }

    /**
     * Makes this (stopped) node a standby of the server on {@code upstreamPort} (its upstream, or the relay of the link
     * to it), streaming through the physical slot {@code slotName}.
     */
    void followAsStandby(int upstreamPort, String slotName) {
        setNodeSetting("primary_conninfo", "host=127.0.0.1 port=" + upstreamPort + " user=" + SUPERUSER + " dbname=" + DATABASE
                + " application_name=" + name);
        setNodeSetting("primary_slot_name", slotName);
        writeOwned(dataDirectory().resolve("standby.signal"), "");
    }

    void writeOwned(Path file, String content) {
        try {
            Files.writeString(file, content);
            account.own(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port() + ", " + state.name().toLowerCase() + ")";
    }
}
