package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.model.operation.PgFailoverSlots;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ready-made data directories for one installation, built once and cloned for every cluster:
 * {@code base} (a fresh initdb with slotcheck's settings), and a stopped {@code primary}/{@code standby1}
 * pair in which the standby was made from a base backup of the primary, has streamed through the physical
 * slot {@code standby1} and is consistent — so a new pair needs two copies and two starts, no backup.
 */
public final class ClusterTemplate {

    public static final String STANDBY_SLOT = "standby1";
    private static final String READY = ".ready";

    /** Settings of every node; per-node ones (port, upstream) come from slotcheck-node.conf, included last. */
    public static final String SETTINGS = """

            # ---- slotcheck: settings of every node ----
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            wal_level = logical
            max_wal_senders = 10
            max_replication_slots = 10
            hot_standby = on
            hot_standby_feedback = on
            wal_receiver_status_interval = 1s
            # a fast shutdown waits for its walsenders to hear from their standbys: a paused one is given up on after 10 s, not 60
            wal_sender_timeout = 10s
            wal_retrieve_retry_interval = 1s
            max_connections = 40
            # the workload prepares transactions; a standby needs at least its primary's number of them
            max_prepared_transactions = 10
            shared_buffers = 32MB
            # data is thrown away after each cluster; durability across OS crashes is not under test
            fsync = off
            # WAL that no commit flushes (pg_log_standby_snapshot) reaches the standby within 10 ms instead of 200
            wal_writer_delay = 10ms
            # catalogs are vacuumed by explicit operations only, so that a replay repeats what the history says
            autovacuum = off
            log_line_prefix = '%m [%p] %b: '
            log_replication_commands = on
            include_if_exists = '""" + Node.NODE_CONF + "'\n";

    private final Path directory;
    private final PgInstallation installation;

    private ClusterTemplate(Path directory, PgInstallation installation) {
        this.directory = directory;
        this.installation = installation;
    }

    Path base() {
        return directory.resolve("base").resolve("data");
    }

    Path primary() {
        return directory.resolve("primary").resolve("data");
    }

    Path standby() {
        return directory.resolve(STANDBY_SLOT).resolve("data");
    }

    /** The template for {@code installation}, building it first if no run has yet (safe across parallel JVMs). */
    public static ClusterTemplate ensure(WorkArea area, PgInstallation installation) {
        if (installation.major() < 15) {
            throw new SlotcheckException(ExitCode.BINARIES, "PostgreSQL " + installation.version()
                    + " is too old: slotcheck needs 15 or later (failover slots need 17)");
        }
        // a template made with other settings is not this one
        String key = installation.version() + "-" + Integer.toHexString((installation.home() + SETTINGS + installation.initdbModeArguments()
                + installation.slotSync()).hashCode());
        Path dir = area.templates().resolve(key);
        ClusterTemplate template = new ClusterTemplate(dir, installation);
        if (Files.exists(dir.resolve(READY))) {
            return template;
        }
        try {
            Path lockFile = area.templates().resolve(key + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.exists(dir.resolve(READY))) {
                    FileTrees.delete(dir);
                    Path staging = Files.createTempDirectory(area.templates(), key + ".staging-");
                    try {
                        build(staging, installation, area.account());
                        Files.writeString(staging.resolve(READY), installation.home() + "\n");
                        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        if (Files.exists(staging)) {
                            WorkArea.stopServersUnder(staging);
                            FileTrees.delete(staging);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not build the cluster template in " + dir + " ("
                    + e.getMessage() + "): free disk space or choose another --work-dir");
        }
        return template;
    }

    private static void build(Path staging, PgInstallation installation, ServerAccount account) throws IOException {
        account.own(staging);
        Path baseNode = Files.createDirectory(staging.resolve("base"));
        account.own(baseNode);
        initdb(installation, account, baseNode.resolve("data"), staging.resolve("initdb.out"));
        Files.writeString(baseNode.resolve("data").resolve("postgresql.conf"), SETTINGS, StandardOpenOption.APPEND);
        if (installation.slotSync() == SlotSyncMechanism.PG_FAILOVER_SLOTS) {
            String preloaded = effectiveSetting(installation, account, baseNode.resolve("data"), "shared_preload_libraries", staging);
            Files.writeString(baseNode.resolve("data").resolve("postgresql.conf"), pgFailoverSlotsSettings(preloaded), StandardOpenOption.APPEND);
        }

        Node primary = templateNode(staging, "primary", installation, account);
        copyDataDirectory(baseNode.resolve("data"), primary.dataDirectory());
        primary.start();
        primary.execute("SELECT pg_create_physical_replication_slot('" + STANDBY_SLOT + "', true)");
        Node standby = templateNode(staging, STANDBY_SLOT, installation, account);
        primary.backupInto(standby);
        standby.followAsStandby(primary.runtime().peerHost(), primary.port(), STANDBY_SLOT);
        standby.start();
        primary.waitForStreaming(standby);
        primary.waitForCatchup(standby);
        // the primary first: a fast shutdown sends its last WAL to the standby before exiting
        primary.stop(StopMode.FAST);
        standby.stop(StopMode.FAST);
        for (Path node : List.of(baseNode, primary.dataDirectory().getParent(), standby.dataDirectory().getParent())) {
            Files.deleteIfExists(node.resolve("server.log"));
            Files.deleteIfExists(node.resolve("pg_ctl.out"));
            Files.deleteIfExists(node.resolve("data").resolve(Node.NODE_CONF));
        }
    }

    /** A new data directory {@code data} as slotcheck's clusters have them: its superuser, trusted, UTF8, locale C. */
    static void initdb(PgInstallation installation, ServerAccount account, Path data, Path output) {
        List<String> initdb = new ArrayList<>(List.of(installation.bin("initdb").toString(), "-D", data.toString(),
                "-U", Node.SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        initdb.addAll(installation.initdbModeArguments());
        int status = Processes.run(account.command(initdb), output, Duration.ofMinutes(5));
        if (status != 0) {
            throw new SlotcheckException(ExitCode.SERVER, "initdb failed for PostgreSQL " + installation.version() + ": "
                    + Processes.tail(output, 3));
        }
    }

    /**
     * The settings that make the pg_failover_slots extension keep the standbys' copies: loaded on every node (IvorySQL's
     * own libraries stay loaded: its Oracle mode needs them), and a worker that naps one second between cycles, not 60.
     * Which slots it copies and which standbys it waits for are left at its defaults (all, none), for operations to set.
     */
    static String pgFailoverSlotsSettings(String preloaded) {
        String libraries = preloaded.isBlank() ? "pg_failover_slots" : preloaded + ", pg_failover_slots";
        return "\n# ---- slotcheck: the pg_failover_slots extension keeps the standbys' copies ----\n"
                + "shared_preload_libraries = '" + libraries + "'\n"
                + PgFailoverSlots.WORKER_NAP_TIME + " = 1000\n";
    }

    /** What {@code postgres -C} says {@code setting} is in {@code dataDirectory}'s configuration files. */
    private static String effectiveSetting(PgInstallation installation, ServerAccount account, Path dataDirectory, String setting, Path staging)
            throws IOException {
        Path output = staging.resolve("postgres-C.out");
        int status = Processes.run(account.command(List.of(installation.bin("postgres").toString(), "-D", dataDirectory.toString(), "-C", setting)),
                output, Duration.ofMinutes(1));
        if (status != 0) {
            throw new SlotcheckException(ExitCode.SERVER, "postgres -C " + setting + " failed for " + installation.describe() + ": "
                    + Processes.tail(output, 3));
        }
        // the value is the last line: the account switch may say something before it
        List<String> lines = Files.readAllLines(output).stream().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    private static Node templateNode(Path staging, String name, PgInstallation installation, ServerAccount account) throws IOException {
        int port = FreePorts.next();
        return new Node(name, new LocalServer(name, nodeDirectory(staging, name, account), port, installation, account), port, Map.of(),
                installation.oracleMode() ? Optional.of(FreePorts.next()) : Optional.empty());
    }

    static Path nodeDirectory(Path parent, String name, ServerAccount account) throws IOException {
        Path dir = Files.createDirectory(parent.resolve(name));
        account.own(dir);
        return dir;
    }

    /** {@code cp -a}: keeps owners and modes, and is about twice as fast here as a Java tree copy. */
    static void copyDataDirectory(Path from, Path to) {
        Path output = to.getParent().resolve("copy.out");
        int status = Processes.run(List.of("cp", "-a", from.toString(), to.toString()), output, Duration.ofMinutes(2));
        if (status != 0) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not copy " + from + " to " + to + ": "
                    + Processes.tail(output, 2) + "; free disk space or choose another --work-dir");
        }
        try {
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // an empty leftover file in the node directory is harmless
        }
    }

    public PgInstallation installation() {
        return installation;
    }
}
