package io.slotcheck.harness.external;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.external.ExternalConfig.Verb;
import io.slotcheck.harness.run.CampaignProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalConfigTest {

    @TempDir
    Path temp;

    private static final String PAIR = "\"servers\": {\"db1\": \"jdbc:postgresql://db1.example.com:5432/postgres\", "
            + "\"db2\": \"jdbc:postgresql://db1.example.com:5433\"}";

    private ExternalConfig read(String json, Map<String, String> environment) throws IOException {
        Path file = Files.writeString(temp.resolve("cluster.json"), json);
        return ExternalConfig.read(file, environment::get);
    }

    private void refused(String json, String mentioning) throws IOException {
        SlotcheckException e = assertThrows(SlotcheckException.class, () -> read(json, Map.of()));
        assertEquals(ExitCode.EXTERNAL_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains(mentioning), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void credentialsComeFromTheEnvironmentAndCommandsPerVerbAndServer() throws IOException {
        ExternalConfig config = read("{" + PAIR + ", \"user_env\": \"DBA\", \"password_env\": \"DBA_PASSWORD\", \"commands\": {"
                + "\"stop\": \"ssh {host} pg_ctl -D /data/{server} -p {port} stop\", \"start\": {\"db1\": \"start-1\", \"db2\": \"start-2\"},"
                + " \"kill\": \"patronictl restart --immediate {server}\", \"partition\": \"ssh {host} iptables-drop {how}\","
                + " \"heal\": \"ssh {host} iptables-accept\"}, \"allow_destructive\": true}",
                Map.of("DBA", "admin", "DBA_PASSWORD", "secret"));
        assertEquals("admin", config.user());
        assertEquals(new ExternalConfig.Address("db2.example.com", 5432), read("{\"servers\": {\"db1\": \"jdbc:postgresql://db1.example.com:5432\","
                + " \"db2\": \"jdbc:postgresql://db2.example.com:5432\"}}", Map.of()).servers().get("db2"), "hosts of their own, one port");
        assertEquals(Optional.of("secret"), config.password());
        assertEquals(new ExternalConfig.Address("db1.example.com", 5433), config.servers().get("db2"));
        assertEquals(Optional.of("start-2"), config.command(Verb.START, "db2"));
        assertEquals(Optional.of("ssh {host} pg_ctl -D /data/{server} -p {port} stop"), config.command(Verb.STOP, "db1"));
        assertEquals(Optional.empty(), config.withheld(Verb.KILL));
        Map<String, String> notRunnable = new ExternalCluster(config).operationsItCannotRun();
        assertFalse(notRunnable.containsKey("stop_node") || notRunnable.containsKey("crash_node") || notRunnable.containsKey("start_node"));
        assertFalse(notRunnable.containsKey("partition_link") || notRunnable.containsKey("heal_link"), notRunnable.toString());
        assertEquals("slowing a link needs slotcheck's relay in it", notRunnable.get("delay_link"));
        assertEquals("cluster.json gives no 'promote' command for db1 and db2", notRunnable.get("promote"));
        assertEquals("cluster.json gives no 'rejoin' command for db1 and db2", notRunnable.get("rejoin"));
    }

    @Test
    void aSubscriberIsStoppedStartedAndKilledButNeverPromotedOrRejoined() throws IOException {
        String commands = "\"commands\": {\"stop\": {\"db1\": \"a\", \"db2\": \"b\"}, \"promote\": {\"db1\": \"c\", \"db2\": \"d\"}}";
        ExternalConfig config = read("{" + PAIR + ", \"subscriber\": \"jdbc:postgresql://sub:5440\", " + commands + ", \"allow_destructive\": true}",
                Map.of());
        assertEquals(new ExternalConfig.Address("sub", 5440), config.address(ExternalConfig.SUBSCRIBER));
        assertEquals(Optional.of("cluster.json gives no 'stop' command for db1 and db2 and subscriber"), config.withheld(Verb.STOP));
        assertEquals(Optional.empty(), config.withheld(Verb.PROMOTE));
        Map<String, String> notRunnable = new ExternalCluster(config).operationsItCannotRun();
        assertFalse(notRunnable.containsKey("add_subscriber") || notRunnable.containsKey("create_subscription")
                || notRunnable.containsKey("repoint_subscription"), notRunnable.toString());
        assertEquals("slotcheck adds no standbys to a cluster it did not make", notRunnable.get("add_cascading_standby"));
        assertEquals("cluster.json names no subscriber", new ExternalCluster(read("{" + PAIR + "}", Map.of())).operationsItCannotRun()
                .get("create_subscription"));
        CampaignProfile continuity = CampaignProfile.named("continuity").without(notRunnable);
        assertFalse(continuity.hasEndpoint());
        assertTrue(continuity.opening().stream().noneMatch(o -> o instanceof io.slotcheck.model.operation.Operation.CreateSubscription create
                && create.throughEndpoint()), "the subscription connects to the primary directly: " + continuity.opening());
    }

    @Test
    void promotionNeedsTheCommandsThatMendTwoPrimaries() throws IOException {
        String commands = "\"promote\": \"pg_ctl promote\", \"start\": \"s\", \"stop\": \"t\"";
        Map<String, String> withoutRejoin = new ExternalCluster(read("{" + PAIR + ", \"commands\": {" + commands + "}, \"allow_destructive\": true}",
                Map.of())).operationsItCannotRun();
        assertEquals("cluster.json gives no 'rejoin' command for db1 and db2", withoutRejoin.get("promote"));
        Map<String, String> withRejoin = new ExternalCluster(read("{" + PAIR + ", \"commands\": {" + commands + ", \"rejoin\": \"r {slot}\"},"
                + " \"allow_destructive\": true}", Map.of())).operationsItCannotRun();
        assertFalse(withRejoin.containsKey("promote") || withRejoin.containsKey("rejoin"), withRejoin.toString());
    }

    @Test
    void destructiveVerbsNeedExplicitPermissionAndEveryNode() throws IOException {
        ExternalConfig careful = read("{" + PAIR + ", \"commands\": {\"stop\": \"x\", \"start\": \"y\", \"kill\": {\"db1\": \"z\"}}}", Map.of());
        assertEquals("postgres", careful.user(), "slotcheck's superuser unless named");
        assertEquals(Optional.empty(), careful.command(Verb.STOP, "db1"));
        assertEquals(Optional.of("y"), careful.command(Verb.START, "db1"), "starting destroys nothing");
        assertEquals(Optional.of("'stop' is destructive and cluster.json does not allow_destructive"), careful.withheld(Verb.STOP));
        Map<String, String> notRunnable = new ExternalCluster(careful).operationsItCannotRun();
        assertEquals("'stop' is destructive and cluster.json does not allow_destructive", notRunnable.get("stop_node"));
        assertEquals("cluster.json gives no 'kill' command for db1 and db2", notRunnable.get("crash_node"));
        assertEquals("nothing stops a server here", notRunnable.get("start_node"));
        assertEquals("cluster.json gives no 'partition' command for db1 and db2", notRunnable.get("partition_link"));
        assertEquals(notRunnable.get("partition_link"), notRunnable.get("heal_link"), "a partition comes with its healing");
    }

    @Test
    void aProfileOpeningWithWhatTheClusterCannotRunIsRefused() throws IOException {
        ExternalConfig config = read("{" + PAIR + "}", Map.of());
        SlotcheckException refused = assertThrows(SlotcheckException.class,
                () -> CampaignProfile.named("continuity").without(new ExternalCluster(config).operationsItCannotRun()));
        assertEquals(ExitCode.USAGE, refused.exitCode());
        assertEquals("profile continuity opens with add_subscriber, which this target cannot run (cluster.json names no subscriber):"
                + " choose another profile", refused.getMessage());
    }

    @Test
    void mistakesAreOneLineSayingWhatToFix() throws IOException {
        SlotcheckException missing = assertThrows(SlotcheckException.class, () -> ExternalConfig.read(temp.resolve("none.json"), name -> null));
        assertEquals(ExitCode.EXTERNAL_CONFIG, missing.exitCode());
        assertTrue(missing.getMessage().contains("none.json cannot be read"), missing.getMessage());
        refused("{\"primary\": ", "is not JSON");
        refused("[]", "must hold a JSON object");
        refused("{" + PAIR + ", \"pasword_env\": \"X\"}", "has no setting 'pasword_env'");
        refused("{\"servers\": {\"db1\": \"jdbc:postgresql://db1:5432\"}}", "must name its servers, the primary and its standbys");
        refused("{\"primary\": \"jdbc:postgresql://db1:5432\"}", "has no setting 'primary'");
        refused("{\"servers\": {\"db1\": \"postgres://db1:5432\", \"db2\": \"jdbc:postgresql://db2:5433\"}}", "not a URL such as jdbc:postgresql://");
        refused("{\"servers\": {\"db1\": \"jdbc:postgresql://db1:5432/app\", \"db2\": \"jdbc:postgresql://db2:5433\"}}", "names the database app");
        refused("{\"servers\": {\"db1\": \"jdbc:postgresql://db1:5432\", \"db2\": \"jdbc:postgresql://db1:5432\"}}", "names one address for two servers");
        refused("{\"servers\": {\"DB1\": \"jdbc:postgresql://db1:5432\", \"db2\": \"jdbc:postgresql://db2:5433\"}}", "names a server 'DB1'");
        refused("{" + PAIR + ", \"password_env\": \"NOT_SET\"}", "NOT_SET, which is not set: export it");
        refused("{" + PAIR + ", \"subscriber\": \"jdbc:postgresql://db1.example.com:5433\"}", "for the subscriber and a server of the pair");
        refused("{\"servers\": {\"subscriber\": \"jdbc:postgresql://db1:5432\", \"db2\": \"jdbc:postgresql://db2:5433\"}}", "not 'subscriber'");
        refused("{" + PAIR + ", \"commands\": {\"failover\": \"patronictl failover\"}}",
                "'failover': the verbs are stop, start, kill, partition, heal, promote, rejoin");
        refused("{" + PAIR + ", \"commands\": {\"stop\": {\"standby2\": \"x\"}}}", "name db1 and db2");
        refused("{" + PAIR + ", \"allow_destructive\": \"yes\"}", "neither true nor false");
    }
}
