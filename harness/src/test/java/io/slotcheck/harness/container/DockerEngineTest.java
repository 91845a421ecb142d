package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slotcheck.harness.junit.DockerRequired;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DockerRequired.class)
class DockerEngineTest {

    @Test
    void leftoversOfAnEndedRunAreRemovedAndThoseOfARunningOneKept() throws Exception {
        DockerClient client = DockerEngine.client();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Map<String, String> endedOwner = Map.of(DockerEngine.OWNER_LABEL, Long.toString(ended.pid()));
        String name = "slotcheck-leftover-test-" + ProcessHandle.current().pid();
        String network = client.createNetworkCmd().withName(name).withLabels(endedOwner).exec().getId();
        client.createVolumeCmd().withName(name).withLabels(endedOwner).exec();
        String ours = client.createVolumeCmd().withName(name + "-live").withLabels(DockerEngine.ownerLabels()).exec().getName();
        try {
            assertTrue(DockerEngine.removeLeftovers() >= 2, "the ended run's network and volume are removed");
            assertThrows(NotFoundException.class, () -> client.inspectNetworkCmd().withNetworkId(network).exec());
            assertThrows(NotFoundException.class, () -> client.inspectVolumeCmd(name).exec());
            assertDoesNotThrow(() -> client.inspectVolumeCmd(ours).exec(), "a running slotcheck's volume is kept");
        } finally {
            client.removeVolumeCmd(ours).exec();
        }
    }
}
