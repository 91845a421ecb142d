package io.slotcheck.harness.external;

import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.server.BaseBackupLayout;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.ServerAccount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rejoin command of the test's external cluster, run by slotcheck as a shell command: it makes a stopped server a
 * standby of its upstream from a new copy of the upstream, as {@code pg_basebackup -X fetch} or pg_rewind would (the
 * embedded binaries have neither). The copy replaces the server's data, its slots included (pg_rewind empties
 * pg_replslot too); the server keeps its own per-node settings (its port).
 *
 * <p>Arguments: the data directory, pg_ctl, the log file, the upstream's host and port, the physical slot to stream
 * through, the server's name (its application_name), and optionally pg_ctl's options for the server ({@code -o}).
 */
public final class CloneAsStandby {

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String pgCtl = args[1];
        String log = args[2];
        String host = args[3];
        int port = Integer.parseInt(args[4]);
        String slot = args[5];
        String name = args[6];
        List<String> serverOptions = args.length > 7 ? List.of("-o", args[7]) : List.of();
        ServerAccount account = ServerAccount.forCurrentProcess();
        if (Files.exists(data.resolve("postmaster.pid"))) {
            // a killed server's files, or one still running: stopped for good first (an error when none runs)
            run(account, List.of(pgCtl, "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        }
        Optional<String> ownSettings = Files.exists(data.resolve(Node.NODE_CONF)) ? Optional.of(Files.readString(data.resolve(Node.NODE_CONF)))
                : Optional.empty();
        Path parent = data.getParent();
        try (Connection upstream = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + Node.DATABASE, Node.SUPERUSER, "");
             Statement statement = upstream.createStatement()) {
            Path source = Path.of(value(statement, "SELECT current_setting('data_directory')"));
            statement.execute("SELECT pg_backup_start('rejoin', true)");
            FileTrees.delete(data);
            BaseBackupLayout.copyLocally(source, data, Node.NODE_CONF, account);
            try (ResultSet stop = statement.executeQuery("SELECT labelfile FROM pg_backup_stop(false)")) {
                stop.next();
                write(account, data.resolve("backup_label"), stop.getString(1));
            }
            // the WAL from the backup's start to its end, so that the copy is consistent whether or not the slot exists
            try (Stream<Path> wal = Files.list(source.resolve("pg_wal"))) {
                for (Path file : wal.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, data.resolve("pg_wal").resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        if (ownSettings.isPresent()) {
            write(account, data.resolve(Node.NODE_CONF), ownSettings.get());
        }
        write(account, data.resolve("standby.signal"), "");
        Files.writeString(data.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=" + host + " port=" + port + " user=" + Node.SUPERUSER
                + " dbname=" + Node.DATABASE + " application_name=" + name + "'\nprimary_slot_name = '" + slot + "'\n", StandardOpenOption.APPEND);
        account.own(parent.resolve(data.getFileName()));
        List<String> start = new ArrayList<>(List.of(pgCtl, "-D", data.toString(), "-l", log));
        start.addAll(serverOptions);
        start.addAll(List.of("-w", "start"));
        run(account, start);
    }

    private static String value(Statement statement, String sql) throws java.sql.SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void write(ServerAccount account, Path file, String content) throws IOException {
        Files.writeString(file, content);
        account.own(file);
    }

    private static void run(ServerAccount account, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(account.command(command))).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            System.err.println(String.join(" ", command) + " exited " + exit);
            System.exit(exit);
        }
    }
}
