package io.slotcheck.harness;

/**
 * A failure the user can act on. The message is one line that says what happened and what to do;
 * the command line prints it as it is, with no stack trace, and exits with {@link #exitCode()}.
 */
public class SlotcheckException extends RuntimeException {

    private final ExitCode exitCode;

    public SlotcheckException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SlotcheckException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
