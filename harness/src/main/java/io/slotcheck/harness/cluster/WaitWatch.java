package io.slotcheck.harness.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the session of {@code statement} in pg_stat_activity while it runs one statement, and acts once the session
 * has shown a wait event and still shows it a while later: by default it cancels the statement (what the statement waits
 * for is then shown, and the rest of its bound would only repeat it), or it does what should release the wait.
 */
final class WaitWatch implements AutoCloseable {

    /** How often the session is looked at. */
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final ScheduledExecutorService watcher;
    private final AtomicBoolean seenWaiting = new AtomicBoolean();

    /**
     * Starts watching {@code statement}'s session on {@code node} for {@code waitEvent}, seen for {@code seenFor}, then
     * running {@code whenSeenWaiting} once.
     */
    WaitWatch(Node node, Statement statement, String waitEvent, Duration seenFor, SqlAction whenSeenWaiting) throws SQLException {
        String pid;
        try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getString(1);
        }
        watcher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, node.name() + " wait watch");
            thread.setDaemon(true);
            return thread;
        });
        long[] firstSeen = {-1};
        watcher.scheduleWithFixedDelay(() -> {
            try {
                boolean waiting = waitEvent.equals(node.queryValue("SELECT wait_event FROM pg_stat_activity WHERE pid = " + pid));
                long now = System.nanoTime();
                firstSeen[0] = !waiting ? -1 : firstSeen[0] < 0 ? now : firstSeen[0];
                if (waiting && now - firstSeen[0] >= seenFor.toNanos() && seenWaiting.compareAndSet(false, true)) {
                    whenSeenWaiting.run();
                }
            } catch (SQLException | RuntimeException e) {
                // a look that failed (the server going away): the statement's own bound still ends it
            }
        }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the watch does once the statement has been seen waiting. */
    @FunctionalInterface
    interface SqlAction {
        void run() throws SQLException;
    }

    /**
     * Runs {@code sql} in {@code statement}'s session on {@code node}, watched for {@code waitEvent} seen for
     * {@code seenFor}, then {@code whenSeenWaiting} (such as {@code statement::cancel}): how it ended.
     */
    static Node.Watched run(Node node, Statement statement, String sql, String waitEvent, Duration seenFor, SqlAction whenSeenWaiting) {
        try (WaitWatch watch = new WaitWatch(node, statement, waitEvent, seenFor, whenSeenWaiting)) {
            try {
                statement.execute(sql);
                return new Node.Watched(Optional.empty(), watch.seenWaiting());
            } catch (SQLException e) {
                return new Node.Watched(Optional.of(new NodeSqlException(node.name(), e)), watch.seenWaiting());
            }
        } catch (SQLException e) {
            return new Node.Watched(Optional.of(new NodeSqlException(node.name(), e)), false);
        }
    }

    /** Whether the statement was seen waiting, and acted on. */
    boolean seenWaiting() {
        return seenWaiting.get();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
