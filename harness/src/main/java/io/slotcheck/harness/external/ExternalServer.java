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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final String server;
    private final ExternalConfig.Address address;
    private final String url;
    private final Properties credentials = new Properties();
    private final ServerLog log;

    /** The server the configuration names {@code server}. */
    ExternalServer(ExternalConfig config, String server) {
        this.config = config;
        this.server = server;
        this.address = config.address(server);
        this.url = "jdbc:postgresql://" + address + "/" + Node.DATABASE;
        credentials.setProperty("user", config.user());
        config.password().ifPresent(password -> credentials.setProperty("password", password));
        credentials.setProperty("ApplicationName", "slotcheck");
        credentials.setProperty("connectTimeout", "10");
        credentials.setProperty("socketTimeout", "60");
        this.log = new ServerLog(new ServerLogOverSql(url, credentials, server));
    }

    /** The name the configuration gives the server. */
    String name() {
        return server;
    }

    int port() {
        return address.port();
    }

    /**
     * The first column of the first row of {@code sql} (null when none), in a session of its own: what slotcheck asks a
     * server before it knows which node it is, or when it is no node of the sequence's (the subscriber, before it is added).
     */
    String queryValue(String sql) {
        List<List<String>> rows = queryRows(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Every row of {@code sql}, each column as text, as {@link #queryValue}. */
    List<List<String>> queryRows(String sql) {
        try (Connection connection = DriverManager.getConnection(url, credentials); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> all = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.add(rows.getString(column));
                }
                all.add(row);
            }
            return all;
        } catch (SQLException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not ask " + server + " at " + address + ": " + e.getMessage());
        }
    }

    /** Runs {@code statements} in a session of their own, each its own transaction. */
    void execute(String... statements) {
        try (Connection connection = DriverManager.getConnection(url, credentials); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not tidy " + server + " at " + address + ": " + e.getMessage());
        }
    }

    /** Whether the server runs as a primary now (out of recovery), asked as {@link #queryValue}. */
    boolean isPrimary() {
        return "f".equals(queryValue("SELECT pg_is_in_recovery()"));
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
    public Optional<String> identityHost() {
        return Optional.of(address.host());
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
        Waits.until(server + " to accept connections after its start command", COMMAND_BOUND, this::listening);
    }

    @Override
    public void promote() {
        run(Verb.PROMOTE, Map.of());
    }

    /** The rejoin command, told the upstream's name, address and the slot: it must leave the server started. */
    @Override
    public void rejoin(ServerRuntime upstream, String slot) {
        ExternalServer to = (ExternalServer) upstream;
        run(Verb.REJOIN, Map.of("{upstream_server}", to.server, "{upstream_host}", to.address.host(), "{upstream_port}",
                Integer.toString(to.address.port()), "{slot}", slot));
        Waits.until(server + " to accept connections after its rejoin command", COMMAND_BOUND, this::listening);
    }

    @Override
    public void stop(StopMode mode) {
        run(mode == StopMode.IMMEDIATE && config.command(Verb.KILL, server).isPresent() ? Verb.KILL : Verb.STOP);
        awaitDown();
    }

    @Override
    public void crash() {
        run(Verb.KILL);
        awaitDown();
    }

    private void awaitDown() {
        Waits.until(server + " to stop listening after the command", COMMAND_BOUND, () -> !listening());
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
            run(Verb.HEAL, Map.of());
        } else {
            run(Verb.PARTITION, Map.of("{how}", how.name().toLowerCase()));
        }
    }

    private void run(Verb verb) {
        run(verb, Map.of());
    }

    /**
     * Runs the configuration's command for {@code verb} on this server with sh, {@code {server}}, {@code {host}},
     * {@code {port}} and the verb's own {@code placeholders} filled in; it must exit 0 within the bound.
     */
    private void run(Verb verb, Map<String, String> placeholders) {
        String command = config.command(verb, server).orElseThrow(() -> new SlotcheckException(ExitCode.USAGE,
                "slotcheck may not '" + verb.key() + "' " + server + ": " + config.withheld(verb).orElse("no command")));
        Map<String, String> values = new LinkedHashMap<>(placeholders);
        values.putAll(Map.of("{server}", server, "{host}", address.host(), "{port}", Integer.toString(address.port())));
        String filled = command;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace(value.getKey(), value.getValue());
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", filled).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(COMMAND_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SlotcheckException(ExitCode.SERVER, "the '" + verb.key() + "' command of " + server + " did not end within "
                        + COMMAND_BOUND.toSeconds() + " s: " + filled);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new SlotcheckException(ExitCode.SERVER, "the '" + verb.key() + "' command of " + server + " exited " + process.exitValue()
                        + ": " + filled + (output.isEmpty() ? "" : " — " + output.lines().reduce((first, last) -> last).orElse("")));
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not run the '" + verb.key() + "' command of " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while the '" + verb.key() + "' command of " + server + " ran");
        }
    }

    // what only a server slotcheck made allows: never asked of this one, whose operations are left out of campaigns

    private UnsupportedOperationException notOurs(String what) {
        return new UnsupportedOperationException(what + " of " + server + ", a server slotcheck did not make");
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
