package io.slotcheck.harness.external;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.server.ServerAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external mode with a subscriber the file names, and the pair's servers on one port at two hosts, as a real
 * cluster's listen (a class of its own, so that the build's two test JVMs share the external mode's campaigns).
 */
class ExternalSubscriberTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    @TempDir
    Path temp;

    @Test
    void aSubscriberTheFileNamesReceivesEveryTransactionOnceAcrossFailoversOnServersSharingAPort() throws IOException, SQLException {
        Cluster pair = clusters.startPair("17");
        Node subscriber = pair.addSubscriber("sub");
        Path config = ExternalClusterFile.write(temp, "continuity.json", pair, true, Optional.of(subscriber), true);
        // a standby that cannot stream (its slot is not there) is rejoined before the first sequence
        pair.standby().execute("ALTER SYSTEM SET primary_slot_name = 'gone'");
        // db2 moves to a host of its own (127.0.0.2) on db1's port, as servers of a real cluster listen
        ExternalCampaigns.run(ServerAccount.forCurrentProcess().command(List.of(ExternalClusterFile.pgCtl(), "-D", pair.standby().dataDirectory().toString(), "-m", "fast", "-w", "stop")));
        ExternalCampaigns.run(ExternalClusterFile.startCommand(pair.standby(), Optional.of(ExternalClusterFile.SHARED_PORT_OPTIONS.formatted(pair.primary().port()))));

        Map<String, Object> summary = ExternalCampaigns.campaign(temp, config, "continuity", 2);

        assertEquals("conformant", summary.get("status"), summary.toString());
        Map<?, ?> operations = (Map<?, ?>) summary.get("operations");
        assertTrue(operations.containsKey("create_subscription") && operations.containsKey("await_subscriber_catch_up"), operations.toString());
        Map<?, ?> exercised = (Map<?, ?>) summary.get("invariants_exercised");
        assertTrue((Long) exercised.get("each-transaction-applied-once") > 0 && (Long) exercised.get("caught-up-subscriber-matches-its-publisher") > 0,
                exercised.toString());
        assertTrue((Long) exercised.get("worker-converges-when-quiet") > 0, "the standby on the shared port is found as the primary's: " + exercised);
        assertTrue(((Map<?, ?>) summary.get("operations_not_drawn")).containsKey("move_endpoint"));
        // the subscriber is left with no subscription or table of slotcheck's, and the publisher with no slot of theirs
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_subscription"));
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'slotcheck%'"));
        assertEquals("0", subscriber.queryValue("SELECT count(*) FROM pg_replication_slots"), "nor a slot a sequence made there");
        String db1 = "127.0.0.1:" + pair.primary().port();
        String db2 = "127.0.0.2:" + pair.primary().port();
        for (String server : List.of(db1, db2)) {
            assertEquals("0", ExternalCampaigns.query(server, "SELECT count(*) FROM pg_replication_slots WHERE slot_type = 'logical'"), server);
        }
        String primary = "f".equals(ExternalCampaigns.query(db1, "SELECT pg_is_in_recovery()")) ? db1 : db2;
        assertEquals("streaming", ExternalCampaigns.query(primary, "SELECT r.state FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid"),
                "the standby streams through a slot again");
    }
}
