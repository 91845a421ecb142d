package io.slotcheck.model;

/**
 * A WAL position, as PostgreSQL prints it ({@code 0/3003F28}; PG19 pads the low word to 8 digits).
 * Ordered like {@code pg_lsn}: as an unsigned 64-bit number.
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** {@code 0/0}, PostgreSQL's InvalidXLogRecPtr: "from where the slot stands" to {@code START_REPLICATION}. */
    public static final Lsn INVALID = new Lsn(0);

    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: '" + text + "'");
        }
        long high = Long.parseUnsignedLong(text.substring(0, slash), 16);
        long low = Long.parseUnsignedLong(text.substring(slash + 1), 16);
        if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not an LSN: '" + text + "'");
        }
        return new Lsn(high << 32 | low);
    }

    /** {@code null} for SQL NULL, as for a slot that has not reserved WAL. */
    public static Lsn parseNullable(String text) {
        return text == null ? null : parse(text);
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
