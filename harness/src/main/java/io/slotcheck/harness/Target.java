package io.slotcheck.harness;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.ServerAccount;

import java.nio.file.Path;
import java.util.List;

/**
 * What slotcheck runs against: an installation (embedded binaries or {@code --pg-home}) and the work area its clusters
 * live in. {@code selection} is the command-line options that select it again (kept in replay files).
 */
public record Target(WorkArea workArea, PgInstallation installation, List<String> selection) {

    /** PostgreSQL {@code version} from Maven Central (a pinned major such as {@code 17}, or a full version). */
    public static Target embedded(String version, Path workDirectory) {
        // a version that is no version is reported before anything is made
        String artifactVersion = EmbeddedBinaries.artifactVersion(version);
        ServerAccount account = ServerAccount.forCurrentProcess();
        WorkArea area = WorkArea.open(workDirectory, account);
        return new Target(area, EmbeddedBinaries.resolve(artifactVersion, area.root(), account), List.of("--target", artifactVersion));
    }

    /** The installation in {@code home} (a distribution package, a vendor's fork, a source build). */
    public static Target installed(Path home, Path workDirectory) {
        ServerAccount account = ServerAccount.forCurrentProcess();
        PgInstallation installation = PgInstallation.at(home, account);
        return new Target(WorkArea.open(workDirectory, account), installation, List.of("--pg-home", installation.home().toString()));
    }

    public Cluster startPair() {
        return Cluster.startPair(workArea, installation);
    }

    /** How the servers are provided: binaries from Maven Central, or an installation. */
    public String backend() {
        return selection.get(0).equals("--target") ? "embedded (Maven Central binaries)" : "installation";
    }

    public String describe() {
        return "PostgreSQL " + installation.version() + " (" + installation.home() + ")";
    }
}
