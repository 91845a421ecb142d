package io.slotcheck.model.history;

/** How an operation ended: Jepsen's ok / fail / info. */
public sealed interface Outcome {

    record Ok() implements Outcome {
    }

    /** The server refused: its SQLSTATE and primary message. */
    record Failed(String sqlState, String message) implements Outcome {
    }

    /** Not known whether it took effect (a timeout, a connection lost mid-call): neither success nor failure. */
    record Unknown(String reason) implements Outcome {
    }

    static Outcome ok() {
        return new Ok();
    }
}
