package io.slotcheck.harness;

import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.ClusterTemplate;
import io.slotcheck.harness.cluster.LocalBackend;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.container.ContainerBackend;
import io.slotcheck.harness.container.ImageProfile;
import io.slotcheck.harness.container.LocalImage;
import io.slotcheck.harness.external.ExternalCluster;
import io.slotcheck.harness.external.ExternalConfig;
import io.slotcheck.harness.server.EmbeddedBinaries;
import io.slotcheck.harness.server.IvorySqlMode;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.harness.server.ServerAccount;
import io.slotcheck.model.version.SlotSyncMechanism;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.function.Supplier;

/**
 * What slotcheck runs against: servers of an installation of this machine (embedded binaries or {@code --pg-home}) as
 * local processes, or servers of an image in containers, and the work area the clusters' files live in.
 * {@code selection} is the command-line options that select it again (kept in replay files).
 */
public final class Target {

    private final WorkArea workArea;
    private final Optional<PgInstallation> installation;
    private final String description;
    private final String backend;
    private final List<String> selection;
    private final Supplier<Cluster> pairs;
    private final Runnable preparation;
    /** For servers in containers of an image built from an installation of this machine: that installation's target. */
    private final Optional<Target> localCounterpart;
    private final Map<String, String> operationsItCannotRun;
    /** Why a rejoin may take a server's own slots away, if it may: a rejoin command slotcheck did not write. */
    private final Optional<String> rejoinMayLoseData;
    /** Whether a pair may start while another runs: processes of this machine, each pair in directories of its own. */
    private final boolean startsPairsSideBySide;

    /** What processes of this machine cannot undergo, sharing its network: being taken off it. */
    private static final String NO_NETWORK_OF_THEIR_OWN = "servers of this machine have no network of their own to leave (containers do)";
    /** The operations that run a program of the installation beside the server's own, by kind. */
    private static final Map<String, String> PROGRAMS_OF_OPERATIONS = Map.of("convert_to_subscriber", "pg_createsubscriber",
            "upgrade_in_place", "pg_upgrade");
    private static final Map<String, String> LOCAL_PROCESSES_CANNOT_RUN = Map.of(
            "disconnect_node", NO_NETWORK_OF_THEIR_OWN, "reconnect_node", NO_NETWORK_OF_THEIR_OWN);

    private Target(WorkArea workArea, Optional<PgInstallation> installation, String description, String backend, List<String> selection,
                   Supplier<Cluster> pairs, Runnable preparation, Optional<Target> localCounterpart,
                   Map<String, String> operationsItCannotRun, Optional<String> rejoinMayLoseData, boolean startsPairsSideBySide) {
        this.workArea = workArea;
        this.installation = installation;
        this.description = description;
        this.backend = backend;
        this.selection = List.copyOf(selection);
        this.pairs = pairs;
        this.preparation = preparation;
        this.localCounterpart = localCounterpart;
        this.operationsItCannotRun = Map.copyOf(operationsItCannotRun);
        this.rejoinMayLoseData = rejoinMayLoseData;
        this.startsPairsSideBySide = startsPairsSideBySide;
    }

    /**
     * PostgreSQL {@code version} from Maven Central (a pinned major such as {@code 17}, a full version, or {@code latest} /
     * {@code 17-latest}); its selection names the full version, so that a replay runs the same minor.
     */
    public static Target embedded(String version, Path workDirectory) {
        // a version that is no version is reported before anything is made
        String artifactVersion = EmbeddedBinaries.artifactVersion(version);
        ServerAccount account = ServerAccount.forCurrentProcess();
        WorkArea area = WorkArea.open(workDirectory, account);
        return local(area, EmbeddedBinaries.resolve(artifactVersion, area.root(), account), "embedded (Maven Central binaries)",
                List.of("--target", artifactVersion));
    }

    /**
     * The installation in {@code home} (a distribution package, a vendor's fork, a source build); for IvorySQL, its
     * clusters made in {@code ivorySqlMode} (null: IvorySQL's default, Oracle mode).
     */
    public static Target installed(Path home, IvorySqlMode ivorySqlMode, SlotSyncMechanism slotSync, Path workDirectory) {
        ServerAccount account = ServerAccount.forCurrentProcess();
        PgInstallation found = PgInstallation.at(home, account);
        PgInstallation inMode = ivorySqlMode == null ? found : found.withIvorySqlMode(ivorySqlMode);
        PgInstallation installation = slotSync == null ? inMode : inMode.withSlotSync(slotSync);
        List<String> selection = new ArrayList<>(List.of("--pg-home", installation.home().toString()));
        if (installation.ivorySqlMode() != null) {
            selection.addAll(List.of("--ivorysql-mode", installation.ivorySqlMode().value()));
        }
        selection.addAll(List.of("--slot-sync", installation.slotSync().historyName));
        return local(WorkArea.open(workDirectory, account), installation, "installation", selection);
    }

    private static Target local(WorkArea area, PgInstallation installation, String backend, List<String> selection) {
        Map<String, String> cannotRun = new TreeMap<>(LOCAL_PROCESSES_CANNOT_RUN);
        cannotRun.putAll(programsLacking(installation));
        return new Target(area, Optional.of(installation), installation.describe(), backend, selection,
                () -> Cluster.startPair(LocalBackend.open(area, installation)), () -> ClusterTemplate.ensure(area, installation), Optional.empty(),
                cannotRun, Optional.empty(), true);
    }

    /** The operations that need a program {@code installation} lacks, with why (an image built from it lacks it too). */
    private static Map<String, String> programsLacking(PgInstallation installation) {
        Map<String, String> lacking = new TreeMap<>();
        PROGRAMS_OF_OPERATIONS.forEach((kind, program) -> {
            if (!Files.isExecutable(installation.bin(program))) {
                lacking.put(kind, installation.describe() + " has no " + program + " (Maven Central's binaries carry initdb, pg_ctl and"
                        + " postgres only): give --pg-home an installation that has it");
            }
        });
        return lacking;
    }

    /**
     * This target's installation in containers: an image built here from it (no registry needed), each server in a
     * container of its own.
     */
    public Target inContainers() {
        PgInstallation built = installation.orElseThrow(() -> new IllegalStateException(description + " is in containers already"));
        if (built.slotSync() == SlotSyncMechanism.PG_FAILOVER_SLOTS) {
            throw new SlotcheckException(ExitCode.USAGE, "pg_failover_slots runs on servers of this machine only: leave out --backend docker"
                    + " (or give --slot-sync built-in, for a PostgreSQL 17 or later installation)");
        }
        ImageProfile profile = ImageProfile.local(LocalImage.ensure(built), Optional.ofNullable(built.ivorySqlMode()));
        List<String> containerSelection = new ArrayList<>(List.of("--backend", "docker"));
        containerSelection.addAll(selection);
        return new Target(workArea, installation, built.describe() + " in image " + profile.image(), "docker (image built here)",
                containerSelection, () -> Cluster.startPair(ContainerBackend.create(profile, workArea)), () -> ContainerBackend.prepare(profile, workArea),
                Optional.of(this), programsLacking(built), Optional.empty(), false);
    }

    /** Servers of {@code profile}'s image (e.g. an official {@code postgres:17}), each in a container of its own. */
    public static Target image(ImageProfile profile, Path workDirectory) {
        WorkArea area = WorkArea.open(workDirectory, ServerAccount.forCurrentProcess());
        List<String> selection = new ArrayList<>(List.of("--backend", "docker", "--image", profile.image(), "--image-profile", profile.name()));
        profile.ivorySqlMode().ifPresent(mode -> selection.addAll(List.of("--ivorysql-mode", mode.value())));
        String description = "image " + profile.image() + profile.ivorySqlMode().map(mode -> " (IvorySQL, " + mode.value() + " mode)").orElse("");
        return new Target(area, Optional.empty(), description, "docker (" + profile.name() + " image)", selection,
                () -> Cluster.startPair(ContainerBackend.create(profile, area)), () -> ContainerBackend.prepare(profile, area), Optional.empty(),
                Map.of(), Optional.empty(), false);
    }

    /** A pair for one sequence: a fresh one, or the external cluster tidied. */
    public Cluster startPair() {
        return pairs.get();
    }

    /** Makes what the first cluster would otherwise make, so that timings leave it out: the template of data directories. */
    public void prepare() {
        preparation.run();
    }

    /**
     * The running cluster that {@code configFile} describes (see {@link ExternalConfig}), adopted for each sequence;
     * {@code environment} gives the credentials it names.
     */
    public static Target external(Path configFile, Function<String, String> environment, Path workDirectory) {
        ExternalCluster cluster = new ExternalCluster(ExternalConfig.read(configFile, environment));
        ExternalConfig config = cluster.config();
        String description = "external cluster (" + config.servers().entrySet().stream().map(server -> server.getKey() + " " + server.getValue())
                .collect(Collectors.joining(", ")) + ")";
        return new Target(WorkArea.open(workDirectory, ServerAccount.forCurrentProcess()), Optional.empty(), description, "external",
                List.of("--external", configFile.toString()), cluster::adopt, () -> { }, Optional.empty(), cluster.operationsItCannotRun(),
                Optional.of("the rejoin command of " + configFile.getFileName() + " is the cluster's own, and a rewind or a new copy"
                        + " (pg_rewind, pg_basebackup) takes them away"), false);
    }

    /** The same binaries as local processes, when this target runs them in containers of an image built from them. */
    public Optional<Target> localCounterpart() {
        return localCounterpart;
    }

    public WorkArea workArea() {
        return workArea;
    }

    /** The installation of this machine the servers come from; none for an image named on the command line. */
    public Optional<PgInstallation> installation() {
        return installation;
    }

    /** What keeps the copies on this target's standbys: the extension where its installation has it chosen, else the servers' own. */
    public SlotSyncMechanism slotSync() {
        return installation.map(PgInstallation::slotSync).orElse(SlotSyncMechanism.BUILT_IN);
    }

    /** The command-line options that select this target again. */
    public List<String> selection() {
        return selection;
    }

    /** How the servers are provided: binaries from Maven Central, an installation, or containers of an image. */
    public String backend() {
        return backend;
    }

    /** The operation kinds (by history name) its servers cannot undergo, each with the reason: campaigns leave them out. */
    public Map<String, String> operationsItCannotRun() {
        return operationsItCannotRun;
    }

    /** Why a rejoin on this target may take the server's own slots away (the stale slots of field failure 1), if it may. */
    public Optional<String> rejoinMayLoseData() {
        return rejoinMayLoseData;
    }

    /**
     * Whether the next sequence's pair may start while one runs (servers of this machine); containers and an external
     * cluster (one cluster, adopted anew each time) start theirs one after the other.
     */
    public boolean startsPairsSideBySide() {
        return startsPairsSideBySide;
    }

    public String describe() {
        return description;
    }
}
