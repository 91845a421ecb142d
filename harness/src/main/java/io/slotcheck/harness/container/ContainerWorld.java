package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.BaseBackupLayout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The containers of one cluster and what they share: a private network, and a volume (on tmpfs: writing to a
 * container's own layer is slow) that holds every node's data directory and server log under {@value #ROOT}. A
 * long-running {@code files} container of the same image mounts the volume too, so that the harness reads and writes
 * the nodes' files whether their servers run or not. {@link #close} removes all of it.
 */
public final class ContainerWorld implements AutoCloseable {

    public static final String ROOT = "/slotcheck";
    /** Where a template volume is mounted in the files container, when the world has one. */
    public static final String TEMPLATE = "/template";
    private static final AtomicInteger WORLDS = new AtomicInteger();
    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private final DockerClient client;
    private final ImageProfile profile;
    private final String name;
    private final String networkId;
    private final String filesContainer;
    private final Map<String, String> servers = new ConcurrentHashMap<>();
    private volatile int serverUid = -1;
    private volatile int serverGid = -1;
    /** Shells kept open, by container and account: see {@link ShellSession}. */
    private final Map<String, ShellSession> shells = new ConcurrentHashMap<>();

    private ContainerWorld(DockerClient client, ImageProfile profile, String name, String networkId, String filesContainer) {
        this.client = client;
        this.profile = profile;
        this.name = name;
        this.networkId = networkId;
        this.filesContainer = filesContainer;
    }

    /** A new world for servers of {@code profile}'s image; the image must be in the engine already. */
    public static ContainerWorld create(ImageProfile profile) {
        return create(profile, Optional.empty());
    }

    /**
     * A new world whose files container also mounts {@code templateVolume} at {@value #TEMPLATE}: ready-made data
     * directories to copy (see {@link ContainerTemplate}).
     */
    static ContainerWorld create(ImageProfile profile, Optional<String> templateVolume) {
        DockerClient client = DockerEngine.client();
        requireImage(client, profile);
        if (SWEPT.compareAndSet(false, true)) {
            // what runs killed before they could clean up left in the engine goes before this run adds its own
            DockerEngine.removeLeftovers();
        }
        String name = newName("");
        Map<String, String> labels = DockerEngine.ownerLabels();
        String networkId = client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).exec().getId();
        String filesContainer = null;
        try {
            createTmpfsVolume(client, name);
            List<Bind> binds = new ArrayList<>(List.of(new Bind(name, new Volume(ROOT))));
            templateVolume.ifPresent(template -> binds.add(new Bind(template, new Volume(TEMPLATE))));
            filesContainer = client.createContainerCmd(profile.image()).withName(name + "-files").withLabels(labels)
                    .withUser("0").withEntrypoint("sleep").withCmd("2147483647")
                    .withHostConfig(HostConfig.newHostConfig().withBinds(binds).withNetworkMode("none"))
                    .exec().getId();
            client.startContainerCmd(filesContainer).exec();
            ContainerWorld world = new ContainerWorld(client, profile, name, networkId, filesContainer);
            world.files("chown", profile.user(), ROOT);
            return world;
        } catch (RuntimeException e) {
            if (filesContainer != null) {
                DockerEngine.removeContainer(client, filesContainer);
            }
            removeQuietly(() -> client.removeVolumeCmd(name).exec());
            removeQuietly(() -> client.removeNetworkCmd(networkId).exec());
            throw e;
        }
    }

    /** Fails in one line saying what to do when the engine lacks {@code profile}'s image. */
    static void requireImage(DockerClient client, ImageProfile profile) {
        try {
            client.inspectImageCmd(profile.image()).exec();
        } catch (NotFoundException e) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "the Docker engine has no image " + profile.image()
                    + ": pull it (docker pull " + profile.image() + ") or build it");
        }
    }

    /** A volume of this run on tmpfs (writing to a container's own layer is slow). */
    static void createTmpfsVolume(DockerClient client, String name) {
        client.createVolumeCmd().withName(name).withDriver("local").withLabels(DockerEngine.ownerLabels())
                .withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=2g,mode=0755")).exec();
    }

    /**
     * Starts a container that does nothing but mount {@code volume}, so that the volume's tmpfs (mounted while some
     * container uses it) keeps its files between the containers that use it.
     */
    static void keep(DockerClient client, ImageProfile profile, String volume) {
        String keeper = client.createContainerCmd(profile.image()).withName(keeperOf(volume)).withLabels(DockerEngine.ownerLabels())
                .withUser("0").withEntrypoint("sleep").withCmd("2147483647")
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume(TEMPLATE))).withNetworkMode("none"))
                .exec().getId();
        client.startContainerCmd(keeper).exec();
    }

    static String keeperOf(String volume) {
        return volume + "-keeper";
    }

    /** The name of a new volume or world of this run. */
    static String newName(String kind) {
        return "slotcheck-" + ProcessHandle.current().pid() + "-" + kind + WORLDS.incrementAndGet();
    }

    public ImageProfile profile() {
        return profile;
    }

    // ---------------------------------------------------------------- files

    /** Runs {@code command} in the files container as root; returns its output, or fails with it. */
    public String files(String... command) {
        return exec(filesContainer, "0", command);
    }

    /** Runs {@code command} in the files container as the servers' account. */
    public String filesAsServerUser(String... command) {
        return exec(filesContainer, profile.user(), command);
    }

    /** Writes {@code content} to {@code path} (mode 0600), owned by the servers' account. */
    public void writeFile(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        int slash = path.lastIndexOf('/');
        TarArchiveEntry entry = new TarArchiveEntry(path.substring(slash + 1));
        entry.setSize(bytes.length);
        entry.setMode(0600);
        entry.setIds(serverUid(), serverGid());
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(archive)) {
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack " + path, e);
        }
        client.copyArchiveToContainerCmd(filesContainer).withRemotePath(path.substring(0, slash))
                .withTarInputStream(new ByteArrayInputStream(archive.toByteArray())).exec();
    }

    private int serverUid() {
        if (serverUid < 0) {
            serverUid = Integer.parseInt(filesAsServerUser("id", "-u").strip());
        }
        return serverUid;
    }

    private int serverGid() {
        if (serverGid < 0) {
            serverGid = Integer.parseInt(filesAsServerUser("id", "-g").strip());
        }
        return serverGid;
    }

    /** The size of {@code path} in bytes (0 when it is not there yet). */
    public long size(String path) {
        String size = files("sh", "-c", "if [ -e '" + path + "' ]; then wc -c < '" + path + "'; else echo 0; fi").strip();
        return Long.parseLong(size);
    }

    public boolean exists(String path) {
        return run(filesContainer, "0", "test", "-e", path).exitCode() == 0;
    }

    /** The bytes of {@code path} from {@code offset} on (empty when the file is not there yet). */
    public byte[] readFrom(String path, long offset) {
        Result result = run(filesContainer, "0", "sh", "-c", "test -e '" + path + "' && tail -c +" + (offset + 1) + " '" + path + "'");
        return result.exitCode() == 0 ? result.output() : new byte[0];
    }

    // ---------------------------------------------------------------- data directories

    public static String dataDirectory(String node) {
        return ROOT + "/" + node + "/data";
    }

    public static String logFile(String node) {
        return ROOT + "/" + node + "/server.log";
    }

    /**
     * A new cluster for {@code node}, made by the image's initdb as the servers' account with the superuser
     * {@code postgres}; {@code settings} are appended to its postgresql.conf, and every address of the world's network
     * may connect, for replication too, without a password.
     */
    public void initdb(String node, List<String> initdbArguments, String settings) {
        String data = dataDirectory(node);
        filesAsServerUser("mkdir", "-p", ROOT + "/" + node);
        List<String> command = new ArrayList<>(List.of(profile.program("initdb"), "-D", data, "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
        command.addAll(initdbArguments);
        filesAsServerUser(command.toArray(String[]::new));
        writeFile(data + "/postgresql.conf", new String(readFrom(data + "/postgresql.conf", 0), StandardCharsets.UTF_8) + settings);
        filesAsServerUser("sh", "-c", "printf 'host all all samenet trust\nhost replication all samenet trust\n' >> " + data + "/pg_hba.conf");
    }

    /**
     * The copy step of a low-level base backup (the caller brackets it with {@code pg_backup_start} and
     * {@code pg_backup_stop}): {@code from}'s data directory into {@code to}'s, without what a base backup leaves out.
     */
    public void copyForBaseBackup(String from, String to, String nodeSettingsFile) {
        String source = dataDirectory(from);
        String target = dataDirectory(to);
        StringBuilder script = new StringBuilder("set -e; mkdir -p " + ROOT + "/" + to + " && mkdir -m 700 " + target + " && cd " + source
                + " && for f in *; do case $f in ");
        script.append(String.join("|", BaseBackupLayout.excludedFiles(nodeSettingsFile))).append(") ;; ")
                .append(String.join("|", BaseBackupLayout.EMPTIED_DIRECTORIES)).append(") mkdir -m 700 ").append(target).append("/$f ;; ")
                .append("*) cp -a $f ").append(target).append("/ ;; esac; done");
        for (String walSubdirectory : BaseBackupLayout.WAL_SUBDIRECTORIES) {
            script.append("; if [ -d ").append(walSubdirectory).append(" ]; then mkdir -m 700 ").append(target).append("/")
                    .append(walSubdirectory).append("; fi");
        }
        filesAsServerUser("sh", "-c", script.toString());
    }

    /**
     * {@code pg_upgrade} of {@code node}'s stopped cluster, in the files container (it needs no network): a fresh cluster by
     * the image's initdb with the old one's configuration, the old and the new server started on {@code port} in turn,
     * then the new data directory in the old one's place. The image must have the program.
     */
    public void upgradeInPlace(String node, int port, List<String> initdbArguments, String nodeSettingsFile) {
        String directory = ROOT + "/" + node;
        String postgres = profile.program("postgres");
        filesAsServerUser("sh", "-c", "set -e; cd " + directory + "; bin=$(dirname \"$(command -v " + postgres + ")\"); rm -rf upgraded; "
                + String.join(" ", profile.program("initdb"), "-D", "upgraded", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                "--no-sync", String.join(" ", initdbArguments)) + " > initdb.out; "
                + "for f in postgresql.conf postgresql.auto.conf pg_hba.conf " + nodeSettingsFile + "; do if [ -f data/$f ]; then cp data/$f upgraded/$f;"
                + " fi; done; " + profile.program("pg_upgrade") + " -b \"$bin\" -B \"$bin\" -d data -D upgraded -p " + port + " -P " + port
                + " -s " + directory + " -U postgres --no-sync > pg_upgrade.out 2>&1 || { tail -n 5 pg_upgrade.out; exit 1; }; "
                + "rm -rf data; mv upgraded data");
    }

    /**
     * {@code pg_createsubscriber} on {@code node}'s stopped standby, in a container of its own on the world's network (the
     * program reaches the publisher, and starts and stops the standby's server itself on {@code port}); it becomes a
     * subscriber of {@code publisher} (a connection string) in {@code database}, its subscription and publication named
     * {@code name}. The image must have the program.
     */
    public void createSubscriber(String node, int port, String publisher, String database, String name) {
        String directory = ROOT + "/" + node;
        String script = profile.program("pg_createsubscriber") + " -D " + dataDirectory(node) + " -P '" + publisher.replace("'", "'\\''")
                + "' -d " + database + " -p " + port + " -s " + directory + " -U postgres --subscription " + name + " --publication " + name
                + " > " + directory + "/pg_createsubscriber.out 2>&1";
        String id = client.createContainerCmd(profile.image()).withName(newName("run")).withLabels(DockerEngine.ownerLabels())
                .withUser(profile.user()).withEntrypoint("sh").withCmd("-c", script)
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(this.name, new Volume(ROOT))).withNetworkMode(this.name)
                        .withShmSize(256L * 1024 * 1024))
                .exec().getId();
        try {
            client.startContainerCmd(id).exec();
            int status = client.waitContainerCmd(id).start().awaitStatusCode(2, TimeUnit.MINUTES);
            if (status != 0) {
                String output = new String(readFrom(directory + "/pg_createsubscriber.out", 0), StandardCharsets.UTF_8).strip();
                throw new SlotcheckException(ExitCode.SERVER, "pg_createsubscriber could not convert " + node + " (exit " + status + "): "
                        + String.join(" ", output.lines().skip(Math.max(0, output.lines().count() - 3)).toList()));
            }
        } finally {
            DockerEngine.removeContainer(client, id);
        }
    }

    // ---------------------------------------------------------------- servers

    /**
     * Starts the server of {@code node}'s data directory in a new container named for it, listening on {@code port}
     * (and IvorySQL's Oracle-mode listener on {@code oraclePort}) inside and on the same loopback ports of this machine,
     * its output appended to {@code node}'s log file.
     * Returns the container's id; the caller waits for the server to accept connections.
     */
    public String startServer(String node, int port, Optional<Integer> oraclePort) {
        String containerName = networkName(node);
        Optional.ofNullable(servers.get(node)).ifPresent(this::closeShells);
        DockerEngine.removeContainer(client, containerName);
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (int published : Stream.concat(Stream.of(port), oraclePort.stream()).toList()) {
            exposed.add(ExposedPort.tcp(published));
            bindings.bind(ExposedPort.tcp(published), Ports.Binding.bindIpAndPort("127.0.0.1", published));
        }
        String id = client.createContainerCmd(profile.image()).withName(containerName).withLabels(DockerEngine.ownerLabels())
                .withUser(profile.user()).withEntrypoint("sh").withCmd("-c", "exec " + profile.program("postgres") + " -D '" + dataDirectory(node)
                        + "' >> '" + logFile(node) + "' 2>&1")
                .withExposedPorts(exposed).withStopSignal("SIGINT")
                .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(name, new Volume(ROOT))).withNetworkMode(name)
                        .withPortBindings(bindings).withShmSize(256L * 1024 * 1024)
                        // a reconnected server resolves its upstream's name at once, not after the resolver's 5 s timeout
                        .withDnsOptions(List.of("timeout:1", "attempts:1")))
                .exec().getId();
        client.startContainerCmd(id).exec();
        servers.put(node, id);
        return id;
    }

    /** Removes the container of {@code node}'s server, whatever it runs: what is left of a server that would not stop. */
    public void removeServer(String node) {
        String id = servers.remove(node);
        if (id != null) {
            closeShells(id);
            DockerEngine.removeContainer(client, id);
        }
    }

    /**
     * The address of this machine on the world's network: what the servers connect to when they reach the harness
     * (its relays).
     */
    public InetAddress gateway() {
        String gateway = client.inspectNetworkCmd().withNetworkId(networkId).exec().getIpam().getConfig().get(0).getGateway();
        try {
            return InetAddress.getByName(gateway);
        } catch (UnknownHostException e) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "the network " + name + " names no usable gateway: " + gateway);
        }
    }

    /** Writes everything under {@value #ROOT} (data directories and logs) to {@code archive}, a tar file. */
    public void archiveFiles(Path archive) {
        try (InputStream tar = client.copyArchiveFromContainerCmd(filesContainer, ROOT).exec()) {
            Files.copy(tar, archive, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not write the files of " + name + " to " + archive + ": " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    /** The name by which the other servers of this world reach {@code node}'s server on its network. */
    public String networkName(String node) {
        return name + "-" + node;
    }

    /** Sends {@code signal} (e.g. {@code SIGINT}) to the server of {@code node}, its container's first process. */
    public void signalServer(String node, String signal) {
        client.killContainerCmd(server(node)).withSignal(signal).exec();
    }

    /** Whether the container of {@code node}'s server still runs. */
    public boolean serverRunning(String node) {
        Boolean running = client.inspectContainerCmd(server(node)).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    public void pauseServer(String node) {
        client.pauseContainerCmd(server(node)).exec();
    }

    public void unpauseServer(String node) {
        client.unpauseContainerCmd(server(node)).exec();
    }

    /** Runs {@code command} in the container of {@code node}'s server as its account (e.g. kill -STOP of one backend). */
    public String inServer(String node, String... command) {
        return exec(server(node), profile.user(), command);
    }

    /** Takes {@code node}'s server off the world's network: it reaches nothing and nothing reaches it. */
    public void disconnect(String node) {
        client.disconnectFromNetworkCmd().withNetworkId(networkId).withContainerId(server(node)).withForce(true).exec();
    }

    /** Puts {@code node}'s server back on the network (its port on this machine as before). */
    public void reconnect(String node) {
        client.connectToNetworkCmd().withNetworkId(networkId).withContainerId(server(node)).exec();
    }

    private String server(String node) {
        String id = servers.get(node);
        if (id == null) {
            throw new IllegalStateException("no server of " + node + " was started in " + name);
        }
        return id;
    }

    // ---------------------------------------------------------------- exec

    /** What a command run in a container returned: its exit status, and its output (stdout and stderr together). */
    record Result(int exitCode, byte[] output) {
    }

    private String exec(String container, String user, String... command) {
        Result result = run(container, user, command);
        String output = new String(result.output(), StandardCharsets.UTF_8);
        if (result.exitCode() != 0) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, String.join(" ", command) + " failed in " + container.substring(0, 12)
                    + " (exit " + result.exitCode() + "): " + output.strip());
        }
        return output;
    }

    private Result run(String container, String user, String... command) {
        String key = container + "/" + user;
        ShellSession shell = shells.computeIfAbsent(key, k -> ShellSession.open(client, container, user));
        try {
            return shell.run(List.of(command));
        } catch (RuntimeException e) {
            // the next command opens a new shell, if the container still runs
            shells.remove(key, shell);
            shell.close();
            throw e;
        }
    }

    /** Closes the shells kept open in {@code container}: it is being removed or replaced. */
    private void closeShells(String container) {
        shells.entrySet().removeIf(entry -> {
            if (entry.getKey().startsWith(container + "/")) {
                entry.getValue().close();
                return true;
            }
            return false;
        });
    }

    // ---------------------------------------------------------------- cleanup

    /** Removes every container of this world, its network and its volume. */
    @Override
    public void close() {
        shells.values().forEach(ShellSession::close);
        shells.clear();
        List<String> containers = new ArrayList<>(servers.values());
        containers.add(filesContainer);
        // each removal waits for its container's processes to be killed: side by side, they take as long as one
        containers.parallelStream().forEach(container ->
                DockerEngine.removeContainer(client, container));
        removeQuietly(() -> client.removeNetworkCmd(networkId).exec());
        removeQuietly(() -> client.removeVolumeCmd(name).exec());
    }

    private static void removeQuietly(Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    /** Names of what this world holds in the engine, for tests that check nothing is left. */
    public Map<String, String> resources() {
        Map<String, String> resources = new HashMap<>();
        resources.put("network", networkId);
        resources.put("volume", name);
        resources.put("files", filesContainer);
        resources.putAll(servers);
        return resources;
    }
}
