package io.slotcheck.harness.cluster;

/** pg_ctl's shutdown modes, by the signal each sends to the postmaster. */
public enum StopMode {
    /** Waits for clients to disconnect (SIGTERM). */
    SMART("TERM"),
    /** Disconnects clients, checkpoints (SIGINT): a clean shutdown. */
    FAST("INT"),
    /** Exits without a checkpoint (SIGQUIT): recovery runs at the next start, as after a crash. */
    IMMEDIATE("QUIT");

    final String signal;

    StopMode(String signal) {
        this.signal = signal;
    }

    /** The signal's name without {@code SIG}: {@code TERM}, {@code INT}, {@code QUIT}. */
    public String signal() {
        return signal;
    }
}
