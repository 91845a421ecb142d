package io.slotcheck.harness.external;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.model.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A pair a test started, handed over as another tool would hand over its cluster: the {@code --external} file naming
 * its servers by URL, with pg_ctl commands run as the servers' account and {@link CloneAsStandby} to rejoin.
 */
public final class ExternalClusterFile {

    private ExternalClusterFile() {
    }

    /** pg_ctl's options for db2 on a host of its own with db1's port (%d). */
    static final String SHARED_PORT_OPTIONS = "'-p %d -c listen_addresses=127.0.0.2'";

    static String pgCtl() {
        return Clusters.embedded("17").installation().orElseThrow().bin("pg_ctl").toString();
    }

    /** pg_ctl's start of {@code node}'s server as its account, with {@code options} for the server. */
    static List<String> startCommand(Node node, Optional<String> options) {
        List<String> start = new ArrayList<>(List.of(pgCtl(), "-D", node.dataDirectory().toString(), "-l",
                node.dataDirectory().resolveSibling("external.log").toString()));
        options.ifPresent(serverOptions -> start.addAll(List.of("-o", serverOptions)));
        start.addAll(List.of("-w", "start"));
        return ServerAccount.forCurrentProcess().command(start);
    }


    /**
     * The configuration another tool would write for {@code pair}, whose servers it calls db1 and db2: their URLs, pg_ctl
     * commands run as the servers' account, one per server, and {@link CloneAsStandby} (in a JVM of its own) to rejoin;
     * written to {@code directory}, with the log of the partition commands ({@code partitions.log}).
     */
    public static Path write(Path directory, String name, Cluster pair, boolean allowDestructive, Optional<Node> subscriber, boolean sharedPort)
            throws IOException {
        streamDirectly(pair);
        ServerAccount account = ServerAccount.forCurrentProcess();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, List<String>> commands = new TreeMap<>();
        // db1 and db2 the pair, further standbys by their node names
        Map<String, Node> servers = new TreeMap<>();
        pair.nodes().stream().filter(node -> subscriber.filter(node::equals).isEmpty())
                .forEach(node -> servers.put(node == pair.primary() ? "db1" : node == pair.standby() ? "db2" : node.name(), node));
        Map<String, String> urls = new TreeMap<>(servers.keySet().stream().collect(Collectors.toMap(server -> server,
                server -> "jdbc:postgresql://127.0.0.1:" + servers.get(server).port() + "/postgres")));
        if (sharedPort) {
            urls.put("db2", "jdbc:postgresql://127.0.0.2:" + pair.primary().port() + "/postgres");
        }
        subscriber.ifPresent(node -> servers.put("subscriber", node));
        servers.forEach((server, node) -> {
            String data = node.dataDirectory().toString();
            String log = node.dataDirectory().resolveSibling("external.log").toString();
            Optional<String> options = Optional.of(SHARED_PORT_OPTIONS.formatted(pair.primary().port())).filter(o -> sharedPort && server.equals("db2"));
            List<String> rejoin = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), CloneAsStandby.class.getName(), data,
                    pgCtl(), log, "{upstream_host}", "{upstream_port}", "{slot}", "{server}"));
            options.ifPresent(rejoin::add);
            Map<String, List<String>> verbs = Map.of(
                    "stop", account.command(List.of(pgCtl(), "-D", data, "-m", "fast", "-w", "stop")),
                    "kill", account.command(List.of(pgCtl(), "-D", data, "-m", "immediate", "-w", "stop")),
                    "start", startCommand(node, options),
                    "promote", account.command(List.of(pgCtl(), "-D", data, "-w", "promote")),
                    "rejoin", rejoin);
            // the subscriber is stopped, started and killed, never promoted or rejoined
            verbs.entrySet().stream().filter(verb -> !server.equals("subscriber") || !Set.of("promote", "rejoin").contains(verb.getKey()))
                    .forEach(verb -> commands.computeIfAbsent(verb.getKey(), v -> new ArrayList<>())
                            .add(Json.write(server) + ": " + Json.write(String.join(" ", verb.getValue()))));
        });
        Path config = directory.resolve(name);
        // the partition commands only say what they were asked: what they do to the network is the user's command's
        Path partitions = directory.resolve("partitions.log");
        StringBuilder perServer = new StringBuilder();
        commands.forEach((verb, entries) -> perServer.append("\"").append(verb).append("\": {").append(String.join(", ", entries)).append("}, "));
        Files.writeString(config, """
                {
                  "servers": %s,%s
                  "user": "postgres",
                  "commands": {%s"partition": "echo partition {how} >> %s", "heal": "echo heal >> %s"},
                  "allow_destructive": %s
                }
                """.formatted(Json.write(urls),
                subscriber.map(node -> "\n  \"subscriber\": \"jdbc:postgresql://127.0.0.1:" + node.port() + "\",").orElse(""), perServer,
                partitions, partitions, allowDestructive));
        return config;
    }

    /** The standbys streaming from the primary's own port, as in a cluster slotcheck did not make (not through its relays). */
    private static void streamDirectly(Cluster pair) {
        for (Node standby : pair.nodes().stream().filter(node -> node != pair.primary() && node.inRecovery()).toList()) {
            String conninfo = standby.queryValue("SELECT current_setting('primary_conninfo')")
                    .replaceFirst("port=\\d+", "port=" + pair.primary().port());
            standby.execute("ALTER SYSTEM SET primary_conninfo = '" + conninfo + "'", "SELECT pg_reload_conf()");
            standby.pollQueryUntil("SELECT sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'", Integer.toString(pair.primary().port()),
                    Duration.ofSeconds(30));
        }
    }
}
