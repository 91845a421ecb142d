package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs external commands with a bound, their output going to a file (never a pipe: pg_ctl start hangs on one). */
public final class Processes {

    private Processes() {
    }

    /** Runs {@code command}, appending its output to {@code output}; returns the exit status. */
    public static int run(List<String> command, Path output, Duration bound) {
        return run(command, null, output, bound);
    }

    /** Runs {@code command} in {@code workingDirectory} ({@code null}: this process's), appending its output to {@code output}. */
    public static int run(List<String> command, Path workingDirectory, Path output, Duration bound) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(workingDirectory == null ? null : workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not run " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new SlotcheckException(ExitCode.SERVER, String.join(" ", command) + " did not finish within "
                        + bound.toSeconds() + " s; its output is in " + output);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.SERVER, "interrupted while running " + command.get(0));
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, {@code QUIT}, ...) to processes that may belong to another account. */
    public static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a process still runs. An exited process whose parent has not reaped it yet (a zombie) does not:
     * servers started by pg_ctl are reparented to PID 1, which may take a second or more to reap them.
     */
    public static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && state(process.pid()).filter(state -> state != 'Z' && state != 'X').isPresent();
    }

    /**
     * Whether a process is stopped by SIGSTOP, or has exited. A stop takes effect only when the process next runs, so
     * a pause waits for this.
     */
    public static boolean isStoppedOrGone(long pid) {
        return state(pid).filter(state -> state != 'T' && state != 'Z' && state != 'X').isEmpty();
    }

    /** The process state letter of {@code /proc/<pid>/stat} (R, S, D, T, Z, ...); empty once the process is gone. */
    public static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (IOException | IndexOutOfBoundsException gone) {
            return Optional.empty();
        }
    }

    /** The last lines of a command's output file, to quote in an error message. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size())).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
