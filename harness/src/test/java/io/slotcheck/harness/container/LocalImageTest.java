package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.junit.DockerRequired;
import io.slotcheck.harness.server.PgInstallation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(DockerRequired.class)
class LocalImageTest {

    @Test
    void imageOfTheEmbeddedBinariesRunsTheirPostgres() throws Exception {
        PgInstallation installation = Clusters.embedded("17").installation().orElseThrow();
        String image = LocalImage.ensure(installation);
        DockerClient client = DockerEngine.client();
        assertEquals("slotcheck/postgres:17.11", image);
        assertEquals("postgres", client.inspectImageCmd(image).exec().getConfig().getUser());
    }
}
