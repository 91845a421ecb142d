package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.model.Lsn;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.operation.ServerProcess;

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
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One PostgreSQL server: its data directory, port and log, and the verbs a DBA would use on it
 * (after {@code PostgreSQL::Test::Cluster}): start, stop, kill9, pause, promote, reload, SQL, and
 * named, bounded waits.
 *
 * <p>Where the server runs and its files are is its {@link ServerRuntime}'s business (here: {@link LocalServer});
 * everything else goes over SQL. Per-node settings (port, and for a standby its upstream) live in
 * {@code slotcheck-node.conf}, included by postgresql.conf; settings changed during a test go through
 * {@code ALTER SYSTEM} as a user would.
 */
public final class Node {

    public static final String SUPERUSER = "postgres";
    /** Where ALTER SYSTEM keeps its settings, in the data directory. */
    private static final String AUTO_CONF = "postgresql.auto.conf";
    public static final String DATABASE = "postgres";
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);
    public static final String NODE_CONF = "slotcheck-node.conf";
    /** How long a statement may wait for its server's answer before the server is taken for hung. */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SERVER_BOUND = Duration.ofSeconds(60);

    private final String name;
    private final ServerRuntime runtime;
    private final Map<String, String> nodeSettings = new LinkedHashMap<>();
    private volatile NodeState state = NodeState.STOPPED;
    private int connectionEpoch;
    /** The one process stopped by {@link #pauseProcess}, while the rest of the server runs; null when none. */
    private Long pausedProcess;
    /** Where the server log stood when the server was last started: what it logged since belongs to this run of it. */
    private long startedAtLogOffset;

    /**
     * A node whose server runs in {@code runtime} on {@code port}, with {@code settings} of its backend; with IvorySQL's
     * Oracle-mode listener on {@code oraclePort} when there is one.
     */
    Node(String name, ServerRuntime runtime, int port, Map<String, String> settings, Optional<Integer> oraclePort) {
        this.name = name;
        this.runtime = runtime;
        nodeSettings.putAll(settings);
        nodeSettings.put("port", Integer.toString(port));
        oraclePort.ifPresent(oracle -> nodeSettings.put("ivorysql.port", Integer.toString(oracle)));
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

    /** The data directory of a node whose server runs on this machine (the local backend). */
    public Path dataDirectory() {
        return ((LocalServer) runtime).dataDirectory();
    }

    public NodeState state() {
        return state;
    }

    public ServerLog log() {
        return runtime.log();
    }

    ServerRuntime runtime() {
        return runtime;
    }

    /** Where this process reaches the server: host and port. */
    public String clientAddress() {
        return runtime.clientHost() + ":" + port();
    }

    /** A libpq connection string by which the other servers of the cluster reach this node (as its account, for a cluster slotcheck did not make). */
    public String connectionString(String database) {
        return connectionString(runtime.peerHost(), port(), runtime.clientUser(), runtime.clientPassword(), database);
    }

    /** A libpq connection string of slotcheck's superuser to the server (or relay) at {@code host}:{@code port}. */
    static String connectionString(String host, int port, String database) {
        return connectionString(host, port, SUPERUSER, Optional.empty(), database);
    }

    /** A password goes in quoted as libpq reads it. */
    private static String connectionString(String host, int port, String user, Optional<String> password, String database) {
        return "host=" + host + " port=" + port + " user=" + user
                + password.map(secret -> " password='" + secret.replace("\\", "\\\\").replace("'", "\\'") + "'").orElse("")
                + (database == null ? "" : " dbname=" + database);
    }

    // ---------------------------------------------------------------- lifecycle

    public void start() {
        requireState("start", NodeState.STOPPED, NodeState.KILLED);
        writeNodeConf();
        startedAtLogOffset = log().offset();
        runtime.start(startedAtLogOffset);
        state = NodeState.RUNNING;
        connectionEpoch++;
    }

    /**
     * Takes the server as it runs (one slotcheck did not start), its upstream as its own settings name it.
     */
    void adoptRunning() {
        state = NodeState.RUNNING;
        connectionEpoch++;
        readUpstreamSettings();
    }

    /** The upstream a server slotcheck did not make streams from, as its settings say (none once it is a primary). */
    private void readUpstreamSettings() {
        boolean standby = inRecovery();
        for (String setting : List.of("primary_conninfo", "primary_slot_name")) {
            if (standby) {
                setNodeSetting(setting, queryValue("SELECT current_setting('" + setting + "')"));
            } else {
                nodeSettings.remove(setting);
            }
        }
    }

    /**
     * How many times this node's server was started, reset by its postmaster after a process was killed, or put back on
     * the network: a connection made before the latest is gone.
     */
    public int connectionEpoch() {
        return connectionEpoch;
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
        runtime.stop(mode);
        state = NodeState.STOPPED;
    }

    /** SIGKILL of the postmaster alone, as a crash would; returns when all its processes are gone. */
    public void kill9() {
        resumePausedProcess();
        if (state == NodeState.PAUSED) {
            resume();
        }
        requireState("kill -9", NodeState.RUNNING);
        runtime.crash();
        state = NodeState.KILLED;
    }

    /** SIGSTOP to every server process of this node, for a pause that {@link #resume()} ends. */
    public void pause() {
        requireState("pause", NodeState.RUNNING);
        pausedProcess = null; // stopped again with the rest, and resumed with it
        runtime.pause();
        state = NodeState.PAUSED;
    }

    public void resume() {
        requireState("resume", NodeState.PAUSED);
        runtime.resume();
        state = NodeState.RUNNING;
    }

    /** Takes the running server off the network, for a partition that {@link #reconnect()} ends. */
    public void isolate() {
        requireState("take off the network", NodeState.RUNNING);
        runtime.disconnect();
        state = NodeState.ISOLATED;
    }

    public void reconnect() {
        requireState("reconnect", NodeState.ISOLATED);
        runtime.reconnect();
        connectionEpoch++;
        state = NodeState.RUNNING;
    }

    public void restart() {
        stop(StopMode.FAST);
        start();
    }

    /**
     * Converts this standby into a subscriber of {@code publisher} with {@code pg_createsubscriber} (stopped for it, then
     * started again): no longer in recovery, a subscription {@code name} in the database {@code postgres}.
     */
    public void convertToSubscriber(Node publisher, String name) {
        stop(StopMode.FAST);
        runtime.createSubscriber(publisher.connectionString(DATABASE), DATABASE, name);
        start();
    }

    /** Sets {@code setting} in the stopped server's {@code postgresql.auto.conf}, as {@code ALTER SYSTEM} would have. */
    public void setWhileStopped(String setting, String value) {
        requireState("configure", NodeState.STOPPED, NodeState.KILLED);
        String kept = runtime.readFile(AUTO_CONF).orElse("").lines()
                .filter(line -> !line.strip().startsWith(setting + " ") && !line.strip().startsWith(setting + "="))
                .collect(Collectors.joining("\n"));
        runtime.writeFile(AUTO_CONF, kept + (kept.isEmpty() ? "" : "\n") + setting + " = '" + value.replace("'", "''") + "'\n");
    }

    /** Upgrades this primary with {@code pg_upgrade} into a fresh cluster of the same installation (stopped for it, then started). */
    public void upgradeInPlace() {
        stop(StopMode.FAST);
        runtime.upgradeInPlace();
        start();
    }

    /** Promotes a standby and waits until it has left recovery. */
    public void promote() {
        resumePausedProcess();
        if (runtime.madeBySlotcheck()) {
            // pg_promote(wait => true) polls every 100 ms; polling here is faster and bounded the same way
            execute("SELECT pg_promote(false)");
        } else {
            runtime.promote();
        }
        Waits.until(name + " to leave recovery after promotion", SERVER_BOUND, () -> !inRecovery());
        if (!runtime.madeBySlotcheck()) {
            readUpstreamSettings();
        }
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
            runtime.signal("TERM", List.of(pid));
            return;
        }
        runtime.killAndAwaitReset(pid, backendType);
        connectionEpoch++;
        Waits.until(name + " to accept connections after crash recovery", SERVER_BOUND, this::acceptsConnections);
    }

    /**
     * SIGUSR1 to this node's processes of {@code backendType}, if any runs: whatever else it may mean, it sets the
     * process's latch ({@code procsignal_sigusr1_handler()}), so a process napping on its latch does its next round now.
     * Processes slotcheck may not signal nap their full time.
     */
    public void wakeProcesses(List<String> backendTypes) {
        if (!runtime.madeBySlotcheck()) {
            return;
        }
        runtime.signal("USR1", queryRows("SELECT pid FROM pg_stat_activity WHERE backend_type IN ('" + String.join("', '", backendTypes) + "')")
                .stream().map(row -> Long.parseLong(row.get(0))).toList());
    }

    /** SIGSTOP of one process of this node, found by its {@code backend_type}; {@link #resumePausedProcess} ends it. */
    public void pauseProcess(String backendType) {
        requireState("pause a process of", NodeState.RUNNING);
        resumePausedProcess();
        long pid = processPid(backendType);
        runtime.signal("STOP", List.of(pid));
        pausedProcess = pid;
        runtime.awaitStopped(List.of(pid));
    }

    /** SIGCONT of the process {@link #pauseProcess} stopped, if any. */
    public void resumePausedProcess() {
        if (pausedProcess != null) {
            runtime.signal("CONT", List.of(pausedProcess));
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
        return runtime.serverPids();
    }

    /** {@code /proc/<pid>/<file>} of one of the server's processes (seen where it runs); empty once it is gone. */
    public Optional<String> processFile(long pid, String file) {
        return runtime.processFile(pid, file);
    }

    /** The postmaster of a node whose server runs on this machine. */
    ProcessHandle postmaster() {
        return ((LocalServer) runtime).postmaster();
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
        Runnable lastResort = runtime.lastResort(state);
        if (state == NodeState.RUNNING) {
            try {
                stop(StopMode.IMMEDIATE);
            } catch (RuntimeException e) {
                lastResort.run();
            }
        } else if (state == NodeState.KILLED) {
            // the restart's crash recovery frees what the killed server had registered, pinned segments included; a fast
            // stop, since an immediate one right after the start can catch a starting worker between creating a segment
            // and registering it (twice in 800 sequences, both with a killed subscriber restarted this way)
            try {
                start();
                stop(StopMode.FAST);
            } catch (RuntimeException e) {
                lastResort.run();
            }
        }
        runtime.releaseLeftovers();
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
        if (!runtime.madeBySlotcheck()) {
            return;
        }
        StringBuilder text = new StringBuilder("# written by slotcheck for node " + name + "\n");
        nodeSettings.forEach((k, v) -> text.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        runtime.writeFile(NODE_CONF, text.toString());
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
            return DriverManager.getConnection(jdbcUrl(port, database), connectionProperties());
        } catch (SQLException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not connect to " + name + " at " + runtime.clientHost() + ":" + port + ": "
                    + e.getMessage());
        }
    }

    /** Whether the server lets a client in now (not while it starts or runs crash recovery). */
    private boolean acceptsConnections() {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl(port(), DATABASE), connectionProperties())) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://" + runtime.clientHost() + ":" + port + "/" + database;
    }

    Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", runtime.clientUser());
        runtime.clientPassword().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "slotcheck");
        properties.setProperty("connectTimeout", "10");
        // a query on a paused server would otherwise hang forever
        properties.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        return properties;
    }

    public void execute(String... statements) {
        execute(connect(), statements);
    }

    /** Runs {@code statements} in one session connected to {@code database}. */
    public void executeIn(String database, String... statements) {
        execute(connect(database), statements);
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

    /**
     * How a {@linkplain #executeWatched watched statement} ended: {@code error} is the server's, none when it ran to its
     * end; {@code seenWaiting} when the server had shown it waiting, and it was cancelled or released for it.
     */
    public record Watched(Optional<NodeSqlException> error, boolean seenWaiting) {
    }

    /**
     * Runs {@code sql} in a session of its own under a statement_timeout of {@code bound}, cancelled sooner once seen
     * waiting on {@code waitEvent} for {@code seenFor} (a {@link WaitWatch}).
     */
    public Watched executeWatched(String sql, Duration bound, String waitEvent, Duration seenFor) {
        return executeWatched(DATABASE, sql, bound, waitEvent, seenFor);
    }

    /** As {@link #executeWatched(String, Duration, String, Duration)}, connected to {@code database}. */
    public Watched executeWatched(String database, String sql, Duration bound, String waitEvent, Duration seenFor) {
        return watched(database, sql, bound, waitEvent, seenFor, null);
    }

    /**
     * Runs {@code sql} in a session of its own, connected to {@code database}, under a statement_timeout of {@code bound}; once seen waiting on
     * {@code waitEvent} for {@code seenFor}, {@code release} runs in this node's own session, and the statement goes on.
     */
    public Watched executeReleased(String database, String sql, Duration bound, String waitEvent, Duration seenFor, Runnable release) {
        return watched(database, sql, bound, waitEvent, seenFor, release);
    }

    /** A watched statement, cancelled once seen waiting, or released by {@code release} where there is one. */
    private Watched watched(String database, String sql, Duration bound, String waitEvent, Duration seenFor, Runnable release) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = '" + bound.toMillis() + "ms'");
            return WaitWatch.run(this, statement, sql, waitEvent, seenFor, release == null ? statement::cancel : release::run);
        } catch (SQLException e) {
            return new Watched(Optional.of(new NodeSqlException(name, e)), false);
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
            ServerLog.Read read = log().readSince(scanned[0]);
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

    /**
     * On a standby: waits until {@code slot} is synced and ready for failover (synced, not temporary, valid), waking
     * the sync worker as {@link #wakingTheSyncWorker} does.
     */
    public void waitForSlotSyncReady(String slot, Duration bound) {
        waitForSlotSync("synced AND NOT temporary AND invalidation_reason IS NULL", slot, bound);
    }

    /**
     * Waits until the copy of {@code slot} here shows the configuration of {@code primary}'s slot of that name (plugin,
     * database, failover, two_phase, and two_phase_at where the version has it), waking the sync worker.
     */
    public void waitForCopyMirroring(String slot, Node primary, Duration bound) {
        String sql = "SELECT plugin, database, failover, two_phase, to_jsonb(s) ->> 'two_phase_at' FROM pg_replication_slots s"
                + " WHERE slot_name = '" + slot + "'";
        Waits.until(name + " to show the configuration of " + primary.name() + "'s slot " + slot, bound,
                wakingTheSyncWorker(() -> queryRows(sql)), copy -> !copy.isEmpty() && copy.equals(primary.queryRows(sql)));
    }

    /** Waits until the pg_failover_slots copy of {@code slot} is ready: made (it has a confirmed_flush_lsn) and inactive (the README's test). */
    public void waitForPgFailoverSlotsCopyReady(String slot, Duration bound) {
        waitForSlotSync("slot_type = 'logical' AND confirmed_flush_lsn IS NOT NULL AND NOT active", slot, bound);
    }

    private void waitForSlotSync(String condition, String slot, Duration bound) {
        String sql = "SELECT " + condition + " FROM pg_replication_slots WHERE slot_name = '" + slot + "'";
        Waits.until(name + " to answer 't' to: " + sql, bound, wakingTheSyncWorker(() -> queryValue(sql)), "t"::equals);
    }

    /** The processes that sync slots on a standby: the server's own worker, and pg_failover_slots' where the extension is loaded. */
    private static final List<String> SYNC_WORKERS = List.of(ServerProcess.SLOTSYNC_WORKER.backendType(), PgFailoverSlots.WORKER_BACKEND_TYPE);

    /** The worker's shortest nap (§1 item 21): waking it more often would only add cycles that find nothing new. */
    private static final Duration WORKER_WAKE_INTERVAL = Duration.ofMillis(200);

    /**
     * {@code probe}, with this node's slot sync worker woken before it at most every 200 ms: a worker that found nothing
     * new naps longer each time (up to 30 s), so a wait for its next cycle would be a wait for its nap.
     */
    public <T> Callable<T> wakingTheSyncWorker(Callable<T> probe) {
        long[] lastWake = {System.nanoTime() - WORKER_WAKE_INTERVAL.toNanos()};
        return () -> {
            if (System.nanoTime() - lastWake[0] >= WORKER_WAKE_INTERVAL.toNanos()) {
                wakeProcesses(SYNC_WORKERS);
                lastWake[0] = System.nanoTime();
            }
            return probe.call();
        };
    }

    public String waitForLog(Pattern pattern, long offset, Duration bound) {
        return log().waitFor(pattern, offset, bound);
    }

    // ---------------------------------------------------------------- copies

    /**
     * Takes a base backup of this running node with the low-level API into {@code standby}'s data directory (no
     * pg_basebackup needed): {@code pg_backup_start}, a copy without the excluded files, {@code pg_backup_stop}, and the
     * backup_label (and tablespace_map) it returns.
     */
    void backupInto(Node standby) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_backup_start('slotcheck', true)");
            runtime.copyForBaseBackup(standby.runtime);
            try (ResultSet rs = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                rs.next();
                standby.runtime.writeFile("backup_label", rs.getString(1));
                String tablespaceMap = rs.getString(2);
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    standby.runtime.writeFile("tablespace_map", tablespaceMap);
                }
            }
        } catch (SQLException e) {
            throw new NodeSqlException(name, e);
        }
    }

    /**
     * Starts this stopped (or killed) node as a standby of the server at {@code upstreamHost}:{@code upstreamPort} (its
     * upstream, or the relay of the link to it), streaming through the physical slot {@code slotName}, keeping its data and its slots: a
     * demoted primary rejoining, or a standby following a new primary.
     */
    void rejoin(String upstreamHost, int upstreamPort, String slotName) {
        requireState("rejoin", NodeState.STOPPED, NodeState.KILLED);
        followAsStandby(upstreamHost, upstreamPort, slotName);
        start();
    }

    /**
     * Starts this stopped (or killed) node, a server slotcheck did not make, as a standby of {@code upstream} streaming
     * through the physical slot {@code slotName}, by the cluster's own command (which may rewind it or copy it anew).
     */
    void rejoinByCommand(Node upstream, String slotName) {
        requireState("rejoin", NodeState.STOPPED, NodeState.KILLED);
        startedAtLogOffset = log().offset();
        runtime.rejoin(upstream.runtime, slotName);
        adoptRunning();
    }

    /** Whether the node starts (or runs) as a standby: its data directory has a standby.signal, which promotion removes. */
    public boolean isConfiguredAsStandby() {
        // of a server slotcheck did not make, its settings as last read (when adopted, promoted or rejoined) tell
        return runtime.madeBySlotcheck() ? runtime.exists("standby.signal") : nodeSettings.containsKey("primary_conninfo");
    }

    /** The port of the node this one streams from, as its {@code primary_conninfo} names it. */
    public Optional<Integer> upstreamPort() {
        return Optional.ofNullable(nodeSettings.get("primary_conninfo")).flatMap(NodeSnapshot::conninfoPort);
    }

    /** The host of the node this one streams from, as its {@code primary_conninfo} names it. */
    public Optional<String> upstreamHost() {
        return Optional.ofNullable(nodeSettings.get("primary_conninfo")).flatMap(NodeSnapshot::conninfoHost);
    }

    /** See {@link ServerRuntime#identityHost()}. */
    public Optional<String> identityHost() {
        return runtime.identityHost();
    }

    /** Rewrites {@code primary_conninfo} for the same upstream, with or without {@code dbname}, and reloads. */
    public void rewritePrimaryConninfo(boolean withDbname) {
        String withoutDbname = primaryConninfo().replaceAll("\\s*dbname=\\S+", "");
        applyPrimaryConninfo(withDbname ? withoutDbname + " dbname=" + DATABASE : withoutDbname);
    }

    /** primary_conninfo rewritten to connect as {@code user}, who needs no password, to {@code database}. */
    public void connectToPrimaryAs(String user, String database) {
        String others = primaryConninfo().replaceAll("\\s*(dbname|user|password)=('(\\\\.|[^'])*'|\\S+)", "");
        applyPrimaryConninfo(others + " user=" + user + " dbname=" + database);
    }

    private String primaryConninfo() {
        String current = nodeSettings.get("primary_conninfo");
        if (current == null) {
            throw new IllegalStateException(name + " has no primary_conninfo to rewrite: it was never made a standby");
        }
        return current;
    }

    private void applyPrimaryConninfo(String rewritten) {
        setNodeSetting("primary_conninfo", rewritten);
        writeNodeConf();
        execute("SELECT pg_reload_conf()");
        Waits.until(name + " to apply the rewritten primary_conninfo after reload", DEFAULT_BOUND,
                () -> queryValue("SELECT current_setting('primary_conninfo')").equals(rewritten));
    }

    /**
     * Makes this (stopped) node a standby of the server at {@code upstreamHost}:{@code upstreamPort} (its upstream, or
     * the relay of the link to it), streaming through the physical slot {@code slotName}.
     */
    void followAsStandby(String upstreamHost, int upstreamPort, String slotName) {
        setNodeSetting("primary_conninfo", connectionString(upstreamHost, upstreamPort, DATABASE) + " application_name=" + name);
        setNodeSetting("primary_slot_name", slotName);
        runtime.writeFile("standby.signal", "");
    }

    @Override
    public String toString() {
        return name + " (port " + port() + ", " + state.name().toLowerCase() + ")";
    }
}
