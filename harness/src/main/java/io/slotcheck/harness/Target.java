package io.slotcheck.harness;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.ServerAccount;

import java.nio.file.Path;

/** What slotcheck runs against: an installation (embedded binaries or {@code --pg-home}) and the work area its clusters live in. */
public record Target(WorkArea workArea, PgInstallation installation) {

    /** PostgreSQL {@code version} from Maven Central (a pinned major such as {@code 17}, or a full version). */
    public static Target embedded(String version, Path workDirectory) {
        EmbeddedBinaries.artifactVersion(version); // a version that is no version is reported before anything is made
        ServerAccount account = ServerAccount.forCurrentProcess();
        WorkArea area = WorkArea.open(workDirectory, account);
        return new Target(area, EmbeddedBinaries.resolve(version, area.root(), account));
    }

    /** The installation in {@code home} (a distribution package, a vendor's fork, a source build). */
    public static Target installed(Path home, Path workDirectory) {
        ServerAccount account = ServerAccount.forCurrentProcess();
        PgInstallation installation = PgInstallation.at(home, account);
        return new Target(WorkArea.open(workDirectory, account), installation);
    }

    public Cluster startPair() {
        return Cluster.startPair(workArea, installation);
    }

    public String describe() {
        return "PostgreSQL " + installation.version() + " (" + installation.home() + ")";
    }
}
