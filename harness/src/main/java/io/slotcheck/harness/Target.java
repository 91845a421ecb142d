package io.slotcheck.harness;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.IvorySqlMode;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.ServerAccount;

import java.nio.file.Path;
import java.util.ArrayList;
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

    /**
     * The installation in {@code home} (a distribution package, a vendor's fork, a source build); for IvorySQL, its
     * clusters made in {@code ivorySqlMode} (null: IvorySQL's default, Oracle mode).
     */
    public static Target installed(Path home, IvorySqlMode ivorySqlMode, Path workDirectory) {
        ServerAccount account = ServerAccount.forCurrentProcess();
        PgInstallation found = PgInstallation.at(home, account);
        PgInstallation installation = ivorySqlMode == null ? found : found.withIvorySqlMode(ivorySqlMode);
        List<String> selection = new ArrayList<>(List.of("--pg-home", installation.home().toString()));
        if (installation.ivorySqlMode() != null) {
            selection.addAll(List.of("--ivorysql-mode", installation.ivorySqlMode().value()));
        }
        return new Target(WorkArea.open(workDirectory, account), installation, List.copyOf(selection));
    }

    public Cluster startPair() {
        return Cluster.startPair(workArea, installation);
    }

    /** How the servers are provided: binaries from Maven Central, or an installation. */
    public String backend() {
        return selection.get(0).equals("--target") ? "embedded (Maven Central binaries)" : "installation";
    }

    public String describe() {
        return installation.describe();
    }
}
