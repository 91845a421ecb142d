package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Servers as processes of this machine, on loopback, their files in a directory of the work area; data directories
 * are copies of the installation's {@link ClusterTemplate}.
 */
public final class LocalBackend implements ClusterBackend {

    private final Path directory;
    private final WorkArea workArea;
    private final ClusterTemplate template;

    private LocalBackend(Path directory, WorkArea workArea, ClusterTemplate template) {
        this.directory = directory;
        this.workArea = workArea;
        this.template = template;
    }

    /** A new cluster directory in {@code workArea} for servers of {@code installation} (its template built first if need be). */
    public static LocalBackend open(WorkArea workArea, PgInstallation installation) {
        ClusterTemplate template = ClusterTemplate.ensure(workArea, installation);
        return new LocalBackend(workArea.newClusterDirectory("pair"), workArea, template);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String location() {
        return directory.toString();
    }

    @Override
    public ServerRuntime newServer(String node, int port, Optional<Integer> oraclePort) {
        try {
            return new LocalServer(node, ClusterTemplate.nodeDirectory(directory, node, workArea.account()), port, template.installation(),
                    workArea.account());
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "cannot create node directory in " + directory + ": " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> nodeSettings() {
        return Map.of();
    }

    @Override
    public SlotSyncMechanism slotSync() {
        return template.installation().slotSync();
    }

    @Override
    public boolean oracleListener() {
        return template.installation().oracleMode();
    }

    @Override
    public void layFreshCluster(ServerRuntime server) {
        ClusterTemplate.copyDataDirectory(template.base(), ((LocalServer) server).dataDirectory());
    }

    @Override
    public boolean layPair(ServerRuntime primary, ServerRuntime standby) {
        try {
            CompletableFuture<Void> standbyCopy = CompletableFuture.runAsync(
                    () -> ClusterTemplate.copyDataDirectory(template.standby(), ((LocalServer) standby).dataDirectory()));
            ClusterTemplate.copyDataDirectory(template.primary(), ((LocalServer) primary).dataDirectory());
            standbyCopy.join();
            return true;
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public InetAddress relayAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public boolean serversStopBeforeClose() {
        return true;
    }

    @Override
    public void close(boolean keepFiles) {
        try {
            WorkArea.stopServersUnder(directory);
            if (keepFiles) {
                WorkArea.markKept(directory);
                System.err.println("slotcheck: kept the files of cluster " + directory.getFileName() + " in " + directory);
            } else {
                FileTrees.delete(directory);
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not remove " + directory + ": " + e.getMessage());
        }
    }
}
