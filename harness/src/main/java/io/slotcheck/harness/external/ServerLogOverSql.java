package io.slotcheck.harness.external;

import io.slotcheck.harness.cluster.ServerLog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * The log of a server slotcheck did not make, read over SQL: the file its logging collector writes now
 * ({@code pg_current_logfile()}), by {@code pg_stat_file} and {@code pg_read_binary_file} (a superuser may). A server
 * without the collector, or one that cannot be reached, shows an empty log. When the collector moves to a new file,
 * offsets go on counting from the end of the old one, so that nothing is read twice.
 */
final class ServerLogOverSql implements ServerLog.Source {

    private final String url;
    private final Properties credentials;
    private final String node;
    /** The file read last, and how many bytes came before it (in the files the collector left since slotcheck began). */
    private String file;
    private long before;
    private long fileSize;

    ServerLogOverSql(String url, Properties credentials, String node) {
        this.url = url;
        this.credentials = credentials;
        this.node = node;
    }

    @Override
    public synchronized long size() {
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            refresh(connection);
        } catch (SQLException e) {
            // a server that is down: its log shows nothing new
        }
        return before + fileSize;
    }

    /** The bytes from {@code offset} on, read in the same session that finds the current file and its size. */
    @Override
    public synchronized byte[] readFrom(long offset) {
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            refresh(connection);
            long inFile = Math.max(0, offset - before);
            if (file == null || inFile >= fileSize) {
                return new byte[0];
            }
            try (PreparedStatement read = connection.prepareStatement("SELECT pg_read_binary_file(?, ?, ?)")) {
                read.setString(1, file);
                read.setLong(2, inFile);
                read.setLong(3, fileSize - inFile);
                try (ResultSet rs = read.executeQuery()) {
                    return rs.next() && rs.getBytes(1) != null ? rs.getBytes(1) : new byte[0];
                }
            }
        } catch (SQLException e) {
            // a server that is down, or lets this account read no file: its log shows nothing new
            return new byte[0];
        }
    }

    /** Reads which file the collector writes now, and its size (none without a collector). */
    private void refresh(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT f, (pg_stat_file(f)).size FROM pg_current_logfile() AS f WHERE f IS NOT NULL")) {
            if (!rs.next()) {
                return;
            }
            String current = rs.getString(1);
            if (file != null && !file.equals(current)) {
                before += fileSize;
            }
            file = current;
            fileSize = rs.getLong(2);
        }
    }

    /** Unreadable when the collector writes no file, or the account may not read it: then histories hold no line of it. */
    @Override
    public synchronized Optional<String> unreadable() {
        try (Connection connection = DriverManager.getConnection(url, credentials);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_current_logfile()")) {
            if (!rs.next() || rs.getString(1) == null) {
                return Optional.of(node + " has no logging collector writing a file to read (logging_collector = off)");
            }
            try (ResultSet read = statement.executeQuery("SELECT pg_read_binary_file(pg_current_logfile(), 0, 0)")) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.of(node + "'s log could not be read over SQL: " + e.getMessage());
        }
    }

    @Override
    public String location() {
        return file == null ? "the log of " + node + " (not readable: no logging collector, or no right to read it)"
                : "the log of " + node + ", " + file + " in its data directory";
    }
}
