package io.slotcheck.harness.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback between a standby and its upstream: the standby's {@code primary_conninfo} names the relay,
 * so its walreceiver, its slot sync worker and {@code pg_sync_replication_slots()} all reach the upstream through it,
 * and the harness can cut the link without stopping either server. While the link is whole, bytes pass untouched and
 * in order; a side that closes is closed on the other. The same relay is the stable endpoint subscribers may connect
 * through, which the harness moves to another server ({@link #retarget}).
 */
public final class LinkRelay implements AutoCloseable {

    /** How the link is cut. */
    public enum Cut {
        /** Whole: everything passes. */
        NONE,
        /** Connections stay open and new ones are accepted, but nothing passes until healed (then it all does, in order). */
        BLACKHOLE,
        /** Every connection is closed, and new ones are closed at once. */
        REFUSE,
        /** Everything passes, in order, each chunk late by the delay set with {@link #slow}. */
        DELAY
    }

    private static final int BUFFER = 64 * 1024;

    private final String name;
    private volatile int targetPort;
    private final ServerSocket listener;
    private final Set<List<Socket>> connections = ConcurrentHashMap.newKeySet();
    private final Object cutLock = new Object();
    private Cut cut = Cut.NONE;
    private long delayMillis;
    private volatile boolean closed;

    /**
     * A relay for {@code name}'s link to the server on the loopback {@code targetPort}, listening on a free port of
     * {@code address} (loopback for servers of this machine; for containers, where they reach this machine).
     */
    LinkRelay(String name, InetAddress address, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(FreePorts.next(), 50, address);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the link relay of " + name, e);
        }
        daemon("accept", this::acceptAll).start();
    }

    /** The address the standby connects to. */
    String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The port the standby connects to. */
    int port() {
        return listener.getLocalPort();
    }

    /** The port of the server behind the relay. */
    int targetPort() {
        return targetPort;
    }

    /** Slows the link: each chunk passes {@code delay} late. */
    void slow(Duration delay) {
        synchronized (cutLock) {
            delayMillis = delay.toMillis();
        }
        cut(Cut.DELAY);
    }

    /** Leads the relay to the server on {@code port}: open connections end, as a moved address ends them; new ones go there. */
    void retarget(int port) {
        targetPort = port;
        connections.forEach(LinkRelay::closeAll);
    }

    void cut(Cut how) {
        synchronized (cutLock) {
            cut = how;
            cutLock.notifyAll();
            if (how == Cut.REFUSE) {
                connections.forEach(LinkRelay::closeAll);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (cutLock) {
            cutLock.notifyAll();
        }
        closeQuietly(listener);
        FreePorts.release(listener.getLocalPort());
        connections.forEach(LinkRelay::closeAll);
    }

    private void acceptAll() {
        while (!closed) {
            Socket standbySide;
            try {
                standbySide = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (currentCut() == Cut.REFUSE) {
                closeQuietly(standbySide);
                continue;
            }
            Socket upstreamSide;
            try {
                upstreamSide = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                if (upstreamSide.getLocalPort() == upstreamSide.getPort()) {
                    // nothing listens there and the kernel picked that very port as the source: TCP's simultaneous open
                    // connected the socket to itself (seen once in LinkRelayTest)
                    closeQuietly(upstreamSide);
                    throw new IOException("connected to itself");
                }
            } catch (IOException e) {
                closeQuietly(standbySide); // the upstream is down: refused, as a direct connection would be
                continue;
            }
            List<Socket> connection = List.of(standbySide, upstreamSide);
            // registered under the cut's lock: a refusal made while this connection was being opened closes it too
            synchronized (cutLock) {
                if (cut == Cut.REFUSE) {
                    closeAll(connection);
                    continue;
                }
                connections.add(connection);
            }
            daemon("to upstream", () -> pump(connection, standbySide, upstreamSide)).start();
            daemon("to standby", () -> pump(connection, upstreamSide, standbySide)).start();
        }
    }

    /** Copies {@code from} to {@code to} while the link passes; an end of stream is passed on the same way. */
    private void pump(List<Socket> connection, Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); ; read = in.read(buffer)) {
                long late = awaitPassing();
                if (late > 0) {
                    Thread.sleep(late);
                }
                if (read < 0) {
                    return;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed, the link was refused, or the relay closed: the connection ends
        } finally {
            closeAll(connection);
            connections.remove(connection);
        }
    }

    /** Returns once the link lets a chunk pass, with how late it must pass; throws when the link is refused or closed. */
    private long awaitPassing() throws IOException, InterruptedException {
        synchronized (cutLock) {
            while (cut == Cut.BLACKHOLE && !closed) {
                cutLock.wait();
            }
            if (cut == Cut.REFUSE || closed) {
                throw new IOException("link of " + name + " cut");
            }
            return cut == Cut.DELAY ? delayMillis : 0;
        }
    }

    private Cut currentCut() {
        synchronized (cutLock) {
            return cut;
        }
    }

    private Thread daemon(String role, Runnable body) {
        Thread thread = new Thread(body, "slotcheck-relay-" + name + "-" + role);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeAll(List<Socket> connection) {
        connection.forEach(LinkRelay::closeQuietly);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing what is gone already
        }
    }
}
