package io.slotcheck.harness.container;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.ClusterBackend;
import io.slotcheck.harness.cluster.ClusterTemplate;
import io.slotcheck.harness.cluster.ServerRuntime;
import io.slotcheck.harness.cluster.WorkArea;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Servers in containers of one {@link ContainerWorld}: each node's server in a container of its own on the world's
 * network, published on the loopback port of its node. The first data directory is made by the image's initdb, the
 * others are copies of it or base backups; the servers reach the harness's relays at the network's gateway.
 */
public final class ContainerBackend implements ClusterBackend {

    private static final String BASE = "base";

    private final ContainerWorld world;
    private final WorkArea workArea;
    private final InetAddress gateway;
    private boolean baseMade;

    private ContainerBackend(ContainerWorld world, WorkArea workArea) {
        this.world = world;
        this.workArea = workArea;
        this.gateway = world.gateway();
    }

    /** A new world for servers of {@code profile}; files kept on request go into a cluster directory of {@code workArea}. */
    public static ContainerBackend create(ImageProfile profile, WorkArea workArea) {
        ContainerWorld world = ContainerWorld.create(profile);
        try {
            return new ContainerBackend(world, workArea);
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    @Override
    public String location() {
        return "container world " + world.name();
    }

    @Override
    public ServerRuntime newServer(String node, int port) {
        return new ContainerServer(world, node, port);
    }

    /** Listening on the world's network too: the other servers connect by name, the engine forwards the published port. */
    @Override
    public Map<String, String> nodeSettings() {
        return Map.of("listen_addresses", "*");
    }

    @Override
    public boolean oracleListener() {
        return false;
    }

    @Override
    public void layFreshCluster(ServerRuntime server) {
        if (!baseMade) {
            world.initdb(BASE, List.of(), ClusterTemplate.SETTINGS);
            baseMade = true;
        }
        String node = ((ContainerServer) server).node();
        world.filesAsServerUser("sh", "-c", "mkdir -p " + ContainerWorld.ROOT + "/" + node + " && cp -a " + ContainerWorld.dataDirectory(BASE)
                + " " + ContainerWorld.dataDirectory(node));
    }

    @Override
    public boolean layPair(ServerRuntime primary, ServerRuntime standby) {
        return false;
    }

    @Override
    public InetAddress relayAddress() {
        return gateway;
    }

    private static void markKept(Path directory) {
        try {
            WorkArea.markKept(directory);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not keep files in " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public void close(boolean keepFiles) {
        try {
            if (keepFiles) {
                Path kept = workArea.newClusterDirectory("docker");
                markKept(kept);
                Path archive = kept.resolve("files.tar");
                world.archiveFiles(archive);
                System.err.println("slotcheck: kept the files of " + location() + " (data directories, server logs) in " + archive);
            }
        } finally {
            world.close();
        }
    }
}
