package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A shell kept open in a container, as one account: a command costs a few milliseconds instead of the hundred or so of
 * an exec of its own (create, start, attach, inspect), which matters for what runs at every step, such as reading
 * server logs. One command at a time; each one's output goes to a file first, so that its length and exit status can
 * be told apart from the bytes themselves.
 */
final class ShellSession implements Closeable {

    private static final Duration COMMAND_BOUND = Duration.ofSeconds(60);
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final byte[] END_OF_STREAM = new byte[0];

    private final String description;
    private final Commands toShell;
    private final ResultCallback.Adapter<Frame> stream;
    private final BlockingQueue<byte[]> fromShell;
    private final String outputFile = "/dev/shm/slotcheck-shell-" + SESSIONS.incrementAndGet() + ".out";
    /** The frame being read, from {@link #pendingOffset} on. */
    private byte[] pending = new byte[0];
    private int pendingOffset;
    private boolean broken;

    private ShellSession(String description, Commands toShell, ResultCallback.Adapter<Frame> stream, BlockingQueue<byte[]> fromShell) {
        this.description = description;
        this.toShell = toShell;
        this.stream = stream;
        this.fromShell = fromShell;
    }

    /** A shell in {@code container} running as {@code user}. */
    static ShellSession open(DockerClient client, String container, String user) {
        Commands toShell = new Commands();
        String exec = client.execCreateCmd(container).withUser(user).withAttachStdin(true).withAttachStdout(true)
                .withAttachStderr(true).withCmd("sh").exec().getId();
        BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        ResultCallback.Adapter<Frame> stream = client.execStartCmd(exec).withStdIn(toShell).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                // the stream may reuse the payload's buffer for the next frame
                queue.add(frame.getPayload().clone());
            }

            @Override
            public void onComplete() {
                queue.add(END_OF_STREAM);
                super.onComplete();
            }

            @Override
            public void onError(Throwable throwable) {
                queue.add(END_OF_STREAM);
                super.onError(throwable);
            }
        });
        return new ShellSession("a shell as " + user + " in container " + container.substring(0, Math.min(12, container.length())),
                toShell, stream, queue);
    }

    /**
     * The shell's standard input: the command lines handed to it, in order. (Piped streams would end the shell's input
     * once a thread that wrote a command has ended.)
     */
    private static final class Commands extends InputStream {

        private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        private byte[] line = new byte[0];
        private int offset;

        void send(String commandLine) {
            lines.add(commandLine.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int from, int length) throws IOException {
            if (offset == line.length) {
                try {
                    line = lines.take();
                    offset = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                if (line == END_OF_STREAM) {
                    return -1;
                }
            }
            int count = Math.min(length, line.length - offset);
            System.arraycopy(line, offset, buffer, from, count);
            offset += count;
            return count;
        }

        @Override
        public void close() {
            lines.add(END_OF_STREAM);
        }
    }

    /** The exit status and output (stdout and stderr together) of {@code command}, its words quoted for the shell. */
    synchronized ContainerWorld.Result run(List<String> command) {
        if (broken) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, description + " ended; the container is gone or was restarted");
        }
        // the command's input is empty: one that read the shell's would swallow the command lines after it
        String line = "{ " + command.stream().map(ShellSession::quote).collect(Collectors.joining(" ")) + " ; } < /dev/null > " + outputFile
                + " 2>&1; echo \"$? $(wc -c < " + outputFile + ")\"; cat " + outputFile + "\n";
        try {
            toShell.send(line);
            String[] header = new String(readLine(), StandardCharsets.UTF_8).strip().split(" ");
            byte[] output = take(Integer.parseInt(header[1]));
            return new ContainerWorld.Result(Integer.parseInt(header[0]), output);
        } catch (RuntimeException e) {
            broken = true;
            throw e instanceof SlotcheckException diagnosed ? diagnosed : new SlotcheckException(ExitCode.CONTAINER_ENGINE,
                    description + " failed while running " + command.get(0) + ": " + e.getMessage());
        }
    }

    private byte[] readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (byte next = take(1)[0]; next != '\n'; next = take(1)[0]) {
            line.write(next);
        }
        return line.toByteArray();
    }

    /** The next {@code length} bytes of the shell's output, waiting for them up to {@link #COMMAND_BOUND}. */
    private byte[] take(int length) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(length);
        long deadline = System.nanoTime() + COMMAND_BOUND.toNanos();
        while (bytes.size() < length) {
            if (pendingOffset == pending.length) {
                try {
                    byte[] frame = fromShell.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (frame == null) {
                        throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, description + " did not answer within "
                                + COMMAND_BOUND.toSeconds() + " s");
                    }
                    if (frame == END_OF_STREAM) {
                        throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, description + " ended");
                    }
                    pending = frame;
                    pendingOffset = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while waiting for " + description);
                }
            }
            int taken = Math.min(length - bytes.size(), pending.length - pendingOffset);
            bytes.write(pending, pendingOffset, taken);
            pendingOffset += taken;
        }
        return bytes.toByteArray();
    }

    /** {@code word} in single quotes, as the shell reads it back. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() {
        broken = true;
        toShell.close();
        try {
            stream.close();
        } catch (IOException e) {
            // the container and its shell are going anyway
        }
    }
}
