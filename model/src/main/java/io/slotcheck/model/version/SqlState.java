package io.slotcheck.model.version;

/** The SQLSTATEs (errcodes.txt) of the errors the model predicts. */
final class SqlState {

    static final String FEATURE_NOT_SUPPORTED = "0A000";
    static final String INVALID_PARAMETER_VALUE = "22023";
    static final String UNDEFINED_OBJECT = "42704";
    static final String SYNTAX_ERROR = "42601";
    static final String UNDEFINED_DATABASE = "3D000";
    static final String DUPLICATE_OBJECT = "42710";
    static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    static final String OBJECT_IN_USE = "55006";
    static final String QUERY_CANCELED = "57014";
    static final String CONNECTION_FAILURE = "08006";
    /** {@code errmsg_internal} without an errcode. */
    static final String INTERNAL_ERROR = "XX000";
    /** A line a server process logs; no statement fails with it. */
    static final String LOGGED = null;

    private SqlState() {
    }
}
