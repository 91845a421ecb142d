package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Free ports for servers and relays, never the same one twice in a JVM (a server may not have bound its port yet) nor
 * one another slotcheck on the machine holds (its servers are down for a restart now and then: each port handed out is
 * claimed by a file naming the JVM's pid in {@link #CLAIMS}, deleted when the JVM ends, and taken over once that
 * process is gone; both are given back when the cluster closes), and
 * below the range the kernel hands out to outgoing connections ({@code ip_local_port_range}): a port from that range,
 * free when chosen, may be taken by a client connection's local end while its server is down for a restart, which then
 * fails to bind it ("could not bind IPv4 address "0.0.0.0": Address already in use", seen in a container scenario's
 * rejoin).
 */
final class FreePorts {

    /** The lowest port handed out: above the well-known and most registered services' ports. */
    static final int LOWEST = 15000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Where the ephemeral range begins when the kernel does not say (Linux's default). */
    private static final int EPHEMERAL_DEFAULT_START = 32768;

    /** Where the slotcheck processes of this machine claim their ports. */
    static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"), "slotcheck-ports");

    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final Random RANDOM = new Random();

    private FreePorts() {
    }

    static synchronized int next() {
        int end = ephemeralStart(EPHEMERAL_RANGE);
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = LOWEST + RANDOM.nextInt(end - LOWEST);
            if (!HANDED_OUT.contains(port) && bindable(port) && claim(CLAIMS, port, ProcessHandle.current().pid())) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new SlotcheckException(ExitCode.SERVER, "no free port between " + LOWEST + " and " + end + " (below " + EPHEMERAL_RANGE
                + ") after 500 attempts: other servers or slotcheck runs (" + CLAIMS + ") hold them; run fewer at once");
    }

    /** Gives {@code port} back once nothing of this JVM's uses it any more (its cluster closed), and its claim with it. */
    static synchronized void release(int port) {
        if (HANDED_OUT.remove(port)) {
            Path claim = CLAIMS.resolve(Integer.toString(port));
            try {
                if (Files.exists(claim) && Files.readString(claim).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                    Files.delete(claim);
                }
            } catch (IOException e) {
                // left behind, the claim is taken over once this process is gone
            }
        }
    }

    /** Where outgoing connections' local ports begin, from {@code file} (as Linux writes it); never at or below {@link #LOWEST} + 1000. */
    static int ephemeralStart(Path file) {
        try {
            // read to its end: Files.readString() trusts the size procfs reports, and got "3" of "32768\t60999"
            int start;
            try (var in = Files.newInputStream(file)) {
                start = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+")[0]);
            }
            return Math.max(start, LOWEST + 1000);
        } catch (IOException | RuntimeException e) {
            return EPHEMERAL_DEFAULT_START;
        }
    }

    /**
     * Claims {@code port} for the process {@code pid} in {@code claims}, unless a live process holds it; true too where
     * there is no such directory to write (this JVM's own record then stands alone).
     */
    static boolean claim(Path claims, int port, long pid) {
        Path claim = claims.resolve(Integer.toString(port));
        try {
            if (Files.notExists(claims)) {
                Files.createDirectories(claims);
                // every user's slotcheck shares it
                claims.toFile().setWritable(true, false);
            }
            if (Files.exists(claim) && heldByALiveProcess(claim)) {
                return false;
            }
            Files.deleteIfExists(claim);
            Files.writeString(claim, Long.toString(pid), StandardOpenOption.CREATE_NEW);
            claim.toFile().deleteOnExit();
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean heldByALiveProcess(Path claim) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(claim).strip())).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Whether nothing listens on {@code port} on any address (servers in containers listen on all of them). */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
