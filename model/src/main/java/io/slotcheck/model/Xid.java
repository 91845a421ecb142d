package io.slotcheck.model;

/**
 * A 32-bit transaction id, ordered as PostgreSQL orders normal xids ({@code TransactionIdPrecedes}):
 * modulo 2^32, so that "older" survives wraparound.
 */
public record Xid(long value) {

    public Xid {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a 32-bit xid: " + value);
        }
    }

    public boolean precedes(Xid other) {
        return (int) (value - other.value) < 0;
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
