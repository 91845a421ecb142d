package io.slotcheck.model.observation;

import io.slotcheck.model.Lsn;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything observed on one node at one step: the raw material the model compares with its prediction.
 *
 * @param host        the host by which the cluster's own connection strings reach the node, where its servers do not all
 *                    listen on one address (a cluster slotcheck did not make): a node is then the one at that host and
 *                    its port; {@code null}: nodes are told apart by their ports alone
 * @param currentLsn  {@code pg_current_wal_lsn()} on a primary; {@code null} in recovery
 * @param flushLsn    {@code pg_current_wal_flush_lsn()} on a primary; on a standby its flush position,
 *                    {@code greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())} — the position a
 *                    synced slot's {@code confirmed_flush_lsn} must never pass
 * @param receiveLsn  {@code pg_last_wal_receive_lsn()} (standby), else {@code null}
 * @param replayLsn   {@code pg_last_wal_replay_lsn()} (standby), else {@code null}
 * @param settings    the server settings that matter to slot sync, by name (only those the version has)
 * @param logLines    server log lines written since the node's previous snapshot
 * @param transactions  the workload's transactions this node has ({@code slotcheck_txn}): committed on a primary,
 *                      replayed on a standby, applied on a subscriber; in id order, an id as often as it is there
 * @param subscriptions the node's subscriptions (a subscriber's)
 * @param syncWorkerPid the process id of the node's slot sync worker ({@code pg_stat_activity.backend_type} {@code slotsync
 *                      worker}); {@code null} when none runs
 * @param preparedTransactions the gids of {@code pg_prepared_xacts}, in order: the workload's transactions prepared and not
 *                      yet committed on a primary (replayed on a standby), a two-phase subscription's on its subscriber
 */
public record NodeSnapshot(
        String node,
        String host,
        Instant takenAt,
        String serverVersion,
        int serverVersionNum,
        boolean inRecovery,
        int timeline,
        Lsn currentLsn,
        Lsn flushLsn,
        Lsn receiveLsn,
        Lsn replayLsn,
        List<SlotRow> slots,
        List<ReplicationRow> replication,
        Optional<WalReceiverRow> walReceiver,
        Map<String, String> settings,
        List<String> logLines,
        List<Long> transactions,
        List<SubscriptionRow> subscriptions,
        Integer syncWorkerPid,
        List<String> preparedTransactions) {

    private static final Pattern PORT_IN_CONNINFO = Pattern.compile("\\bport=(\\d+)");
    private static final Pattern HOST_IN_CONNINFO = Pattern.compile("\\bhost=([^\\s']+)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|h)?");

    public NodeSnapshot {
        slots = List.copyOf(slots);
        replication = List.copyOf(replication);
        settings = Map.copyOf(settings);
        logLines = List.copyOf(logLines);
        transactions = List.copyOf(transactions);
        subscriptions = List.copyOf(subscriptions);
        // histories written before pg_prepared_xacts was observed have none
        preparedTransactions = preparedTransactions == null ? List.of() : List.copyOf(preparedTransactions);
    }

    /** The slot names in this node's {@code synchronized_standby_slots}. */
    public List<String> synchronizedStandbySlots() {
        return slotNames(settings.getOrDefault("synchronized_standby_slots", ""));
    }

    /** The names in a {@code synchronized_standby_slots} value: comma-separated, blanks and double quotes around names dropped. */
    public static List<String> slotNames(String standbySlots) {
        return standbySlots.isBlank() ? List.of()
                : Arrays.stream(standbySlots.split(",")).map(String::strip).map(n -> n.replace("\"", "")).toList();
    }

    /** The {@code port=} of a libpq connection string such as {@code primary_conninfo}. */
    public static Optional<Integer> conninfoPort(String conninfo) {
        Matcher port = PORT_IN_CONNINFO.matcher(conninfo == null ? "" : conninfo);
        return port.find() ? Optional.of(Integer.parseInt(port.group(1))) : Optional.empty();
    }

    /** The {@code host=} of a libpq connection string. */
    public static Optional<String> conninfoHost(String conninfo) {
        Matcher host = HOST_IN_CONNINFO.matcher(conninfo == null ? "" : conninfo);
        return host.find() ? Optional.of(host.group(1)) : Optional.empty();
    }

    /**
     * Whether a connection to {@code host}:{@code port} reaches this node: its port, and its host where both are known
     * (see {@link #host}).
     */
    public boolean reachedAt(String host, Integer port) {
        return port != null && port().filter(port::equals).isPresent() && (this.host == null || host == null || this.host.equals(host));
    }

    public Optional<SlotRow> slot(String name) {
        return slots.stream().filter(s -> s.slotName().equals(name)).findFirst();
    }

    public Optional<SubscriptionRow> subscription(String name) {
        return subscriptions.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The same snapshot with other slot rows (for mutation tests of the checker). */
    public NodeSnapshot withSlots(List<SlotRow> otherSlots) {
        return new NodeSnapshot(node, host, takenAt, serverVersion, serverVersionNum, inRecovery, timeline, currentLsn, flushLsn, receiveLsn,
                replayLsn, otherSlots, replication, walReceiver, settings, logLines, transactions, subscriptions, syncWorkerPid, preparedTransactions);
    }

    public NodeSnapshot withWalReceiver(Optional<WalReceiverRow> otherWalReceiver) {
        return new NodeSnapshot(node, host, takenAt, serverVersion, serverVersionNum, inRecovery, timeline, currentLsn, flushLsn, receiveLsn,
                replayLsn, slots, replication, otherWalReceiver, settings, logLines, transactions, subscriptions, syncWorkerPid, preparedTransactions);
    }

    public NodeSnapshot withSettings(Map<String, String> otherSettings) {
        return new NodeSnapshot(node, host, takenAt, serverVersion, serverVersionNum, inRecovery, timeline, currentLsn, flushLsn, receiveLsn,
                replayLsn, slots, replication, walReceiver, otherSettings, logLines, transactions, subscriptions, syncWorkerPid, preparedTransactions);
    }

    public NodeSnapshot withSubscriptions(List<SubscriptionRow> otherSubscriptions) {
        return new NodeSnapshot(node, host, takenAt, serverVersion, serverVersionNum, inRecovery, timeline, currentLsn, flushLsn, receiveLsn,
                replayLsn, slots, replication, walReceiver, settings, logLines, transactions, otherSubscriptions, syncWorkerPid, preparedTransactions);
    }

    /**
     * A setting of time, as pg_settings gives it (in its unit, {@code unitIfNone}) or with a unit; none when it is not
     * shown or not a time.
     */
    public Optional<Duration> durationSetting(String name, ChronoUnit unitIfNone) {
        Matcher value = DURATION.matcher(settings.getOrDefault(name, ""));
        if (!value.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(value.group(1));
        return Optional.of(value.group(2) == null ? Duration.of(amount, unitIfNone) : switch (value.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        });
    }

    /** The port of the upstream a standby's {@code primary_conninfo} names. */
    public Optional<Integer> upstreamPort() {
        return conninfoPort(settings.get("primary_conninfo"));
    }

    /** The host of the upstream a standby's {@code primary_conninfo} names. */
    public Optional<String> upstreamHost() {
        return conninfoHost(settings.get("primary_conninfo"));
    }

    /** This node's port, as its settings show it. */
    public Optional<Integer> port() {
        return Optional.ofNullable(settings.get("port")).map(Integer::parseInt);
    }

    public int majorVersion() {
        return serverVersionNum / 10000;
    }
}
