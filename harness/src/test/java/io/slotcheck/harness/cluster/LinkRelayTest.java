package io.slotcheck.harness.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay of a replication link, against an echo server: what passes, what a cut does, and what healing releases. */
class LinkRelayTest {

    private ServerSocket echo;
    private Thread echoServer;
    private LinkRelay relay;

    @BeforeEach
    void startEchoServerBehindARelay() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoServer = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket client = echo.accept();
                    Thread connection = new Thread(() -> {
                        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        echoServer.setDaemon(true);
        echoServer.start();
        relay = new LinkRelay("test", InetAddress.getLoopbackAddress(), echo.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        relay.close();
        echo.close();
    }

    private Socket client() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port());
        socket.setSoTimeout(2000);
        return socket;
    }

    private static byte[] exchange(Socket socket, byte[] message) throws IOException {
        socket.getOutputStream().write(message);
        return socket.getInputStream().readNBytes(message.length);
    }

    @Test
    void aWholeLinkPassesEveryByteInOrder() throws IOException {
        byte[] message = new byte[300_000];
        Arrays.fill(message, (byte) 7);
        message[0] = 1;
        message[message.length - 1] = 9;
        try (Socket socket = client()) {
            assertArrayEquals(message, exchange(socket, message));
        }
    }

    @Test
    void aRefusedLinkClosesOpenConnectionsAndNewOnesUntilHealed() throws IOException {
        try (Socket open = client()) {
            relay.cut(LinkRelay.Cut.REFUSE);
            assertEquals(-1, open.getInputStream().read(), "an open connection is closed");
        }
        try (Socket refused = client()) {
            assertEquals(-1, refused.getInputStream().read(), "a new connection is closed at once");
        }
        relay.cut(LinkRelay.Cut.NONE);
        try (Socket healed = client()) {
            assertArrayEquals("again".getBytes(StandardCharsets.UTF_8), exchange(healed, "again".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aBlackholedLinkPassesNothingUntilHealedThenEverythingInOrder() throws IOException {
        try (Socket socket = client()) {
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), exchange(socket, "a".getBytes(StandardCharsets.UTF_8)));
            relay.cut(LinkRelay.Cut.BLACKHOLE);
            socket.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "nothing comes back through a blackhole");
            relay.cut(LinkRelay.Cut.NONE);
            socket.setSoTimeout(2000);
            assertArrayEquals("held".getBytes(StandardCharsets.UTF_8), socket.getInputStream().readNBytes(4), "released when healed");
        }
    }

    @Test
    void aSlowedLinkPassesEverythingInOrderButLate() throws IOException {
        relay.slow(Duration.ofMillis(300));
        try (Socket socket = client()) {
            long started = System.nanoTime();
            assertArrayEquals("late".getBytes(StandardCharsets.UTF_8), exchange(socket, "late".getBytes(StandardCharsets.UTF_8)));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 600, "300 ms each way");
        }
        relay.cut(LinkRelay.Cut.NONE);
    }

    @Test
    void aConnectionToAnUpstreamThatIsDownIsClosed() throws IOException, InterruptedException {
        echo.close();
        // an accept woken by the close can still take a connection made meanwhile: down means its thread has ended
        echoServer.join(5000);
        try (Socket socket = client()) {
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aRetargetedRelayEndsItsConnectionsAndLeadsNewOnesToTheOtherServer() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                try (Socket client = other.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("other".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test ended
                }
            });
            greeter.setDaemon(true);
            greeter.start();
            try (Socket before = client()) {
                assertArrayEquals(new byte[] {1}, exchange(before, new byte[] {1}), "through to the echo server first");
                relay.retarget(other.getLocalPort());
                assertEquals(-1, before.getInputStream().read(), "the connection made before the move is ended");
            }
            try (Socket after = client()) {
                assertEquals("other", new String(after.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            }
            assertEquals(other.getLocalPort(), relay.targetPort());
        }
    }
}
