package io.slotcheck.harness.external;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.ClusterBackend;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.ServerRuntime;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.WaitTimeoutException;
import io.slotcheck.harness.cluster.Waits;
import io.slotcheck.harness.external.ExternalConfig.Verb;
import io.slotcheck.harness.run.Generator;
import io.slotcheck.model.operation.Operation;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A primary and its standbys that run already (a vendor's staging cluster, an HA tool's), adopted for each sequence in
 * place of a fresh pair: before each and after the last, slotcheck brings the servers back to a primary and standbys
 * streaming from it (a sequence may have promoted one), takes away what a sequence made (its slots, its
 * tables and publication) and puts back the settings it may change, as they were when slotcheck first saw them.
 * Nothing else is touched: slots, tables and settings of the cluster's own stay as they are.
 */
public final class ExternalCluster {

    /** How long tidying may wait for the standby: to drop copies of the slots taken away, and to replay. */
    private static final Duration TIDY_BOUND = Duration.ofSeconds(60);
    /** How long a standby may take to stream from the primary before it is rejoined to it. */
    private static final Duration STREAMING_BOUND = Duration.ofSeconds(30);

    private final ExternalConfig config;
    /** Per server, the settings a sequence may change, as they were first seen: value, and whether ALTER SYSTEM set it. */
    private final Map<String, Map<String, Setting>> baseline = new TreeMap<>();
    /** Per server, the physical slot it streamed through when first seen as a standby: the slot it rejoins through. */
    private final Map<String, String> streamingSlots = new TreeMap<>();

    private record Setting(String value, boolean altered) {
    }

    public ExternalCluster(ExternalConfig config) {
        this.config = config;
    }

    public ExternalConfig config() {
        return config;
    }

    /**
     * The operation kinds (by history name) a campaign may not draw here, each with the reason: all that need what only
     * a cluster slotcheck made has (its files, processes, links, new servers), and verbs without an allowed command.
     */
    public Map<String, String> operationsItCannotRun() {
        Map<String, String> reasons = new TreeMap<>();
        String files = "slotcheck does not write the configuration files of a server it did not make";
        String processes = "the processes of a server slotcheck did not make are not its to signal";
        String servers = "slotcheck adds no standbys to a cluster it did not make";
        reasons.put("rewrite_primary_conninfo", files);
        reasons.put("connect_as_replication_role", files);
        reasons.put("set_setting_while_stopped", files);
        List.of("pause_node", "resume_node", "signal_process", "pause_process", "resume_process").forEach(kind -> reasons.put(kind, processes));
        reasons.put("delay_link", "slowing a link needs slotcheck's relay in it");
        reasons.put("move_endpoint", "the stable endpoint is a relay of slotcheck's, which an external cluster's subscribers do not use");
        config.withheld(Verb.PARTITION).or(() -> config.withheld(Verb.HEAL)).ifPresent(reason -> {
            reasons.put("partition_link", reason);
            reasons.put("heal_link", reason);
        });
        List.of("disconnect_node", "reconnect_node").forEach(kind -> reasons.put(kind, "servers slotcheck did not make are not on a network of its own"));
        reasons.put("wal_pressure", "it would invalidate the cluster's own slots");
        reasons.put("add_cascading_standby", servers);
        reasons.put("add_standby", servers);
        reasons.put("convert_to_subscriber", "slotcheck does not convert a server it did not make");
        reasons.put("upgrade_in_place", "slotcheck does not upgrade a server it did not make");
        if (config.subscriber().isEmpty()) {
            List.of("add_subscriber", "create_subscription", "alter_subscription_failover", "repoint_subscription", "await_subscriber_catch_up")
                    .forEach(kind -> reasons.put(kind, config.file().getFileName() + " names no subscriber"));
        }
        Optional<String> startWithheld = config.withheld(Verb.START);
        config.withheld(Verb.STOP).or(() -> startWithheld).ifPresent(reason -> reasons.put("stop_node", reason));
        config.withheld(Verb.KILL).or(() -> startWithheld).ifPresent(reason -> reasons.put("crash_node", reason));
        if (reasons.containsKey("stop_node") && reasons.containsKey("crash_node")) {
            reasons.put("start_node", startWithheld.orElse("nothing stops a server here"));
        }
        // a promoted standby leaves two primaries, which only stopping one and rejoining it to the other mends
        config.withheld(Verb.REJOIN).ifPresent(reason -> reasons.put("rejoin", reason));
        config.withheld(Verb.PROMOTE).or(() -> config.withheld(Verb.REJOIN)).or(() -> config.withheld(Verb.STOP))
                .ifPresent(reason -> reasons.put("promote", reason));
        return reasons;
    }

    /** The cluster's servers as a pair for one sequence, tidied first; closing it tidies again and leaves them running. */
    public Cluster adopt() {
        Map<String, ExternalServer> roles = restoreRoles();
        Cluster cluster = Cluster.adopt(new Backend(roles, true), ports(roles));
        try {
            standbys(cluster).forEach(standby -> requireStandbyOfPrimary(cluster, standby, roles));
            everyServer(roles).forEach(server -> baseline.putIfAbsent(server.name(), settingsNow(server)));
            standbys(cluster).forEach(standby -> streamingSlots.putIfAbsent(roles.get(standby.name()).name(), streamingSlot(standby)));
            tidy(cluster, roles);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static Map<String, Integer> ports(Map<String, ExternalServer> roles) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        roles.forEach((node, server) -> ports.put(node, server.port()));
        return ports;
    }

    /** The nodes of the model's cluster that are standbys: {@code standby1}, and the next ones of a larger cluster. */
    private static List<Node> standbys(Cluster cluster) {
        return cluster.nodes().stream().filter(node -> !node.name().equals("primary")).toList();
    }

    private static String streamingSlot(Node standby) {
        return standby.queryValue("SELECT current_setting('primary_slot_name')");
    }

    /**
     * Brings the servers back to a primary and standbys streaming from it, whatever a sequence (or a run cut short) left:
     * a stopped server is started, or rejoined when another runs as a primary; of two primaries the one on the newer
     * timeline stays and the other is stopped and rejoined to it; a standby that does not stream from the primary is
     * rejoined to it. Without the commands to do so, what is wrong is left for {@link #requireStandbyOfPrimary} to say.
     * Returns the servers by the node they are in the model's cluster: {@code primary}, then {@code standby1},
     * {@code standby2} ... in the order of the file.
     */
    private Map<String, ExternalServer> restoreRoles() {
        List<ExternalServer> servers = config.servers().keySet().stream().map(name -> new ExternalServer(config, name)).toList();
        boolean mayRejoin = config.withheld(Verb.REJOIN).isEmpty();
        for (ExternalServer server : servers) {
            if (!server.listening()) {
                Optional<ExternalServer> primary = servers.stream().filter(other -> other != server && other.listening() && other.isPrimary()).findFirst();
                if (primary.isPresent() && mayRejoin) {
                    rejoin(server, primary.get());
                } else if (config.withheld(Verb.START).isEmpty()) {
                    server.start(0);
                }
            }
        }
        subscriber().filter(subscriber -> !subscriber.listening() && config.withheld(Verb.START).isEmpty()).ifPresent(subscriber -> subscriber.start(0));
        // each primary's timeline asked once: the newest stays
        Map<ExternalServer, Long> timelines = new LinkedHashMap<>();
        servers.stream().filter(ExternalServer::listening).filter(ExternalServer::isPrimary).forEach(server -> timelines.put(server, timeline(server)));
        ExternalServer primary = timelines.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new SlotcheckException(ExitCode.EXTERNAL_CONFIG, config.file() + ": none of "
                        + String.join(", ", config.servers().keySet()) + " runs as a primary: start or promote one"));
        Map<String, ExternalServer> roles = new LinkedHashMap<>();
        roles.put("primary", primary);
        for (ExternalServer standby : servers.stream().filter(server -> server != primary).toList()) {
            // another primary (an older timeline) is not waited for: it streams from nothing
            if (mayRejoin && config.withheld(Verb.STOP).isEmpty() && standby.listening() && (standby.isPrimary() || !streamsFrom(standby, primary))) {
                standby.stop(StopMode.FAST);
                rejoin(standby, primary);
            }
            roles.put("standby" + roles.size(), standby);
        }
        return roles;
    }

    private Optional<ExternalServer> subscriber() {
        return config.subscriber().map(address -> new ExternalServer(config, ExternalConfig.SUBSCRIBER));
    }

    /** The pair's servers and the subscriber, if there is one. */
    private List<ExternalServer> everyServer(Map<String, ExternalServer> roles) {
        List<ExternalServer> servers = new ArrayList<>(roles.values());
        subscriber().ifPresent(servers::add);
        return servers;
    }

    /** The timeline a primary writes on: the newer of two primaries is the one promoted last. */
    private static long timeline(ExternalServer primary) {
        return Long.parseLong(primary.queryValue("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"), 16);
    }

    /**
     * Whether {@code standby} is (or becomes, within the bound) a standby streaming from {@code primary}: the primary's
     * walsender streams through the slot the standby names. (The standby's own view says "streaming" from the moment its
     * walreceiver starts, even one that the primary then refuses for want of its slot.)
     */
    private static boolean streamsFrom(ExternalServer standby, ExternalServer primary) {
        return reachedWithinStreamingBound(standby.name() + " to stream from " + primary.name(), () -> {
            String slot = standby.queryValue("SELECT current_setting('primary_slot_name') WHERE pg_is_in_recovery()");
            return slot != null && !slot.isEmpty() && "1".equals(primary.queryValue("SELECT count(*) FROM pg_stat_replication r"
                    + " JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE r.state = 'streaming' AND s.slot_name = " + literal(slot)));
        });
    }

    /** Whether {@code condition} holds within {@link #STREAMING_BOUND}. */
    private static boolean reachedWithinStreamingBound(String what, Callable<Boolean> condition) {
        try {
            Waits.until(what, STREAMING_BOUND, condition);
            return true;
        } catch (WaitTimeoutException e) {
            return false;
        }
    }

    /** Rejoins the stopped {@code server} to {@code primary} through the slot it streamed through before (or one named like it). */
    private void rejoin(ExternalServer server, ExternalServer primary) {
        String slot = streamingSlots.getOrDefault(server.name(), server.name());
        if ("0".equals(primary.queryValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = " + literal(slot)))) {
            primary.queryValue("SELECT pg_create_physical_replication_slot(" + literal(slot) + ", true)");
        }
        server.rejoin(primary, slot);
        if (!streamsFrom(server, primary)) {
            throw new SlotcheckException(ExitCode.SERVER, server.name() + " does not stream from " + primary.name() + " through the slot " + slot
                    + " " + STREAMING_BOUND.toSeconds() + " s after its rejoin command: see its log, and the rejoin command of " + config.file());
        }
        if (!replaysUpTo(server, primary.queryValue("SELECT pg_current_wal_lsn()"))) {
            throw new SlotcheckException(ExitCode.SERVER, server.name() + " streams from " + primary.name() + " but does not replay its WAL "
                    + STREAMING_BOUND.toSeconds() + " s after its rejoin command: its history forked from the primary's on the same timeline"
                    + " (two standbys promoted from one primary), which pg_rewind does not see; a rejoin command that copies the primary anew"
                    + " (pg_basebackup) mends it");
        }
    }

    /** Whether {@code standby} replays up to {@code lsn} within the bound. */
    private static boolean replaysUpTo(ExternalServer standby, String lsn) {
        return reachedWithinStreamingBound(standby.name() + " to replay up to " + lsn, () -> "t".equals(standby.queryValue(
                "SELECT pg_last_wal_replay_lsn() >= " + literal(lsn) + "::pg_lsn")));
    }

    /** Refuses, in one line, a primary without failover slots, or a standby that does not stream from it through a slot. */
    private void requireStandbyOfPrimary(Cluster cluster, Node standby, Map<String, ExternalServer> roles) {
        Node primary = cluster.node("primary");
        String standbyName = roles.get(standby.name()).name();
        if (Integer.parseInt(primary.queryValue("SELECT current_setting('server_version_num')")) < 170000) {
            throw new SlotcheckException(ExitCode.EXTERNAL_CONFIG, config.file() + ": the primary runs " + primary.queryValue("SELECT version()")
                    + ", which has no failover slots (PostgreSQL 17 and later have)");
        }
        if (!"t".equals(standby.queryValue("SELECT pg_is_in_recovery()"))) {
            throw new SlotcheckException(ExitCode.EXTERNAL_CONFIG, config.file() + ": " + standbyName + " is not in recovery: make it a standby of "
                    + roles.get("primary").name());
        }
        if (cluster.upstreamOf(standby).filter(upstream -> upstream == primary).isEmpty()) {
            throw new SlotcheckException(ExitCode.EXTERNAL_CONFIG, config.file() + ": the primary_conninfo of " + standbyName + " ("
                    + Cluster.maskPasswords(standby.queryValue("SELECT current_setting('primary_conninfo')"))
                    + ") does not name the primary " + roles.get("primary").name() + " at " + config.address(roles.get("primary").name())
                    + ": name each server in the file by the host and port the cluster's own connection strings use");
        }
        if (streamingSlot(standby).isEmpty()) {
            throw new SlotcheckException(ExitCode.EXTERNAL_CONFIG, config.file() + ": " + standbyName + " streams without a physical slot"
                    + " (primary_slot_name is empty): failover slots need one");
        }
    }

    /** The settings a sequence may change as they are now on {@code server}. */
    private static Map<String, Setting> settingsNow(ExternalServer server) {
        String names = Generator.settingsItChanges().stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
        Map<String, Setting> values = new TreeMap<>();
        for (List<String> row : server.queryRows("SELECT name, setting, coalesce(sourcefile LIKE '%postgresql.auto.conf', false)"
                + " FROM pg_settings WHERE name IN (" + names + ")")) {
            values.put(row.get(0), new Setting(row.get(1), "t".equals(row.get(2))));
        }
        return values;
    }

    /**
     * Takes away what a sequence made and restores the settings it may change. The standby's own physical slot is never
     * dropped, whatever its name.
     */
    private void tidy(Cluster cluster, Map<String, ExternalServer> roles) {
        Node primary = cluster.node("primary");
        List<Node> standbys = standbys(cluster);
        // the subscriptions first, which would make their slots again; the slots of their table syncs are named after them
        List<String> syncSlotPrefixes = subscriber().map(ExternalCluster::dropSubscriptions).orElse(List.of());
        List<String> streaming = standbys.stream().map(ExternalCluster::streamingSlot).toList();
        String names = Generator.slotsItMakes().stream().filter(slot -> !streaming.contains(slot)).map(ExternalCluster::literal).sorted()
                .collect(Collectors.joining(", "));
        String ours = "(slot_name IN (" + names + ")" + syncSlotPrefixes.stream().map(prefix -> " OR starts_with(slot_name, " + literal(prefix) + ")")
                .collect(Collectors.joining()) + ")";
        // a standby's synced copies are the sync's to drop; a promoted standby's, synced still, are its own slots now
        String droppable = ours + " AND (NOT synced OR NOT pg_is_in_recovery())";
        for (Node node : cluster.nodes()) {
            node.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE " + droppable + " AND active_pid IS NOT NULL");
            Waits.until("the sessions of slotcheck's slots on " + node.name() + " to end", TIDY_BOUND, () -> "0".equals(node.queryValue(
                    "SELECT count(*) FROM pg_replication_slots WHERE " + droppable + " AND active")));
            node.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE " + droppable);
        }
        // a sequence may make slots on the subscriber too
        subscriber().ifPresent(subscriber -> subscriber.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE "
                + droppable + " AND NOT active"));
        // transactions the workload left prepared hold locks on its tables, on whichever node is a primary now
        cluster.nodes().stream().filter(node -> "f".equals(node.queryValue("SELECT pg_is_in_recovery()")))
                .forEach(node -> rollBackPrepared(node::queryRows, node::execute, Operation.PrepareTransaction.GID_PREFIX));
        primary.execute("DROP PUBLICATION IF EXISTS slotcheck", DROP_TABLES);
        // the databases a scenario made (slotcheck names them slotcheck_*), their slots dropped above
        for (List<String> database : primary.queryRows("SELECT datname FROM pg_database WHERE datname LIKE 'slotcheck\\_%'")) {
            primary.execute("DROP DATABASE " + database.get(0));
        }
        everyServer(roles).forEach(this::restoreSettings);
        for (Node standby : standbys) {
            // the standby's copies of the slots taken away go at its next sync (the worker's, or this one's)
            Waits.until(standby.name() + " to drop its copies of slotcheck's slots", TIDY_BOUND, () -> {
                if ("0".equals(standby.queryValue("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'slotsync worker'"))) {
                    try {
                        standby.execute("SELECT pg_sync_replication_slots()");
                    } catch (RuntimeException e) {
                        // a standby that cannot sync keeps copies only while the worker is off: they are its own state
                        return true;
                    }
                }
                return "0".equals(standby.queryValue("SELECT count(*) FROM pg_replication_slots WHERE synced AND " + ours));
            });
            standby.waitForReplay(primary.lsn(), TIDY_BOUND);
        }
    }

    /** Rolls back the transactions prepared on a server (queried and told through these) whose gid begins with {@code prefix}. */
    private static void rollBackPrepared(Function<String, List<List<String>>> query, Consumer<String> execute, String prefix) {
        for (List<String> gid : query.apply("SELECT gid FROM pg_prepared_xacts WHERE starts_with(gid, " + literal(prefix) + ")")) {
            execute.accept("ROLLBACK PREPARED " + literal(gid.get(0)));
        }
    }

    /** Drops slotcheck's tables in the database {@code postgres}: the workload's, on the primary and the subscriber. */
    private static final String DROP_TABLES = """
            DO $$ DECLARE t text; BEGIN
              FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'slotcheck\\_%' LOOP
                EXECUTE format('DROP TABLE public.%I', t);
              END LOOP;
            END $$""";

    /**
     * Drops the subscriber's subscriptions of slotcheck's, without reaching their publisher (which may be down or a
     * standby now: their slots are dropped with the pair's), and its tables; returns the name pattern of the slots their
     * table syncs may have left on the publisher ({@code pg_<subscription oid>_sync_...}).
     */
    private static List<String> dropSubscriptions(ExternalServer subscriber) {
        List<String> syncSlots = new ArrayList<>();
        for (String subscription : Generator.subscriptionsItMakes()) {
            String oid = subscriber.queryValue("SELECT oid FROM pg_subscription WHERE subname = " + literal(subscription));
            if (oid != null) {
                subscriber.execute("ALTER SUBSCRIPTION " + subscription + " DISABLE");
                // a two-phase subscription's transactions prepared and not yet committed (worker.c TwoPhaseTransactionGid())
                rollBackPrepared(subscriber::queryRows, subscriber::execute, "pg_gid_" + oid + "_");
                subscriber.execute("ALTER SUBSCRIPTION " + subscription + " SET (slot_name = NONE)", "DROP SUBSCRIPTION " + subscription);
                syncSlots.add("pg_" + oid + "_sync_");
            }
        }
        subscriber.execute(DROP_TABLES);
        return syncSlots;
    }

    /** Puts back the settings a sequence may change on {@code server} as they were first seen. */
    private void restoreSettings(ExternalServer server) {
        Map<String, Setting> now = settingsNow(server);
        Map<String, String> changed = new LinkedHashMap<>();
        baseline.get(server.name()).forEach((name, setting) -> {
            if (!setting.equals(now.get(name))) {
                server.execute(setting.altered() ? "ALTER SYSTEM SET " + name + " = " + literal(setting.value()) : "ALTER SYSTEM RESET " + name);
                changed.put(name, setting.value());
            }
        });
        if (!changed.isEmpty()) {
            server.execute("SELECT pg_reload_conf()");
            changed.forEach((name, value) -> Waits.until(server.name() + " to apply " + name + " = '" + value + "' after reload", TIDY_BOUND,
                    () -> value.equals(server.queryValue("SELECT current_setting('" + name + "')"))));
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * The backend of an adopted pair: servers reached at their configured addresses. Closing the one of a sequence
     * brings the servers back to a primary and its standby and tidies them, leaving them running.
     */
    private final class Backend implements ClusterBackend {

        private final Map<String, ExternalServer> roles;
        private final boolean tidiesOnClose;

        Backend(Map<String, ExternalServer> roles, boolean tidiesOnClose) {
            this.roles = roles;
            this.tidiesOnClose = tidiesOnClose;
        }

        @Override
        public String location() {
            return "the external cluster of " + config.file();
        }

        @Override
        public ServerRuntime newServer(String node, int port, Optional<Integer> oraclePort) {
            return roles.get(node);
        }

        @Override
        public Optional<RunningServer> runningServer(String node) {
            return subscriber().filter(subscriber -> node.equals(ExternalConfig.SUBSCRIBER))
                    .map(subscriber -> new RunningServer(subscriber, subscriber.port()));
        }

        @Override
        public Map<String, String> nodeSettings() {
            return Map.of();
        }

        @Override
        public boolean oracleListener() {
            return false;
        }

        @Override
        public void layFreshCluster(ServerRuntime server) {
            throw new IllegalStateException("an external cluster is adopted, not laid");
        }

        @Override
        public boolean layPair(ServerRuntime primary, ServerRuntime standby) {
            throw new IllegalStateException("an external cluster is adopted, not laid");
        }

        @Override
        public InetAddress relayAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public boolean serversStopBeforeClose() {
            return false;
        }

        /** Leaves the cluster as slotcheck found it, but for which server is the primary (tidied again before the next sequence). */
        @Override
        public void close(boolean keepFiles) {
            if (!tidiesOnClose) {
                return;
            }
            try {
                // a sequence that ended at a violation was not healed: what it stopped is started or rejoined, two primaries made one
                Map<String, ExternalServer> now = restoreRoles();
                try (Cluster cluster = Cluster.adopt(new Backend(now, false), ports(now))) {
                    tidy(cluster, now);
                }
            } catch (RuntimeException e) {
                throw new SlotcheckException(ExitCode.SERVER, "could not tidy the external cluster of " + config.file() + " (slotcheck's slots "
                        + String.join(", ", Generator.slotsItMakes()) + " and tables slotcheck_* may be left; the next run takes them away): "
                        + e.getMessage());
            }
        }
    }
}
