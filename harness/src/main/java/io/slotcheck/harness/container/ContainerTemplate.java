package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.ClusterTemplate;
import io.slotcheck.harness.cluster.StopMode;
import io.slotcheck.harness.cluster.WorkArea;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ready-made data directories of an image, made once per run as {@link ClusterTemplate} makes them for a local
 * installation: a volume holding {@code base} (initdb with slotcheck's settings) and a stopped {@code primary} /
 * {@code standby1} pair that has streamed, so that a new pair in containers needs two copies and two starts. A tmpfs
 * volume keeps its files only while a container mounts it: a keeper container does, for the run. Both belong to the run
 * (its owner label): they are removed when the JVM exits, or by the next run if this one was killed.
 */
final class ContainerTemplate {

    /** Per profile: an image's clusters differ by IvorySQL's initdb mode. */
    private static final Map<ImageProfile, String> VOLUMES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ContainerTemplate::removeAll, "slotcheck-container-templates"));
    }

    private ContainerTemplate() {
    }

    /** The template volume of {@code profile}'s image and mode, made first if this run has none yet. */
    static synchronized String ensure(ImageProfile profile, WorkArea workArea) {
        String existing = VOLUMES.get(profile);
        if (existing != null) {
            return existing;
        }
        DockerClient client = DockerEngine.client();
        ContainerWorld.requireImage(client, profile);
        String volume = ContainerWorld.newName("template-");
        ContainerWorld.createTmpfsVolume(client, volume);
        try {
            ContainerWorld.keep(client, profile, volume);
            ContainerBackend builder = ContainerBackend.create(profile, workArea, Optional.empty(), Optional.of(volume));
            try (Cluster cluster = Cluster.startPair(builder)) {
                cluster.primary().waitForCatchup(cluster.standby());
                // the primary first: a fast shutdown sends its last WAL to the standby before exiting
                cluster.primary().stop(StopMode.FAST);
                cluster.standby().stop(StopMode.FAST);
                builder.exportTemplate();
            }
        } catch (RuntimeException e) {
            remove(client, volume);
            throw e;
        }
        VOLUMES.put(profile, volume);
        return volume;
    }

    private static void removeAll() {
        if (VOLUMES.isEmpty()) {
            return;
        }
        DockerClient client = DockerEngine.client();
        VOLUMES.values().forEach(volume -> remove(client, volume));
    }

    private static void remove(DockerClient client, String volume) {
        DockerEngine.removeContainer(client, ContainerWorld.keeperOf(volume));
        try {
            client.removeVolumeCmd(volume).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }
}
