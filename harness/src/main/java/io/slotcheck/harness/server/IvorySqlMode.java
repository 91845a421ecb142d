package io.slotcheck.harness.server;

import java.util.Locale;
import java.util.Optional;

/**
 * IvorySQL's initdb mode ({@code -m}): plain PostgreSQL, or Oracle compatibility (its default), in which the server
 * opens a second listener on {@code ivorysql.port} whose sessions parse Oracle SQL (spec/ivorysql.md §2).
 */
public enum IvorySqlMode {
    PG,
    ORACLE;

    /** The value initdb's {@code -m} and the command line's {@code --ivorysql-mode} take. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IvorySqlMode> parse(String value) {
        for (IvorySqlMode mode : values()) {
            if (mode.value().equals(value)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
