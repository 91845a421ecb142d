package io.slotcheck.harness.cluster;

/** A named wait did not reach its condition within its bound. The message says what, how long, and what was last seen. */
public class WaitTimeoutException extends RuntimeException {
    public WaitTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
