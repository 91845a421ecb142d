package io.slotcheck.harness.cluster;

import java.sql.SQLException;

/**
 * A statement a node refused: carries the SQLSTATE and the server's message, which conformance checks compare
 * with the documented errors.
 */
public class NodeSqlException extends RuntimeException {

    private final String node;
    private final String sqlState;
    private final String serverMessage;

    public NodeSqlException(String node, SQLException cause) {
        super(node + ": " + cause.getMessage(), cause);
        this.node = node;
        this.sqlState = cause.getSQLState();
        this.serverMessage = cause instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage() : cause.getMessage();
    }

    public String node() {
        return node;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The primary message text alone, without "ERROR:" or detail. */
    public String serverMessage() {
        return serverMessage;
    }
}
