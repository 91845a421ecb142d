package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @TempDir
    Path temp;

    @Test
    void portsAreBelowTheEphemeralRangeDistinctAndFree() throws IOException {
        Path kernelRange = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = FreePorts.ephemeralStart(kernelRange);
        if (Files.exists(kernelRange)) {
            int kernelStart = Integer.parseInt(new ProcessBuilder("cat", kernelRange.toString()).start().inputReader().readLine().split("\\s+")[0]);
            assertEquals(Math.max(kernelStart, FreePorts.LOWEST + 1000), ephemeralStart, "the kernel's own start, read whole");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.next();
            assertTrue(port >= FreePorts.LOWEST && port < ephemeralStart, port + " lies below " + ephemeralStart);
            assertTrue(seen.add(port), port + " handed out once");
        }
        int port = FreePorts.next();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            assertEquals(port, socket.getLocalPort(), "a port handed out can be bound on every address");
        }
    }

    @Test
    void aPortAnotherLiveProcessClaimedIsNotHandedOutOneOfAProcessGoneIs() throws IOException, InterruptedException {
        Path claims = temp.resolve("claims");
        long me = ProcessHandle.current().pid();
        assertTrue(FreePorts.claim(claims, 15001, me));
        assertEquals(Long.toString(me), Files.readString(claims.resolve("15001")));
        assertFalse(FreePorts.claim(claims, 15001, me + 1), "held by a live process");
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.writeString(claims.resolve("15002"), Long.toString(ended.pid()));
        assertTrue(FreePorts.claim(claims, 15002, me), "its holder is gone");
        assertEquals(Long.toString(me), Files.readString(claims.resolve("15002")));
        Files.writeString(temp.resolve("not-a-directory"), "");
        assertTrue(FreePorts.claim(temp.resolve("not-a-directory"), 15004, me), "no place to claim in: this JVM's own record stands alone");
        int port = FreePorts.next();
        assertTrue(Files.exists(FreePorts.CLAIMS.resolve(Integer.toString(port))), "a port handed out is claimed");
        FreePorts.release(port);
        assertFalse(Files.exists(FreePorts.CLAIMS.resolve(Integer.toString(port))), "and given back with its claim");
    }

    @Test
    void theEphemeralRangeIsReadAsLinuxWritesItOrAssumed() throws IOException {
        Path range = Files.writeString(temp.resolve("ip_local_port_range"), "40000\t60999\n");
        assertEquals(40000, FreePorts.ephemeralStart(range));
        assertEquals(FreePorts.LOWEST + 1000, FreePorts.ephemeralStart(Files.writeString(temp.resolve("low"), "1024 65535")),
                "a range that begins low leaves room above the lowest port");
        assertEquals(32768, FreePorts.ephemeralStart(temp.resolve("missing")), "Linux's default where the kernel does not say");
    }
}
