package io.slotcheck.harness.cluster;

import io.slotcheck.model.Lsn;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A walsender session ({@code replication=database}): replication commands such as
 * {@code CREATE_REPLICATION_SLOT ... (FAILOVER)} and {@code ALTER_REPLICATION_SLOT}, and logical streaming
 * whose acknowledgements are sent only when the caller says so — as a subscriber would, including an older
 * position after a reconnect.
 */
public final class ReplicationSession implements AutoCloseable {

    private final Node owner;
    private final String node;
    private final Connection connection;

    private ReplicationSession(Node owner, Connection connection) {
        this.owner = owner;
        this.node = owner.name();
        this.connection = connection;
    }

    static ReplicationSession open(Node node) {
        Properties properties = node.connectionProperties();
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        try {
            return new ReplicationSession(node, DriverManager.getConnection(node.jdbcUrl(node.port(), Node.DATABASE), properties));
        } catch (SQLException e) {
            throw new NodeSqlException(node.name(), e);
        }
    }

    /** Options of {@code CREATE_REPLICATION_SLOT ... LOGICAL}. */
    public record SlotOptions(boolean temporary, boolean twoPhase, boolean failover) {
        public static final SlotOptions FAILOVER = new SlotOptions(false, false, true);
    }

    /** {@code CREATE_REPLICATION_SLOT}; returns the slot's consistent point. */
    public Lsn createLogicalSlot(String slot, String plugin, SlotOptions options) {
        List<String> flags = new ArrayList<>();
        if (options.twoPhase()) {
            flags.add("TWO_PHASE true");
        }
        if (options.failover()) {
            flags.add("FAILOVER true");
        }
        String command = "CREATE_REPLICATION_SLOT " + slot + (options.temporary() ? " TEMPORARY" : "") + " LOGICAL " + plugin
                + (flags.isEmpty() ? "" : " (" + String.join(", ", flags) + ")");
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(command)) {
            rs.next();
            return Lsn.parse(rs.getString("consistent_point"));
        } catch (SQLException e) {
            throw new NodeSqlException(node, e);
        }
    }

    /** {@code CREATE_REPLICATION_SLOT slot PHYSICAL (RESERVE_WAL[, FAILOVER])}. */
    public void createPhysicalSlot(String slot, boolean failover) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE_REPLICATION_SLOT " + slot + " PHYSICAL (RESERVE_WAL" + (failover ? ", FAILOVER" : "") + ")");
        } catch (SQLException e) {
            throw new NodeSqlException(node, e);
        }
    }

    /**
     * {@code ALTER_REPLICATION_SLOT slot (FAILOVER true|false)}, cancelled after {@code bound}: the command waits for a
     * slot another process holds, and statement_timeout does not end that wait (seen on 17.11 and 18.6), a cancel does;
     * cancelled sooner once seen waiting on {@code waitEvent} for {@code seenFor}.
     */
    public Node.Watched alterSlotFailover(String slot, boolean failover, Duration bound, String waitEvent, Duration seenFor) {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(Math.toIntExact(bound.toSeconds()));
            return WaitWatch.run(owner, statement, "ALTER_REPLICATION_SLOT " + slot + " (FAILOVER " + failover + ")", waitEvent, seenFor, statement::cancel);
        } catch (SQLException e) {
            return new Node.Watched(Optional.of(new NodeSqlException(node, e)), false);
        }
    }

    /** {@code START_REPLICATION SLOT slot LOGICAL from}: changes flow until the stream is closed. */
    public LogicalStream startLogical(String slot, Lsn from, Map<String, String> pluginOptions) {
        try {
            ChainedLogicalStreamBuilder builder = connection.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName(slot)
                    .withStartPosition(LogSequenceNumber.valueOf(from.value()))
                    // acknowledgements go out when the caller asks, not on a timer
                    .withStatusInterval(1, TimeUnit.HOURS);
            pluginOptions.forEach(builder::withSlotOption);
            return new LogicalStream(builder.start());
        } catch (SQLException e) {
            throw new NodeSqlException(node, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a broken session: nothing left to release
        }
    }

    /** One decoded change as the output plugin sent it, with the WAL position it was sent at. */
    public record Change(Lsn lsn, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** A running logical stream. */
    public final class LogicalStream implements AutoCloseable {

        private final PGReplicationStream stream;

        private LogicalStream(PGReplicationStream stream) {
            this.stream = stream;
        }

        /** Reads changes until {@code count} have arrived, waiting at most {@code bound}. */
        public List<Change> receive(int count, Duration bound) {
            List<Change> changes = new ArrayList<>();
            Waits.until(count + " changes from slot stream on " + node, bound, () -> {
                ByteBuffer buffer;
                while (changes.size() < count && (buffer = stream.readPending()) != null) {
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data, 0, data.length);
                    changes.add(new Change(new Lsn(stream.getLastReceiveLSN().asLong()), data));
                }
                return changes.size();
            }, received -> received >= count);
            return changes;
        }

        /**
         * Reads what arrives until the stream has reached {@code target} (with changes, or the walsender's keepalives),
         * for at most {@code bound}; returns how far it got, which is less when the server held changes back.
         */
        public Lsn readUpTo(Lsn target, Duration bound) {
            try {
                Waits.until("stream from " + node + " to reach " + target, bound, () -> {
                    while (stream.readPending() != null) {
                        // the changes themselves are not needed, only how far they reach
                    }
                    return new Lsn(stream.getLastReceiveLSN().asLong());
                }, reached -> !reached.isBefore(target));
            } catch (WaitTimeoutException e) {
                // held back (a standby barrier, WAL not yet replayed): what arrived is what the consumer has
            }
            return new Lsn(stream.getLastReceiveLSN().asLong());
        }

        /** Tells the server everything up to {@code lsn} is flushed and applied, so the slot may advance. */
        public void acknowledge(Lsn lsn) {
            try {
                stream.setFlushedLSN(LogSequenceNumber.valueOf(lsn.value()));
                stream.setAppliedLSN(LogSequenceNumber.valueOf(lsn.value()));
                stream.forceUpdateStatus();
            } catch (SQLException e) {
                throw new NodeSqlException(node, e);
            }
        }

        @Override
        public void close() {
            try {
                stream.close();
            } catch (SQLException e) {
                // the walsender is gone already
            }
        }
    }
}
