package io.slotcheck.harness.external;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.LinkRelay;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.NodeState;
import io.slotcheck.harness.cluster.ServerLog;
import io.slotcheck.harness.cluster.ServerRuntime;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.external.ExternalConfig.Verb;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A server of a cluster slotcheck did not make: reached over the network at its configured address, started, stopped
 * and killed by the commands of the configuration, and nothing else (its files, processes and log are not slotcheck's).
 */
final class ExternalServer implements ServerRuntime {

    /** How long a command, and the server's answer to it (accepting connections, or no longer), may take. */
    private static final Duration COMMAND_BOUND = Duration.ofSeconds(120);

    private final ExternalConfig config;
    private final String node;
    private final ExternalConfig.Address address;
    private final ServerLog log;

    ExternalServer(ExternalConfig config, String node) {
        this.config = config;
        this.node = node;
        this.address = config.nodes().get(node);
        Properties credentials = new Properties();
        credentials.setProperty("user", config.user());
        config.password().ifPresent(password -> credentials.setProperty("password", password));
        credentials.setProperty("connectTimeout", "10");
        credentials.setProperty("socketTimeout", "60");
        this.log = new ServerLog(new ServerLogOverSql("jdbc:postgresql://" + address + "/" + Node.DATABASE, credentials, node));
    }

    @Override
    public ServerLog log() {
        return log;
    }

    @Override
    public String peerHost() {
        return address.host();
    }

    @Override
    public String clientHost() {
        return address.host();
    }

    @Override
    public String clientUser() {
        return config.user();
    }

    @Override
    public Optional<String> clientPassword() {
        return config.password();
    }

    @Override
    public boolean madeBySlotcheck() {
        return false;
    }

    @Override
    public void start(long logOffset) {
        run(Verb.START);
        Waits.until(node + " to accept connections after its start command", COMMAND_BOUND, this::listening);
    }

    @Override
    public void stop(StopMode mode) {
        run(mode == StopMode.IMMEDIATE && config.command(Verb.KILL, node).isPresent() ? Verb.KILL : Verb.STOP);
        awaitDown();
    }

    @Override
    public void crash() {
        run(Verb.KILL);
        awaitDown();
    }

    private void awaitDown() {
        Waits.until(node + " to stop listening after the command", COMMAND_BOUND, () -> !listening());
    }

    /** Whether something accepts connections at the server's address. */
    boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The partition command ({@code how}: blackhole or refuse), or the heal command for {@link LinkRelay.Cut#NONE}. */
    @Override
    public void cutUpstreamLink(LinkRelay.Cut how) {
        if (how == LinkRelay.Cut.NONE) {
            run(Verb.HEAL, "");
        } else {
            run(Verb.PARTITION, how.name().toLowerCase());
        }
    }

    private void run(Verb verb) {
        run(verb, "");
    }

    /** Runs the configuration's command for {@code verb} on this node with sh; it must exit 0 within the bound. */
    private void run(Verb verb, String how) {
        String command = config.command(verb, node).orElseThrow(() -> new SlotcheckException(ExitCode.USAGE,
                "slotcheck may not '" + verb.key() + "' " + node + ": " + config.withheld(verb).orElse("no command")));
        String filled = command.replace("{node}", node).replace("{host}", address.host()).replace("{port}", Integer.toString(address.port()))
                .replace("{how}", how);
        try {
            Process process = new ProcessBuilder("sh", "-c", filled).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(COMMAND_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SlotcheckException(ExitCode.SERVER, "the '" + verb.key() + "' command of " + node + " did not end within "
                        + COMMAND_BOUND.toSeconds() + " s: " + filled);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new SlotcheckException(ExitCode.SERVER, "the '" + verb.key() + "' command of " + node + " exited " + process.exitValue()
                        + ": " + filled + (output.isEmpty() ? "" : " — " + output.lines().reduce((first, last) -> last).orElse("")));
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not run the '" + verb.key() + "' command of " + node + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while the '" + verb.key() + "' command of " + node + " ran");
        }
    }

    // what only a server slotcheck made allows: never asked of this one, whose operations are left out of campaigns

    private UnsupportedOperationException notOurs(String what) {
        return new UnsupportedOperationException(what + " of " + node + ", a server slotcheck did not make");
    }

    @Override
    public void writeFile(String relative, String content) {
        throw notOurs("writing " + relative);
    }

    @Override
    public boolean exists(String relative) {
        throw notOurs("reading " + relative);
    }

    /** Nothing: its files are not slotcheck's to read (a violation's evidence then holds no configuration files). */
    @Override
    public Optional<String> readFile(String relative) {
        return Optional.empty();
    }

    @Override
    public void copyForBaseBackup(ServerRuntime target) {
        throw notOurs("copying the data directory");
    }

    @Override
    public void pause() {
        throw notOurs("pausing the processes");
    }

    @Override
    public void resume() {
        throw notOurs("resuming the processes");
    }

    @Override
    public void signal(String signal, List<Long> pids) {
        throw notOurs("signalling a process");
    }

    @Override
    public void awaitStopped(List<Long> pids) {
        throw notOurs("watching a process");
    }

    @Override
    public void killAndAwaitReset(long pid, String what) {
        throw notOurs("killing a process");
    }

    @Override
    public List<Long> serverPids() {
        throw notOurs("listing the processes");
    }

    @Override
    public Optional<String> processFile(long pid, String file) {
        throw notOurs("reading a process's files");
    }

    @Override
    public void disconnect() {
        throw notOurs("taking off the network");
    }

    @Override
    public void reconnect() {
        throw notOurs("putting back on the network");
    }

    @Override
    public Runnable lastResort(NodeState state) {
        return () -> { };
    }

    @Override
    public void releaseLeftovers() {
        // nothing of the server is slotcheck's to release
    }
}
