package io.slotcheck.harness.cli;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.external.ExternalConfig;
import io.slotcheck.harness.observe.ReadOnlyReader;
import io.slotcheck.model.json.Json;
import io.slotcheck.model.observation.NodeSnapshot;
import io.slotcheck.model.readiness.ClusterView;
import io.slotcheck.model.readiness.CopyVerdict;
import io.slotcheck.model.readiness.Finding;
import io.slotcheck.model.readiness.Readiness;
import io.slotcheck.model.readiness.Severity;
import io.slotcheck.model.readiness.Unread;
import io.slotcheck.model.readiness.Unreachable;
import io.slotcheck.model.version.VersionProfile;

import io.slotcheck.reports.AllureResults;
import io.slotcheck.reports.ReadinessResults;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./slotcheck doctor}: whether a live cluster's logical replication would survive a promotion now, and if not
 * why. Read-only: each session is read-only ({@code default_transaction_read_only}), reads only views and settings, and
 * runs no command of an {@code --external} file.
 */
final class Doctor {

    /** A server to read: the name findings give it, where it listens, and how to log in. */
    record Server(String name, Role role, String host, int port, String database, Properties login) {
        String address() {
            return host + ":" + port;
        }
    }

    enum Role { PRIMARY, STANDBY, SUBSCRIBER, EITHER }

    /** An assessment, with the primary's version as {@code version()} gives it up to " on " (its platform left out). */
    record Checked(Readiness.Assessment assessment, String version) {
    }

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://(\\[[0-9A-Fa-f:.]+\\]|[^/:?\\[\\]]+)(?::(\\d{1,5}))?(?:/([^?]*))?(?:\\?(.*))?");

    private Doctor() {
    }

    static int run(List<String> arguments, Function<String, String> environment, PrintStream out) {
        List<Server> servers = new ArrayList<>();
        boolean json = false;
        Path external = null;
        Path allure = null;
        Duration watch = null;
        Deque<String> queue = new ArrayDeque<>(arguments);
        while (!queue.isEmpty()) {
            String option = queue.poll();
            switch (option) {
                case "--primary" -> servers.add(server("primary", Role.PRIMARY, value(option, queue), environment));
                case "--standby" -> servers.add(server("standby" + (count(servers, Role.STANDBY) + 1), Role.STANDBY, value(option, queue), environment));
                case "--subscriber" -> servers.add(server("subscriber" + (count(servers, Role.SUBSCRIBER) + 1), Role.SUBSCRIBER,
                        value(option, queue), environment));
                case "--external" -> external = Path.of(value(option, queue));
                case "--json" -> json = true;
                case "--allure" -> allure = Path.of(value(option, queue));
                case "--watch" -> watch = Options.duration(option, value(option, queue));
                default -> throw Options.usage("doctor takes --primary URL --standby URL [--standby URL ...] [--subscriber URL ...],"
                        + " or --external CONFIG, and --json, --allure DIR, --watch INTERVAL; not '" + option + "'");
            }
        }
        if (external != null) {
            if (!servers.isEmpty()) {
                throw Options.usage("--external names the servers already: leave out --primary, --standby and --subscriber");
            }
            servers = fromExternal(ExternalConfig.read(external, environment));
        } else if (count(servers, Role.PRIMARY) != 1 || count(servers, Role.STANDBY) == 0) {
            throw Options.usage("doctor needs one --primary URL and at least one --standby URL (or --external CONFIG), e.g."
                    + " --primary postgresql://monitor@db1:5432/postgres --standby postgresql://monitor@db2:5432/postgres");
        }
        if (watch != null && (json || allure != null)) {
            throw Options.usage("--watch prints what changes, for a person: leave out --json and --allure");
        }
        Checked checked = assess(servers);
        if (allure != null) {
            writeAllure(allure, checked, servers);
        }
        int exit = print(checked, servers, json, out);
        if (watch == null) {
            return exit;
        }
        watch(servers, checked.assessment(), watch, out);
        return exit;
    }

    /** Re-checks every {@code interval} until interrupted, printing what changed, each line with its time. */
    private static void watch(List<Server> servers, Readiness.Assessment first, Duration interval, PrintStream out) {
        out.println();
        out.println("watching every " + interval.toSeconds() + " s (Ctrl-C ends it)");
        Readiness.Assessment last = first;
        while (true) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            Readiness.Assessment next;
            try {
                next = assess(servers).assessment();
            } catch (SlotcheckException failed) {
                // a failover under way: the primary gone, or the roles swapped; the watch goes on
                out.println(time + "  cannot check: " + failed.getMessage());
                continue;
            }
            Readiness.changes(last, next).forEach(change -> out.println(time + "  " + change));
            last = next;
        }
    }

    private static void writeAllure(Path directory, Checked checked, List<Server> servers) {
        AllureResults results;
        try {
            results = new AllureResults(directory);
        } catch (UncheckedIOException e) {
            throw new SlotcheckException(ExitCode.REPORT, "cannot write Allure results in " + directory + ": " + e.getCause().getMessage());
        }
        ReadinessResults.write(results, checked.assessment(), String.join(", ", servers.stream().filter(server -> server.role() != Role.SUBSCRIBER)
                .map(Server::address).toList()));
        results.addEnvironment(Map.of("doctor servers", String.join(", ", servers.stream().map(server -> server.name() + " "
                + server.address()).toList()), "doctor server version", checked.version()));
    }

    private static long count(List<Server> servers, Role role) {
        return servers.stream().filter(server -> server.role() == role).count();
    }

    private static String value(String option, Deque<String> queue) {
        String value = queue.poll();
        if (value == null || value.startsWith("--")) {
            throw Options.usage(option + " needs a value");
        }
        return value;
    }

    /** {@code postgresql://[user[:password]@]host[:port][/database][?parameters]}, the host a name, an address or [IPv6]. */
    private static final Pattern POSTGRES_URL = Pattern.compile("postgres(?:ql)?://(?:([^:@/?]*)(?::([^@/?]*))?@)?(\\[[0-9A-Fa-f:.]+\\]|[^:/?\\[\\]@]+)"
            + "(?::(\\d{1,5}))?(?:/([^?]*))?(?:\\?(.*))?");

    /**
     * A server from {@code postgresql://[user[:password]@]host[:port][/database][?parameters]}, {@code jdbc:postgresql://...}
     * or {@code host:port}; the parameters (sslmode, ...) go to the driver. The account defaults to PGUSER, else postgres,
     * and the password to PGPASSWORD.
     */
    static Server server(String name, Role role, String url, Function<String, String> environment) {
        Properties login = new Properties();
        String host;
        int port = 5432;
        String database = "postgres";
        Matcher jdbc = JDBC_URL.matcher(url);
        Matcher uri = POSTGRES_URL.matcher(url);
        if (jdbc.matches()) {
            host = jdbc.group(1);
            port = jdbc.group(2) == null ? port : Integer.parseInt(jdbc.group(2));
            database = jdbc.group(3) == null || jdbc.group(3).isEmpty() ? database : jdbc.group(3);
            parameters(jdbc.group(4), login);
        } else if (uri.matches()) {
            host = uri.group(3);
            port = uri.group(4) == null ? port : Integer.parseInt(uri.group(4));
            database = uri.group(5) == null || uri.group(5).isEmpty() ? database : decoded(uri.group(5));
            if (uri.group(1) != null && !uri.group(1).isEmpty()) {
                login.setProperty("user", decoded(uri.group(1)));
            }
            if (uri.group(2) != null) {
                login.setProperty("password", decoded(uri.group(2)));
            }
            parameters(uri.group(6), login);
        } else if (url.matches("[A-Za-z0-9._-]+:\\d{1,5}")) {
            host = url.substring(0, url.lastIndexOf(':'));
            port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        } else {
            throw badUrl(name, url);
        }
        if (port < 1 || port > 65535) {
            throw Options.usage("the " + name.replaceAll("\\d+$", "") + " '" + url + "' names port " + port + ": a port is 1 to 65535");
        }
        if (!login.containsKey("user")) {
            login.setProperty("user", environment.apply("PGUSER") == null ? "postgres" : environment.apply("PGUSER"));
        }
        if (!login.containsKey("password") && environment.apply("PGPASSWORD") != null) {
            login.setProperty("password", environment.apply("PGPASSWORD"));
        }
        return new Server(name, role, host, port, database, login);
    }

    /** A URL's {@code key=value&...} parameters, decoded, into {@code login}. */
    private static void parameters(String query, Properties login) {
        if (query == null) {
            return;
        }
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && !pair[0].isEmpty()) {
                login.setProperty(decoded(pair[0]), decoded(pair[1]));
            }
        }
    }

    private static String decoded(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static SlotcheckException badUrl(String name, String url) {
        return Options.usage("the " + name.replaceAll("\\d+$", "") + " '" + url + "' is not a URL such as postgresql://monitor@db1:5432/postgres,"
                + " jdbc:postgresql://db1:5432/postgres or db1:5432");
    }

    /** The servers of an --external file, which of them is the primary found by asking each. */
    private static List<Server> fromExternal(ExternalConfig config) {
        List<Server> servers = new ArrayList<>();
        Properties login = new Properties();
        login.setProperty("user", config.user());
        config.password().ifPresent(password -> login.setProperty("password", password));
        config.servers().forEach((name, address) -> servers.add(new Server(name, Role.EITHER, address.host(), address.port(), "postgres", login)));
        config.subscriber().ifPresent(address -> servers.add(new Server(ExternalConfig.SUBSCRIBER, Role.SUBSCRIBER, address.host(),
                address.port(), "postgres", login)));
        return servers;
    }

    static Checked assess(List<Server> servers) {
        Map<Server, ReadOnlyReader.Reading> readings = new LinkedHashMap<>();
        List<Unreachable> unreachable = new ArrayList<>();
        // the primary first: a standby read before it could show less WAL than a slot the primary moved meanwhile
        List<Server> primaryFirst = new ArrayList<>(servers);
        primaryFirst.sort(Comparator.comparing(server -> server.role() != Role.PRIMARY));
        for (Server server : primaryFirst) {
            try {
                readings.put(server, read(server));
            } catch (SlotcheckException silent) {
                // without the primary there is nothing to judge; another server that does not answer is a finding
                if (server.role() == Role.PRIMARY) {
                    throw silent;
                }
                unreachable.add(new Unreachable(server.name(), server.address(), server.role() != Role.SUBSCRIBER, silent.getMessage()));
            }
        }
        // an --external file does not say which is the primary: once found, the others are read again, after it
        Optional<Server> foundPrimary = readings.entrySet().stream().filter(entry -> entry.getKey().role() == Role.EITHER
                && !entry.getValue().snapshot().inRecovery()).map(Map.Entry::getKey).findFirst();
        foundPrimary.ifPresent(primaryServer -> readings.replaceAll((server, reading) -> server.equals(primaryServer) ? reading
                : readAgain(server, reading)));
        List<NodeSnapshot> primaries = new ArrayList<>();
        List<NodeSnapshot> standbys = new ArrayList<>();
        List<NodeSnapshot> subscribers = new ArrayList<>();
        readings.forEach((server, reading) -> {
            NodeSnapshot snapshot = reading.snapshot();
            if (server.role() == Role.SUBSCRIBER) {
                subscribers.add(snapshot);
                return;
            }
            if (server.role() != Role.EITHER && (server.role() == Role.STANDBY) != snapshot.inRecovery()) {
                throw new SlotcheckException(ExitCode.SERVER, "the server given as --" + server.role().name().toLowerCase() + " ("
                        + server.address() + ") is " + (snapshot.inRecovery() ? "in recovery, a standby" : "not in recovery, a primary")
                        + ": the roles changed? give each server's role as it is now");
            }
            (snapshot.inRecovery() ? standbys : primaries).add(snapshot);
        });
        if (primaries.size() != 1) {
            throw new SlotcheckException(ExitCode.SERVER, primaries.isEmpty() ? "no server that answered is a primary: "
                    + unreachable.stream().filter(Unreachable::standby).findFirst().map(Unreachable::why).orElse("all are in recovery")
                    : primaries.stream().map(NodeSnapshot::node).toList() + " are all primaries (not in recovery): promote one, demote the others");
        }
        NodeSnapshot primary = primaries.get(0);
        ClusterView view = new ClusterView(primary, standbys, subscribers,
                readings.values().stream().flatMap(reading -> reading.configFiles().stream()).toList(),
                readings.values().stream().filter(reading -> reading.snapshot() == primary).flatMap(reading -> reading.heldConsumers().stream()).toList(),
                readings.values().stream().flatMap(reading -> reading.unread().stream()).toList(), unreachable);
        String version = primary.serverVersion();
        VersionProfile profile = VersionProfile.of(version);
        if (!profile.hasFailoverSlots()) {
            throw new SlotcheckException(ExitCode.NO_FAILOVER_SLOTS, "the primary runs " + profile.version() + ", which has no failover slots"
                    + " (they came with PostgreSQL 17): the doctor judges those, not the copies of the pg_failover_slots extension");
        }
        return new Checked(Readiness.assess(view, profile), version.contains(" on ") ? version.substring(0,
                version.indexOf(" on ")) : version);
    }

    /** The server read again; the first reading if it no longer answers. */
    private static ReadOnlyReader.Reading readAgain(Server server, ReadOnlyReader.Reading first) {
        try {
            return read(server);
        } catch (SlotcheckException silent) {
            return first;
        }
    }

    private static ReadOnlyReader.Reading read(Server server) {
        Properties properties = new Properties();
        properties.putAll(server.login());
        properties.setProperty("ApplicationName", "slotcheck doctor");
        properties.setProperty("options", "-c default_transaction_read_only=on");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        String url = "jdbc:postgresql://" + server.address() + "/" + server.database();
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            connection.setReadOnly(true);
            return ReadOnlyReader.read(server.name(), server.host(), connection);
        } catch (SQLException e) {
            throw new SlotcheckException(ExitCode.SERVER, "cannot read the " + server.name() + " at " + server.address() + " as "
                    + server.login().getProperty("user") + ": " + e.getMessage().lines().findFirst().orElse("") + " (check the URL, the account"
                    + " and that the server runs)");
        }
    }

    // ---- output

    private static int print(Checked checked, List<Server> servers, boolean json, PrintStream out) {
        if (json) {
            out.println(Json.write(asJson(checked, servers)));
        } else {
            printTable(checked, servers, out, System.console() != null);
        }
        return checked.assessment().ready() ? ExitCode.OK.code() : ExitCode.VIOLATION.code();
    }

    static Map<String, Object> asJson(Checked checked, List<Server> servers) {
        Readiness.Assessment assessment = checked.assessment();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ready", assessment.ready());
        root.put("server_version", checked.version());
        Map<String, Object> nodes = new LinkedHashMap<>();
        servers.forEach(server -> nodes.put(server.name(), server.address()));
        root.put("servers", nodes);
        root.put("findings", assessment.findings().stream().map(finding -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("severity", finding.severity().label());
            entry.put("rule", finding.rule().id());
            entry.put("basis", finding.rule().basis());
            entry.put("node", finding.node());
            entry.put("problem", finding.problem());
            entry.put("evidence", finding.evidence());
            entry.put("fix", finding.fix());
            return entry;
        }).toList());
        root.put("copies", assessment.copies().stream().map(copy -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("slot", copy.slot());
            entry.put("standby", copy.standby());
            entry.put("survives_promotion", copy.survives());
            entry.put("slot_confirmed_flush_lsn", String.valueOf(copy.slotPosition()));
            entry.put("copy_confirmed_flush_lsn", copy.copyPosition() == null ? null : copy.copyPosition().toString());
            entry.put("bytes_behind", copy.bytesBehind());
            entry.put("standby_replay_lag_ms", copy.standbyLagMillis());
            entry.put("reasons", copy.reasons());
            return entry;
        }).toList());
        root.put("unread", assessment.unread().stream().map(unread -> Map.of("node", unread.node(), "what", unread.what(), "why", unread.why()))
                .toList());
        return root;
    }

    private static void printTable(Checked checked, List<Server> servers, PrintStream out, boolean colour) {
        Readiness.Assessment assessment = checked.assessment();
        out.println(checked.version() + "; servers: " + String.join(", ", servers.stream().map(server -> server.name() + " " + server.address()).toList()));
        long blocking = assessment.findings().stream().filter(finding -> finding.severity().notReady()).count();
        out.println(assessment.ready() ? paint(colour, "32", "READY") + ": a promotion of a standby now keeps every failover slot"
                : paint(colour, "31", "NOT READY") + ": " + blocking + " finding(s) block a failover or lose data");
        out.println();
        if (assessment.copies().isEmpty()) {
            out.println("failover slots: the primary has none (only slots made with failover = true are synced to standbys)");
        } else {
            out.printf("%-28s %-14s %-18s %-18s %12s %11s  %s%n", "failover slot", "standby", "confirmed_flush", "copy at", "bytes behind",
                    "standby lag", "survives a promotion now");
            for (CopyVerdict copy : assessment.copies()) {
                out.printf("%-28s %-14s %-18s %-18s %12s %11s  %s%n", copy.slot(), copy.standby(), copy.slotPosition(),
                        copy.copyPosition() == null ? "-" : copy.copyPosition(), copy.bytesBehind() == null ? "-" : copy.bytesBehind(),
                        copy.standbyLagMillis() == null ? "-" : copy.standbyLagMillis() + " ms",
                        copy.survives() ? paint(colour, "32", "yes") : paint(colour, "31", "no") + ": " + String.join("; ", copy.reasons()));
            }
        }
        for (Finding finding : assessment.findings()) {
            out.println();
            out.println(paint(colour, finding.severity().notReady() ? "31" : finding.severity() == Severity.DEGRADES ? "33" : "36",
                    finding.severity().label().toUpperCase()) + "  " + finding.node() + "  " + finding.rule().id());
            out.println("  " + finding.problem());
            finding.evidence().forEach(line -> out.println("  | " + line));
            out.println("  fix: " + finding.fix());
            out.println("  rule: " + finding.rule().basis());
        }
        if (!assessment.unread().isEmpty()) {
            out.println();
            out.println("not read (the rules that need it were not applied):");
            for (Unread unread : assessment.unread()) {
                out.println("  " + unread.node() + ": " + unread.what() + ": " + unread.why());
            }
        }
    }

    private static String paint(boolean colour, String code, String text) {
        return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
