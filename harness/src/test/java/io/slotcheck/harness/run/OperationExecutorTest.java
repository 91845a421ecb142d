package io.slotcheck.harness.run;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.model.operation.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

class OperationExecutorTest {

    @RegisterExtension
    final Clusters clusters = new Clusters();

    private static final String WORKERS = "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'sub1' AND pid IS NOT NULL";

    @Test
    void anApplyWorkerHungConnectingIsEndedSoThatItsSubscriptionCanBeRepointed() throws IOException {
        // a publisher address that takes connections and never answers: the worker's connection attempt never ends
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Cluster cluster = clusters.startPair("17");
            OperationExecutor executor = new OperationExecutor(cluster);
            executor.execute(new Operation.AddSubscriber("subscriber"));
            executor.execute(new Operation.CreateSubscription("subscriber", "sub1", "primary", false, false));
            Node subscriber = cluster.node("subscriber");
            subscriber.execute("ALTER SUBSCRIPTION sub1 DISABLE");
            subscriber.pollQueryUntil(WORKERS, "0", Duration.ofSeconds(30));
            subscriber.execute("ALTER SUBSCRIPTION sub1 CONNECTION 'host=127.0.0.1 port=" + silent.getLocalPort() + " user=postgres dbname=postgres'",
                    "ALTER SUBSCRIPTION sub1 ENABLE");
            subscriber.pollQueryUntil(WORKERS, "1", Duration.ofSeconds(30));

            executor.execute(new Operation.RepointSubscription("subscriber", "sub1", "primary"));

            cluster.primary().pollQueryUntil("SELECT active FROM pg_replication_slots WHERE slot_name = 'sub1'", "t", Duration.ofSeconds(30));
        }
    }
}
