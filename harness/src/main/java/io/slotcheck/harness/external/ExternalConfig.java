package io.slotcheck.harness.external;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.model.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster slotcheck did not make, as its {@code --external} file describes it (JSON; see docs/external-clusters.md):
 * the JDBC URLs of its servers (one the primary, the others its standbys, whichever is which when a sequence begins), the account to connect as (the password only from the environment), and the shell commands slotcheck
 * may run for the verbs it cannot do over SQL. Commands of destructive verbs are run only when {@code allow_destructive}
 * is true.
 *
 * @param servers          per server of the pair, by the name the file gives it: where it listens
 * @param subscriber       where the subscriber listens, if the file names one: a server of its own, not of the pair
 * @param user             the account to connect as (a superuser, for slot functions and ALTER SYSTEM)
 * @param password         the password, read from the environment variable the file names; empty: none
 * @param commands         per verb ({@link Verb}), per server: the shell command
 * @param allowDestructive whether commands of destructive verbs may run
 */
public record ExternalConfig(Path file, Map<String, Address> servers, Optional<Address> subscriber, String user, Optional<String> password,
                             Map<Verb, Map<String, String>> commands, boolean allowDestructive) {

    /** The name of the subscriber in commands (an object of one command per server, and {@code {server}}). */
    public static final String SUBSCRIBER = "subscriber";

    /** A server's address, from its JDBC URL. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** What slotcheck may ask a shell command to do to one server. */
    public enum Verb {
        /** A clean (fast) stop. */
        STOP(true, false),
        START(false, false),
        /** An immediate stop or a kill of the postmaster: a crash. */
        KILL(true, false),
        /**
         * Cut the standby's replication link to the primary, both servers running: {@code {how}} is {@code blackhole}
         * (packets dropped) or {@code refuse} (connections rejected).
         */
        PARTITION(true, true),
        /** Mend what PARTITION cut. */
        HEAL(false, true),
        /** Promote the standby, and nothing else (the old primary runs on, as after {@code pg_ctl promote}). */
        PROMOTE(true, true),
        /**
         * Make the stopped server a standby of {@code {upstream_host}:{upstream_port}} streaming through the physical slot
         * {@code {slot}}, and start it: with its data (standby.signal and primary_conninfo), rewound (pg_rewind), or from a
         * new base backup.
         */
        REJOIN(true, true);

        private final boolean destructive;
        /** Whether it is done only to the primary and the standby, never to the subscriber. */
        private final boolean pairOnly;

        Verb(boolean destructive, boolean pairOnly) {
            this.destructive = destructive;
            this.pairOnly = pairOnly;
        }

        public boolean destructive() {
            return destructive;
        }

        public String key() {
            return name().toLowerCase();
        }
    }

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?\\[\\]]+):(\\d+)(?:/([^?]*))?(?:\\?.*)?");
    private static final Pattern SERVER_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> KEYS = Set.of("servers", "subscriber", "user", "user_env", "password_env", "commands", "allow_destructive");

    /** Reads {@code file}; {@code environment} gives the variables it names. Every mistake is one line of what to fix. */
    public static ExternalConfig read(Path file, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw wrong(file, "cannot be read: there is no such file");
        } catch (IOException e) {
            throw wrong(file, "cannot be read: " + e.getMessage());
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw wrong(file, "is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw wrong(file, "must hold a JSON object");
        }
        for (Object key : root.keySet()) {
            if (!KEYS.contains(key)) {
                throw wrong(file, "has no setting '" + key + "': the settings are " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        Map<String, Address> servers = servers(file, root.get("servers"));
        Optional<Address> subscriber = optionalText(file, root, SUBSCRIBER).map(url -> address(file, SUBSCRIBER, url));
        if (subscriber.isPresent() && servers.containsValue(subscriber.get())) {
            throw wrong(file, "names " + subscriber.get() + " for the subscriber and a server of the pair: give each server's own URL");
        }
        Set<String> named = new java.util.TreeSet<>(servers.keySet());
        subscriber.ifPresent(address -> named.add(SUBSCRIBER));
        String user = root.containsKey("user_env") ? variable(file, environment, text(file, root, "user_env")) : optionalText(file, root, "user")
                .orElse(Node.SUPERUSER);
        Optional<String> password = root.containsKey("password_env")
                ? Optional.of(variable(file, environment, text(file, root, "password_env"))) : Optional.empty();
        Object destructive = root.containsKey("allow_destructive") ? root.get("allow_destructive") : Boolean.FALSE;
        if (!(destructive instanceof Boolean allow)) {
            throw wrong(file, "says allow_destructive: " + destructive + ", which is neither true nor false");
        }
        return new ExternalConfig(file, servers, subscriber, user, password, commands(file, root.get("commands"), named), allow);
    }

    /** The command that does {@code verb} to {@code server}, if the file gives one and may run it. */
    public Optional<String> command(Verb verb, String server) {
        if (verb.destructive() && !allowDestructive) {
            return Optional.empty();
        }
        return Optional.ofNullable(commands.getOrDefault(verb, Map.of()).get(server));
    }

    /** Why the file does not let slotcheck do {@code verb} to every server it is done to, if it does not. */
    public Optional<String> withheld(Verb verb) {
        List<String> doneTo = new ArrayList<>(servers.keySet());
        if (subscriber.isPresent() && !verb.pairOnly) {
            doneTo.add(SUBSCRIBER);
        }
        if (doneTo.stream().allMatch(server -> commands.getOrDefault(verb, Map.of()).containsKey(server))) {
            return verb.destructive() && !allowDestructive
                    ? Optional.of("'" + verb.key() + "' is destructive and " + file.getFileName() + " does not allow_destructive") : Optional.empty();
        }
        return Optional.of(file.getFileName() + " gives no '" + verb.key() + "' command for " + String.join(" and ", doneTo));
    }

    /** Where the server the file names {@code server} listens: one of the pair, or the subscriber. */
    public Address address(String server) {
        return server.equals(SUBSCRIBER) ? subscriber.orElseThrow() : servers.get(server);
    }

    /** {@code "servers": {"db1": "jdbc:postgresql://...", "db2": "..."}}: the primary and its standbys, each at an address of its own. */
    private static Map<String, Address> servers(Path file, Object servers) {
        if (!(servers instanceof Map<?, ?> map) || map.size() < 2) {
            throw wrong(file, "must name its servers, the primary and its standbys: \"servers\": {\"db1\": \"jdbc:postgresql://db1:5432/postgres\","
                    + " \"db2\": \"jdbc:postgresql://db2:5432/postgres\"}");
        }
        Map<String, Address> addresses = new LinkedHashMap<>();
        for (Map.Entry<?, ?> server : map.entrySet()) {
            String name = (String) server.getKey();
            if (!SERVER_NAME.matcher(name).matches() || name.equals(SUBSCRIBER)) {
                throw wrong(file, "names a server '" + name + "': use lower case letters, digits and underscores (and not '" + SUBSCRIBER
                        + "', the subscriber's name)");
            }
            if (!(server.getValue() instanceof String url)) {
                throw wrong(file, "gives the server " + name + " as " + server.getValue() + ", not as a URL");
            }
            addresses.put(name, address(file, name, url));
        }
        if (new java.util.HashSet<>(addresses.values()).size() < addresses.size()) {
            throw wrong(file, "names one address for two servers: give each server's own URL");
        }
        return Collections.unmodifiableMap(addresses);
    }

    private static Address address(Path file, String server, String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw wrong(file, "names the server " + server + " by '" + url + "', not a URL such as jdbc:postgresql://db1.example.com:5432/postgres");
        }
        if (m.group(3) != null && !m.group(3).isEmpty() && !m.group(3).equals(Node.DATABASE)) {
            throw wrong(file, "names the database " + m.group(3) + " for the server " + server + ": slotcheck's workload lives in " + Node.DATABASE
                    + ", name it or none");
        }
        return new Address(m.group(1), Integer.parseInt(m.group(2)));
    }

    /**
     * {@code "commands": {"stop": "...", ...}}: a verb's command is one string for every server, with {@code {server}},
     * {@code {host}} and {@code {port}} filled in, or an object of one command per server.
     */
    private static Map<Verb, Map<String, String>> commands(Path file, Object commands, Set<String> servers) {
        Map<Verb, Map<String, String>> byVerb = new LinkedHashMap<>();
        if (commands == null) {
            return byVerb;
        }
        if (!(commands instanceof Map<?, ?> map)) {
            throw wrong(file, "gives commands that are not an object of verb to command");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Verb verb = Arrays.stream(Verb.values()).filter(v -> v.key().equals(entry.getKey())).findFirst()
                    .orElseThrow(() -> wrong(file, "gives a command for '" + entry.getKey() + "': the verbs are "
                            + String.join(", ", Arrays.stream(Verb.values()).map(Verb::key).toList())));
            Map<String, String> byServer = new LinkedHashMap<>();
            if (entry.getValue() instanceof String template) {
                servers.forEach(server -> byServer.put(server, template));
            } else if (entry.getValue() instanceof Map<?, ?> perServer) {
                for (Map.Entry<?, ?> command : perServer.entrySet()) {
                    if (!servers.contains(command.getKey()) || !(command.getValue() instanceof String text)) {
                        throw wrong(file, "gives '" + verb.key() + "' for '" + command.getKey() + "': name " + String.join(" and ", servers)
                                + ", each with a command");
                    }
                    byServer.put((String) command.getKey(), text);
                }
            } else {
                throw wrong(file, "gives '" + verb.key() + "' as neither a command nor an object of one command per server");
            }
            byVerb.put(verb, Map.copyOf(byServer));
        }
        return Map.copyOf(byVerb);
    }

    private static String text(Path file, Map<?, ?> root, String key) {
        return optionalText(file, root, key).orElseThrow(() -> wrong(file, "has no " + key + ": add \"" + key + "\": \"...\""));
    }

    private static Optional<String> optionalText(Path file, Map<?, ?> root, String key) {
        Object value = root.get(key);
        if (value != null && !(value instanceof String)) {
            throw wrong(file, "gives " + key + " as " + value + ", not as a string");
        }
        return Optional.ofNullable((String) value);
    }

    private static String variable(Path file, Function<String, String> environment, String name) {
        String value = environment.apply(name);
        if (value == null) {
            throw wrong(file, "takes a credential from the environment variable " + name + ", which is not set: export it");
        }
        return value;
    }

    private static SlotcheckException wrong(Path file, String what) {
        return new SlotcheckException(ExitCode.EXTERNAL_CONFIG, file + " " + what);
    }
}
