package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Docker engine Testcontainers reaches, and the labels that mark what slotcheck made there. Everything slotcheck
 * creates in the engine carries {@link #OWNER_LABEL} with the process id of the JVM that made it, so that a later run
 * can remove what a killed one left behind ({@link #removeLeftovers}).
 */
public final class DockerEngine {

    /** The label whose value is the process id of the slotcheck run that created the container, network or volume. */
    public static final String OWNER_LABEL = "io.slotcheck.owner";

    private DockerEngine() {
    }

    /** How long finding the engine may take: Testcontainers tries every way it knows, each with its own timeout. */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(30);

    /** Why no engine can be used, in one line that says what to do; empty when there is one. */
    public static Optional<String> unavailableReason() {
        String where = Optional.ofNullable(System.getenv("DOCKER_HOST")).orElse("unix:///var/run/docker.sock");
        try {
            boolean available = CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable())
                    .get(PROBE_BOUND.toSeconds(), TimeUnit.SECONDS);
            return available ? Optional.empty()
                    : Optional.of("no Docker engine answers at " + where + ": start one (dockerd) or set DOCKER_HOST");
        } catch (TimeoutException e) {
            return Optional.of("the Docker engine at " + where + " was not found within " + PROBE_BOUND.toSeconds() + " s (inside a"
                    + " container, set TESTCONTAINERS_HOST_OVERRIDE=localhost)");
        } catch (ExecutionException e) {
            return Optional.of("no Docker engine answers at " + where + " (" + e.getCause().getMessage() + "): start one (dockerd) or set DOCKER_HOST");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while looking for the Docker engine");
        }
    }

    /** The engine's client; fails with a one-line message when there is no engine. */
    public static DockerClient client() {
        unavailableReason().ifPresent(reason -> {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, reason);
        });
        return DockerClientFactory.instance().client();
    }

    /** The labels of what this JVM creates in the engine. */
    public static Map<String, String> ownerLabels() {
        return Map.of(OWNER_LABEL, Long.toString(ProcessHandle.current().pid()));
    }

    /**
     * Removes the containers, networks and volumes of slotcheck runs that are over: made by a process that no longer
     * runs on this machine. Returns how many were removed.
     */
    /**
     * Removes a container, whatever runs in it, with its anonymous volumes (images such as the official postgres declare
     * a VOLUME: each container gets one); one that is gone already is no error.
     */
    static void removeContainer(DockerClient client, String container) {
        try {
            client.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        }
    }

    public static int removeLeftovers() {
        DockerClient client = client();
        int removed = 0;
        for (var container : client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(OWNER_LABEL)).exec()) {
            if (ownerIsGone(container.getLabels())) {
                removeContainer(client, container.getId());
                removed++;
            }
        }
        for (var network : client.listNetworksCmd().exec()) {
            if (network.getLabels() != null && network.getLabels().containsKey(OWNER_LABEL) && ownerIsGone(network.getLabels())) {
                client.removeNetworkCmd(network.getId()).exec();
                removed++;
            }
        }
        var volumes = client.listVolumesCmd().exec().getVolumes();
        for (var volume : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of() : volumes) {
            if (volume.getLabels() != null && volume.getLabels().containsKey(OWNER_LABEL) && ownerIsGone(volume.getLabels())) {
                client.removeVolumeCmd(volume.getName()).exec();
                removed++;
            }
        }
        return removed;
    }

    private static boolean ownerIsGone(Map<String, String> labels) {
        try {
            return ProcessHandle.of(Long.parseLong(labels.get(OWNER_LABEL))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
