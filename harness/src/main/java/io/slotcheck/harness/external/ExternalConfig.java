package io.slotcheck.harness.external;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.model.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
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
 * the JDBC URLs of its primary and standby, the account to connect as (the password only from the environment), and the
 * shell commands slotcheck may run for the verbs it cannot do over SQL. Commands of destructive verbs are run only
 * when {@code allow_destructive} is true.
 *
 * @param nodes            per node ({@code primary}, {@code standby1}): where it listens
 * @param user             the account to connect as (a superuser, for slot functions and ALTER SYSTEM)
 * @param password         the password, read from the environment variable the file names; empty: none
 * @param commands         per verb ({@link Verb}), per node: the shell command
 * @param allowDestructive whether commands of destructive verbs may run
 */
public record ExternalConfig(Path file, Map<String, Address> nodes, String user, Optional<String> password,
                             Map<Verb, Map<String, String>> commands, boolean allowDestructive) {

    /** The nodes of the model's pair, as slotcheck names them. */
    public static final List<String> NODES = List.of("primary", "standby1");

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
        STOP(true, NODES),
        START(false, NODES),
        /** An immediate stop or a kill of the postmaster: a crash. */
        KILL(true, NODES),
        /**
         * Cut the standby's replication link to the primary, both servers running: {@code {how}} is {@code blackhole}
         * (packets dropped) or {@code refuse} (connections rejected).
         */
        PARTITION(true, List.of("standby1")),
        /** Mend what PARTITION cut. */
        HEAL(false, List.of("standby1"));

        private final boolean destructive;
        private final List<String> nodes;

        Verb(boolean destructive, List<String> nodes) {
            this.destructive = destructive;
            this.nodes = nodes;
        }

        public boolean destructive() {
            return destructive;
        }

        /** The nodes it is done to. */
        public List<String> nodes() {
            return nodes;
        }

        public String key() {
            return name().toLowerCase();
        }
    }

    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/:?\\[\\]]+):(\\d+)(?:/([^?]*))?(?:\\?.*)?");
    private static final Set<String> KEYS = Set.of("primary", "standby", "user", "user_env", "password_env", "commands", "allow_destructive");

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
        Map<String, Address> nodes = new LinkedHashMap<>();
        nodes.put("primary", address(file, root, "primary"));
        nodes.put("standby1", address(file, root, "standby"));
        if (nodes.get("primary").equals(nodes.get("standby1"))) {
            throw wrong(file, "names " + nodes.get("primary") + " for the primary and the standby: give each server's own URL");
        }
        if (nodes.get("primary").port() == nodes.get("standby1").port()) {
            throw wrong(file, "gives the primary and the standby the same port " + nodes.get("primary").port()
                    + ": slotcheck tells servers apart by port (as PostgreSQL's views show them), so reach each by a port of its own");
        }
        String user = root.containsKey("user_env") ? variable(file, environment, text(file, root, "user_env")) : optionalText(file, root, "user")
                .orElse(Node.SUPERUSER);
        Optional<String> password = root.containsKey("password_env")
                ? Optional.of(variable(file, environment, text(file, root, "password_env"))) : Optional.empty();
        Object destructive = root.containsKey("allow_destructive") ? root.get("allow_destructive") : Boolean.FALSE;
        if (!(destructive instanceof Boolean allow)) {
            throw wrong(file, "says allow_destructive: " + destructive + ", which is neither true nor false");
        }
        return new ExternalConfig(file, Map.copyOf(nodes), user, password, commands(file, root.get("commands")), allow);
    }

    /** The command that does {@code verb} to {@code node}, if the file gives one and may run it. */
    public Optional<String> command(Verb verb, String node) {
        if (verb.destructive() && !allowDestructive) {
            return Optional.empty();
        }
        return Optional.ofNullable(commands.getOrDefault(verb, Map.of()).get(node));
    }

    /** Why the file does not let slotcheck do {@code verb} to each node it is done to, if it does not. */
    public Optional<String> withheld(Verb verb) {
        if (verb.nodes().stream().allMatch(node -> commands.getOrDefault(verb, Map.of()).containsKey(node))) {
            return verb.destructive() && !allowDestructive
                    ? Optional.of("'" + verb.key() + "' is destructive and " + file.getFileName() + " does not allow_destructive") : Optional.empty();
        }
        return Optional.of(file.getFileName() + " gives no '" + verb.key() + "' command for " + String.join(" and ", verb.nodes()));
    }

    private static Address address(Path file, Map<?, ?> root, String key) {
        String url = text(file, root, key);
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw wrong(file, "names the " + key + " by '" + url + "', not a URL such as jdbc:postgresql://db1.example.com:5432/postgres");
        }
        if (m.group(3) != null && !m.group(3).isEmpty() && !m.group(3).equals(Node.DATABASE)) {
            throw wrong(file, "names the database " + m.group(3) + " for the " + key + ": slotcheck's workload lives in " + Node.DATABASE
                    + ", name it or none");
        }
        return new Address(m.group(1), Integer.parseInt(m.group(2)));
    }

    /**
     * {@code "commands": {"stop": "...", ...}}: a verb's command is one string for every node, with {@code {node}},
     * {@code {host}} and {@code {port}} filled in, or an object of one command per node.
     */
    private static Map<Verb, Map<String, String>> commands(Path file, Object commands) {
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
            Map<String, String> byNode = new LinkedHashMap<>();
            if (entry.getValue() instanceof String template) {
                verb.nodes().forEach(node -> byNode.put(node, template));
            } else if (entry.getValue() instanceof Map<?, ?> perNode) {
                for (Map.Entry<?, ?> command : perNode.entrySet()) {
                    if (!verb.nodes().contains(command.getKey()) || !(command.getValue() instanceof String text)) {
                        throw wrong(file, "gives '" + verb.key() + "' for '" + command.getKey() + "': name " + String.join(" and ", verb.nodes())
                                + ", each with a command");
                    }
                    byNode.put((String) command.getKey(), text);
                }
            } else {
                throw wrong(file, "gives '" + verb.key() + "' as neither a command nor an object of one command per node");
            }
            byVerb.put(verb, Map.copyOf(byNode));
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
