package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import io.slotcheck.harness.junit.Clusters;
import io.slotcheck.harness.junit.DockerRequired;
import io.slotcheck.harness.server.IvorySqlMode;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.model.version.Product;
import io.slotcheck.model.version.SlotSyncMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(DockerRequired.class)
class LocalImageTest {

    @Test
    void imageOfTheEmbeddedBinariesRunsTheirPostgres() throws Exception {
        PgInstallation installation = Clusters.embedded("17").installation().orElseThrow();
        String image = LocalImage.ensure(installation);
        DockerClient client = DockerEngine.client();
        assertTrue(image.matches("slotcheck/postgres:" + Pattern.quote(installation.version()) + "-[0-9a-f]{8}"), image);
        PgInstallation ivorySqlOfTheSameVersion = new PgInstallation(installation.home(), installation.version(), installation.major(),
                Product.IVORYSQL, IvorySqlMode.ORACLE, SlotSyncMechanism.BUILT_IN);
        assertNotEquals(image, LocalImage.name(ivorySqlOfTheSameVersion), "an IvorySQL build has an image of its own");
        assertNotEquals(image, LocalImage.name(new PgInstallation(installation.home().resolveSibling("another-build"),
                installation.version(), installation.major(), installation.product(), installation.ivorySqlMode(), installation.slotSync())),
                "so has another build of the same version");
        assertEquals("postgres", client.inspectImageCmd(image).exec().getConfig().getUser());
    }
}
