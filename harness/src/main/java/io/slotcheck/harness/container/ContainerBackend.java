package io.slotcheck.harness.container;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.cluster.ClusterBackend;
import io.slotcheck.harness.cluster.ClusterTemplate;
import io.slotcheck.harness.cluster.Node;
import io.slotcheck.harness.cluster.ServerRuntime;
import io.slotcheck.harness.cluster.WorkArea;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** Whether the world's template volume holds ready-made data directories to copy (else this world makes them). */
    private final boolean templateReady;
    private boolean baseMade;

    private ContainerBackend(ContainerWorld world, WorkArea workArea, boolean templateReady) {
        this.world = world;
        this.workArea = workArea;
        this.templateReady = templateReady;
        this.gateway = world.gateway();
    }

    /**
     * A new world for servers of {@code profile}, its data directories copied from the image's {@link ContainerTemplate};
     * files kept on request go into a cluster directory of {@code workArea}.
     */
    public static ContainerBackend create(ImageProfile profile, WorkArea workArea) {
        return create(profile, workArea, Optional.of(ContainerTemplate.ensure(profile, workArea)), Optional.empty());
    }

    /** Makes the image's {@link ContainerTemplate} now, if this run has none yet, so that timings of clusters leave it out. */
    public static void prepare(ImageProfile profile, WorkArea workArea) {
        ContainerTemplate.ensure(profile, workArea);
    }

    /** A world that copies from the template volume {@code copyFrom}, or makes data directories to export to {@code exportTo}. */
    static ContainerBackend create(ImageProfile profile, WorkArea workArea, Optional<String> copyFrom, Optional<String> exportTo) {
        ContainerWorld world = ContainerWorld.create(profile, copyFrom.or(() -> exportTo));
        try {
            return new ContainerBackend(world, workArea, copyFrom.isPresent());
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
    public ServerRuntime newServer(String node, int port, Optional<Integer> oraclePort) {
        return new ContainerServer(world, node, port, oraclePort);
    }

    /**
     * Listening on the world's network too: the other servers connect by name, the engine forwards the published ports
     * (IvorySQL's Oracle-mode listener's as well).
     */
    @Override
    public Map<String, String> nodeSettings() {
        return world.profile().oracleMode() ? Map.of("listen_addresses", "*", "ivorysql.listen_addresses", "*") : Map.of("listen_addresses", "*");
    }

    @Override
    public boolean oracleListener() {
        return world.profile().oracleMode();
    }

    @Override
    public void layFreshCluster(ServerRuntime server) {
        if (!templateReady && !baseMade) {
            world.initdb(BASE, world.profile().initdbModeArguments(), ClusterTemplate.SETTINGS);
            baseMade = true;
        }
        copyDataDirectory(templateReady ? ContainerWorld.TEMPLATE : ContainerWorld.ROOT, BASE, ((ContainerServer) server).node());
    }

    @Override
    public boolean layPair(ServerRuntime primary, ServerRuntime standby) {
        if (templateReady) {
            copyDataDirectory(ContainerWorld.TEMPLATE, "primary", ((ContainerServer) primary).node());
            copyDataDirectory(ContainerWorld.TEMPLATE, ClusterTemplate.STANDBY_SLOT, ((ContainerServer) standby).node());
        }
        return templateReady;
    }

    /** {@code cp -a} of the data directory of {@code from} under {@code root} to that of node {@code to}. */
    private void copyDataDirectory(String root, String from, String to) {
        world.filesAsServerUser("sh", "-c", "mkdir -p " + ContainerWorld.ROOT + "/" + to + " && cp -a " + root + "/" + from + "/data "
                + ContainerWorld.dataDirectory(to));
    }

    /**
     * Copies this world's stopped base, primary and standby into its template volume, without what belongs to one run of
     * them (logs, per-node settings).
     */
    void exportTemplate() {
        String template = ContainerWorld.TEMPLATE;
        world.files("sh", "-c", "cp -a " + ContainerWorld.ROOT + "/" + BASE + " " + ContainerWorld.ROOT + "/primary " + ContainerWorld.ROOT
                + "/" + ClusterTemplate.STANDBY_SLOT + " " + template + "/ && rm -f " + template + "/*/server.log " + template + "/*/data/"
                + Node.NODE_CONF + " " + template + "/*/data/postmaster.opts");
    }

    @Override
    public InetAddress relayAddress() {
        return gateway;
    }

    @Override
    public boolean serversStopBeforeClose() {
        return false;
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
