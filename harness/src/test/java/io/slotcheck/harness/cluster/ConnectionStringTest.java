package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the other servers reach a node: as slotcheck's superuser, or as the account of a cluster slotcheck did not make. */
class ConnectionStringTest {

    /** A runtime that answers only where the others reach it and as whom (nothing else is asked here). */
    private static ServerRuntime reachedAs(String host, String user, Optional<String> password) {
        InvocationHandler answers = (proxy, method, arguments) -> switch (method.getName()) {
            case "peerHost" -> host;
            case "clientUser" -> user;
            case "clientPassword" -> password;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (ServerRuntime) Proxy.newProxyInstance(ServerRuntime.class.getClassLoader(), new Class<?>[] {ServerRuntime.class}, answers);
    }

    @Test
    void anExternalServerIsReachedAsTheFilesAccountWithItsPasswordQuotedAsLibpqReadsIt() {
        Node node = new Node("primary", reachedAs("db1.example.com", "dba", Optional.of("it's a \\ secret")), 5432, Map.of(), Optional.empty());
        assertEquals("host=db1.example.com port=5432 user=dba password='it\\'s a \\\\ secret' dbname=postgres", node.connectionString("postgres"));
        assertEquals("host=db1.example.com port=5432 user=dba password=**** dbname=postgres", Cluster.maskPasswords(node.connectionString("postgres")),
                "masked whole, escaped quote and all");
    }

    @Test
    void slotchecksOwnServersAreReachedAsItsSuperuserWithoutAPassword() {
        Node node = new Node("standby1", reachedAs("127.0.0.1", Node.SUPERUSER, Optional.empty()), 6001, Map.of(), Optional.empty());
        assertEquals("host=127.0.0.1 port=6001 user=postgres", node.connectionString(null));
    }
}
