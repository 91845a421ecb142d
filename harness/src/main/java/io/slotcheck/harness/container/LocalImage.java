package io.slotcheck.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.PgInstallation;
import io.slotcheck.model.version.Product;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An image of a PostgreSQL installation of this machine (the embedded Maven Central binaries), built here {@code FROM
 * scratch}: no registry is needed. It holds the installation in {@value #PG_HOME}, the host's C libraries the binaries
 * load, and busybox for the shell initdb and pg_ctl call; its server runs as {@code postgres} (uid {@value #UID}),
 * like the official images'.
 */
public final class LocalImage {

    public static final String REPOSITORY = "slotcheck/postgres";
    public static final String PG_HOME = "/opt/pg";
    public static final int UID = 999;
    private static final String BUSYBOX = "/usr/bin/busybox";
    private static final Pattern LDD_PATH = Pattern.compile("(/\\S+)\\s+\\(0x");

    private LocalImage() {
    }

    /**
     * The image's name for {@code installation}: one per installation, by its version, product and directory (an IvorySQL
     * build and PostgreSQL of the same version, or two builds of one version, must not share an image).
     */
    public static String name(PgInstallation installation) {
        String product = installation.product() == Product.IVORYSQL ? "-ivorysql" : "";
        String directory = String.format("%08x", installation.home().toAbsolutePath().normalize().toString().hashCode());
        return REPOSITORY + ":" + installation.version() + product + "-" + directory;
    }

    /** The image of {@code installation}, built first if the engine does not have it yet. */
    public static String ensure(PgInstallation installation) {
        DockerClient client = DockerEngine.client();
        String name = name(installation);
        try {
            client.inspectImageCmd(name).exec();
            return name;
        } catch (NotFoundException e) {
            build(client, installation, name);
            return name;
        }
    }

    private static void build(DockerClient client, PgInstallation installation, String name) {
        if (!Files.isExecutable(Path.of(BUSYBOX))) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "no " + BUSYBOX + " to give the image of PostgreSQL "
                    + installation.version() + " a shell: install busybox-static (apt-get install busybox-static)");
        }
        List<Path> libraries = hostLibraries(installation);
        try (PipedInputStream context = new PipedInputStream(1 << 20)) {
            PipedOutputStream sink = new PipedOutputStream(context);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeContext(sink, installation, libraries));
            String imageId = client.buildImageCmd(context).withTags(Set.of(name)).withLabels(java.util.Map.of("io.slotcheck.image", "true"))
                    .withPull(false).withRemove(true).withForcerm(true)
                    .exec(new BuildImageResultCallback()).awaitImageId(5, TimeUnit.MINUTES);
            writer.join();
            if (imageId == null) {
                throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "building " + name + " gave no image");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DockerClientException e) {
            throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "could not build " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static final String DOCKERFILE = """
            FROM scratch
            COPY . /
            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            RUN chown -R %1$d:%1$d /var/lib/postgresql && chmod 1777 /tmp
            ENV PATH=%2$s/bin:/bin
            # a build whose programs find their libraries by the path it was configured with (--prefix), not relative to themselves
            ENV LD_LIBRARY_PATH=%2$s/lib
            USER postgres
            WORKDIR /var/lib/postgresql
            STOPSIGNAL SIGINT
            CMD ["postgres", "--version"]
            """;

    /** The build context: the root file system of the image, and its Dockerfile (left out of the image). */
    private static void writeContext(OutputStream sink, PgInstallation installation, List<Path> libraries) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            text(tar, "Dockerfile", DOCKERFILE.formatted(UID, PG_HOME), 0644);
            text(tar, ".dockerignore", "Dockerfile\n.dockerignore\n", 0644);
            tree(tar, installation.home(), PG_HOME.substring(1));
            for (Path library : libraries) {
                file(tar, library.toRealPath(), library.toString().substring(1));
            }
            directory(tar, "bin");
            file(tar, Path.of(BUSYBOX), "bin/busybox");
            text(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\npostgres:x:%1$d:%1$d:postgres:/var/lib/postgresql:/bin/sh\n".formatted(UID), 0644);
            text(tar, "etc/group", "root:x:0:\npostgres:x:%d:\n".formatted(UID), 0644);
            text(tar, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", 0644);
            directory(tar, "tmp");
            directory(tar, "root");
            directory(tar, "var/lib/postgresql");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the image's build context", e);
        }
    }

    /** The installation without what only building against it needs (static libraries, pkgconfig). */
    private static void tree(TarArchiveOutputStream tar, Path root, String as) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.toString().endsWith(".a") && !p.toString().contains("/pkgconfig")).sorted().toList();
        }
        for (Path path : paths) {
            String name = root.relativize(path).toString();
            String entryName = name.isEmpty() ? as : as + "/" + name;
            if (Files.isSymbolicLink(path)) {
                TarArchiveEntry link = new TarArchiveEntry(entryName, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(Files.readSymbolicLink(path).toString());
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                directory(tar, entryName);
            } else {
                file(tar, path, entryName);
            }
        }
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name + "/");
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, Path source, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(source));
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(source);
        entry.setMode(0100000 | (permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644));
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static void text(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100000 | mode);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** The programs the servers need, which must load. */
    private static final Set<String> SERVER_PROGRAMS = Set.of("postgres", "initdb", "pg_ctl");

    /**
     * The host's shared libraries the installation's programs load, as ldd finds them (the installation's own excluded):
     * each program of its bin, since pg_upgrade runs psql and the servers, and psql loads libraries the server does not.
     */
    private static List<Path> hostLibraries(PgInstallation installation) {
        Set<String> found = new TreeSet<>();
        List<String> programs;
        try (Stream<Path> bin = Files.list(installation.home().resolve("bin"))) {
            programs = bin.filter(Files::isExecutable).map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.BINARIES, "could not list the programs of " + installation.describe() + ": " + e.getMessage());
        }
        for (String program : programs) {
            try {
                Process ldd = new ProcessBuilder("ldd", installation.bin(program).toString()).redirectErrorStream(true).start();
                String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!ldd.waitFor(30, TimeUnit.SECONDS)) {
                    throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "ldd " + installation.bin(program) + " did not answer: " + out.strip());
                }
                if (ldd.exitValue() != 0 && SERVER_PROGRAMS.contains(program)) {
                    throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "ldd " + installation.bin(program) + " failed: " + out.strip());
                }
                Matcher m = LDD_PATH.matcher(out);
                while (m.find()) {
                    if (!m.group(1).startsWith(installation.home().toString())) {
                        found.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new SlotcheckException(ExitCode.CONTAINER_ENGINE, "could not run ldd to find the libraries of " + program + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlotcheckException(ExitCode.INTERRUPTED, "interrupted while listing the libraries of " + program);
            }
        }
        List<Path> libraries = new ArrayList<>();
        found.forEach(path -> libraries.add(Path.of(path)));
        return libraries;
    }
}
