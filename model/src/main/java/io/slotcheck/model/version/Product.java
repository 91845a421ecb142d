package io.slotcheck.model.version;

/** Which code base a server is built from: it decides where to look up behaviour, not the behaviour itself. */
public enum Product {
    POSTGRESQL,
    /** IvorySQL: 4.x is PostgreSQL 17, 5.x is PostgreSQL 18, with no changes to replication (spec/ivorysql.md §1). */
    IVORYSQL
}
