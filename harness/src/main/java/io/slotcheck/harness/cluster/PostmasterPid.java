package io.slotcheck.harness.cluster;

import io.slotcheck.harness.server.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code postmaster.pid} says about a server: its pid, data directory, port and System V shared memory id.
 * Used to find a server's processes and to release what a killed server leaves behind.
 */
record PostmasterPid(long pid, Path dataDirectory, int port, Optional<Integer> shmemId) {

    static Optional<PostmasterPid> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            Optional<Integer> shmemId = Optional.empty();
            if (lines.size() >= 7) {
                String[] keyAndId = lines.get(6).trim().split("\\s+");
                if (keyAndId.length == 2) {
                    shmemId = Optional.of(Integer.parseInt(keyAndId[1]));
                }
            }
            return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim()),
                    Integer.parseInt(lines.get(3).trim()), shmemId));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The live postmaster this file names, if it is still the same server (pids are reused). */
    Optional<ProcessHandle> liveProcess() {
        return ProcessHandle.of(pid).filter(Processes::isRunning).filter(p -> commandLineNames(p, dataDirectory));
    }

    /**
     * Stops a server nobody will stop cleanly any more (an orphan, a node whose stop failed): an immediate shutdown,
     * which lets the server release its own shared memory, then SIGKILL if that does not end it.
     */
    void stopForGood() {
        liveProcess().ifPresent(postmaster -> {
            List<ProcessHandle> all = withDescendants(postmaster);
            List<Long> pids = all.stream().map(ProcessHandle::pid).toList();
            Set<Path> dynamicSegments = dynamicSharedMemory(all);
            Processes.signal("CONT", pids); // a paused server cannot shut down
            Processes.signal("QUIT", List.of(postmaster.pid()));
            try {
                Waits.until("the server in " + dataDirectory + " to shut down", Duration.ofSeconds(10), () -> !Processes.isRunning(postmaster));
            } catch (WaitTimeoutException e) {
                Processes.signal("KILL", pids);
                Waits.until("processes of the server in " + dataDirectory + " to exit after SIGKILL", Duration.ofSeconds(30),
                        () -> all.stream().noneMatch(Processes::isRunning));
                releaseSharedMemory();
                removeSegments(dynamicSegments);
            }
        });
    }

    static List<ProcessHandle> withDescendants(ProcessHandle postmaster) {
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        return all;
    }

    /** The POSIX dynamic shared memory files ({@code /dev/shm/PostgreSQL.*}) the processes have mapped. */
    static Set<Path> dynamicSharedMemory(List<ProcessHandle> processes) {
        Set<Path> segments = new HashSet<>();
        for (ProcessHandle process : processes) {
            try {
                for (String mapping : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "maps"))) {
                    int at = mapping.indexOf("/dev/shm/PostgreSQL.");
                    if (at >= 0) {
                        segments.add(Path.of(mapping.substring(at).replace(" (deleted)", "").strip()));
                    }
                }
            } catch (IOException e) {
                // exited meanwhile: whatever it had mapped, another process of the server maps too
            }
        }
        return segments;
    }

    /**
     * Removes the System V segment (named in postmaster.pid) a server killed with SIGKILL leaves. A restart of the same
     * data directory would reclaim it; a node that stays dead would not.
     */
    void releaseSharedMemory() {
        shmemId.ifPresent(id -> {
            try {
                new ProcessBuilder("ipcrm", "-m", Integer.toString(id)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // ipcrm missing: the segment is tiny and the next server start on this data directory reclaims it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Deletes dynamic shared memory files no server uses any more (their names are random: no other server has them). */
    static void removeSegments(Set<Path> dynamicSegments) {
        for (Path segment : dynamicSegments) {
            try {
                Files.deleteIfExists(segment);
            } catch (IOException e) {
                // not ours to remove after all (another account's): leave it
            }
        }
    }

    private static boolean commandLineNames(ProcessHandle process, Path dataDirectory) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
            return cmdline.contains("postgres") && cmdline.contains(dataDirectory.toString());
        } catch (IOException e) {
            return false;
        }
    }
}
