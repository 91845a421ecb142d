package io.slotcheck.harness.cluster;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;
import io.slotcheck.harness.server.FileTrees;
import io.slotcheck.harness.server.Processes;
import io.slotcheck.harness.server.ServerAccount;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * slotcheck's work directory: {@code pg/<version>} (extracted binaries), {@code templates/<key>}
 * (initdb'd data directories to clone) and {@code clusters/<id>} (one per live cluster).
 *
 * <p>Each cluster directory holds an {@code owner} file naming the JVM that made it (pid and start time).
 * Opening the work area sweeps orphans: clusters whose owner is gone (a JVM killed with -9) get their
 * servers stopped and their files removed. Several JVMs may share one work area.
 */
public final class WorkArea {

    static final String MARKER = ".slotcheck-work-area";
    private static final String OWNER_FILE = "owner";
    private static final String KEPT_FILE = "KEPT";
    private static final String SWEEP_LOCK = "sweep.lock";
    private static final Duration STRAGGLERS_GONE_WITHIN = Duration.ofSeconds(5);
    /** Binaries, two templates and a few clusters of three or four nodes each. */
    private static final long MIN_TMPFS_ROOM = 4L << 30;

    private final Path root;
    private final ServerAccount account;

    private WorkArea(Path root, ServerAccount account) {
        this.root = root;
        this.account = account;
    }

    /**
     * The default location: {@code $SLOTCHECK_WORK}; else {@code /dev/shm/slotcheck-<user>} where /dev/shm is a tmpfs
     * that allows executables and has room (copying data directories there is several times faster than to disk);
     * else {@code <tmpdir>/slotcheck-<user>}.
     */
    public static Path defaultRoot() {
        String configured = System.getenv("SLOTCHECK_WORK");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String directory = "slotcheck-" + System.getProperty("user.name");
        Path shm = Path.of("/dev/shm");
        return isRoomyExecutableTmpfs(shm) ? shm.resolve(directory) : Path.of(System.getProperty("java.io.tmpdir"), directory);
    }

    private static boolean isRoomyExecutableTmpfs(Path mountPoint) {
        try {
            for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] fields = mount.split(" ");
                if (fields.length > 3 && fields[1].equals(mountPoint.toString())) {
                    return fields[2].equals("tmpfs") && !List.of(fields[3].split(",")).contains("noexec")
                            && Files.isWritable(mountPoint) && Files.getFileStore(mountPoint).getUsableSpace() > MIN_TMPFS_ROOM;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    public static WorkArea open(Path root, ServerAccount account) {
        Path dir = root.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER)) && isNonEmpty(dir)) {
                throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "work directory " + dir
                        + " is in use by something else (not empty, and not made by slotcheck): choose an empty or new directory with --work-dir");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "work directory " + dir
                        + " is a file: choose a directory with --work-dir");
            }
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IOException("not writable");
            }
            if (!Files.exists(dir.resolve(MARKER))) {
                Files.writeString(dir.resolve(MARKER), "slotcheck work area: binaries, templates and clusters; safe to delete when no slotcheck runs\n");
            }
            // the server account must traverse the work area to reach its own directories
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String sub : List.of("pg", "templates", "clusters")) {
                Files.createDirectories(dir.resolve(sub));
            }
        } catch (IOException | SecurityException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "cannot use work directory " + dir + " (" + e.getMessage()
                    + "): choose a writable directory with --work-dir or SLOTCHECK_WORK");
        }
        if (account.dropsPrivileges() && !account.canExecute(dir)) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "work directory " + dir + " cannot be reached by " + account
                    + ", which runs the servers: choose a --work-dir outside /root and other private (0700) directories");
        }
        WorkArea area = new WorkArea(dir, account);
        area.sweepOrphans();
        return area;
    }

    public Path root() {
        return root;
    }

    public ServerAccount account() {
        return account;
    }

    public Path templates() {
        return root.resolve("templates");
    }

    /** A new, empty directory for one cluster, owned by this JVM (and by the server account, which writes in it). */
    public Path newClusterDirectory(String label) {
        Path dir = root.resolve("clusters").resolve(label + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(dir);
            ProcessHandle self = ProcessHandle.current();
            // written whole, then renamed: another JVM's sweep must never read it half-written (no pid: judged dead)
            Path partial = dir.resolve(OWNER_FILE + ".partial");
            Files.writeString(partial, "pid=" + self.pid() + "\nstarted="
                    + self.info().startInstant().map(Instant::toString).orElse("") + "\n");
            Files.move(partial, dir.resolve(OWNER_FILE), StandardCopyOption.ATOMIC_MOVE);
            account.own(dir);
            return dir;
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "cannot create a cluster directory in " + root + " ("
                    + e.getMessage() + "): free disk space or choose another --work-dir");
        }
    }

    /**
     * Stops the servers of clusters whose owning JVM is gone and removes their files. Returns what was swept. One
     * process sweeps at a time (JVMs sharing the area, such as the build's two test forks, open it at once): two sweeps
     * of one orphan would stop its servers and delete its files under each other.
     */
    public List<Path> sweepOrphans() {
        synchronized (WorkArea.class) {
            try (FileChannel lock = FileChannel.open(root.resolve(SWEEP_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                return sweepOrphansHoldingTheLock();
            } catch (IOException e) {
                throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not clean up orphaned clusters in " + root + " ("
                        + e.getMessage() + "): remove that directory by hand, or choose another --work-dir");
            }
        }
    }

    private List<Path> sweepOrphansHoldingTheLock() throws IOException {
        List<Path> swept = new ArrayList<>();
        try (DirectoryStream<Path> clusters = Files.newDirectoryStream(root.resolve("clusters"))) {
            for (Path cluster : clusters) {
                if (ownerIsAlive(cluster)) {
                    continue;
                }
                try {
                    stopServersUnder(cluster);
                    if (Files.exists(cluster.resolve(KEPT_FILE))) {
                        continue;
                    }
                    FileTrees.delete(cluster);
                    swept.add(cluster);
                } catch (NoSuchFileException gone) {
                    // closed by its owner since it was listed (its owner file gone with it): nothing left to sweep
                }
            }
        }
        return swept;
    }

    /**
     * Removes the whole work area: binaries, templates, kept clusters. Refused while a live slotcheck process owns a
     * cluster in it (orphans were swept when the area was opened).
     */
    public void remove() {
        try (DirectoryStream<Path> clusters = Files.newDirectoryStream(root.resolve("clusters"))) {
            long live = 0;
            for (Path cluster : clusters) {
                if (ownerIsAlive(cluster)) {
                    live++;
                } else {
                    stopServersUnder(cluster);
                }
            }
            if (live > 0) {
                throw new SlotcheckException(ExitCode.WORK_DIRECTORY, live + " cluster(s) in " + root
                        + " belong to slotcheck processes still running: let them finish, then clean again");
            }
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.WORK_DIRECTORY, "could not remove " + root + " (" + e.getMessage()
                    + "): remove it by hand when no slotcheck runs");
        }
    }

    /** Marks a cluster directory as kept on purpose (a failed test's evidence): sweeps leave it for the user to delete. */
    public static void markKept(Path cluster) throws IOException {
        Files.writeString(cluster.resolve(KEPT_FILE), "kept for inspection; delete this directory when done\n");
    }

    private static boolean ownerIsAlive(Path cluster) {
        Properties owner = new Properties();
        try (var in = Files.newBufferedReader(cluster.resolve(OWNER_FILE))) {
            owner.load(in);
        } catch (IOException e) {
            // being created right now by another JVM, or left half-made: judge by age
            return isYoung(cluster);
        }
        long pid = Long.parseLong(owner.getProperty("pid", "-1"));
        String started = owner.getProperty("started", "");
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && Processes.isRunning(process.get())
                && process.get().info().startInstant().map(Instant::toString).orElse("").equals(started);
    }

    private static boolean isYoung(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isAfter(Instant.now().minusSeconds(60));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops every server whose data directory lies under {@code dir}, then kills any process still working there (a
     * backend that outlived its postmaster): nothing of a cluster may keep running once it is closed or swept.
     */
    static void stopServersUnder(Path dir) throws IOException {
        List<Path> pidFiles;
        try (var files = Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("postmaster.pid"))) {
            pidFiles = files.toList();
        }
        for (Path pidFile : pidFiles) {
            PostmasterPid.read(pidFile).ifPresent(PostmasterPid::stopForGood);
        }
        List<Long> stragglers = ProcessHandle.allProcesses().filter(Processes::isRunning)
                .filter(process -> workingDirectory(process).map(cwd -> cwd.startsWith(dir)).orElse(false))
                .map(ProcessHandle::pid).toList();
        if (!stragglers.isEmpty()) {
            System.err.println("slotcheck: processes " + stragglers + " still ran in " + dir + "; killing them");
            Processes.signal("KILL", stragglers);
            try {
                // gone before the files are removed, or a dying one could still write there
                Waits.until("killed processes in " + dir + " gone", STRAGGLERS_GONE_WITHIN, () -> stragglers.stream()
                        .noneMatch(pid -> ProcessHandle.of(pid).filter(Processes::isRunning).isPresent()));
            } catch (WaitTimeoutException e) {
                // removing the files says whether it matters
            }
        }
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            // a deleted directory reads as "<path> (deleted)"
            return Optional.of(Path.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toString()
                    .replace(" (deleted)", "")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean isNonEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        }
    }
}
