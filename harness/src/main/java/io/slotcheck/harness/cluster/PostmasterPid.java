package io.slotcheck.harness.cluster;

import io.slotcheck.harness.server.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** SIGKILL the postmaster and all its children, then remove its shared memory segment. */
    void killAndRelease() {
        liveProcess().ifPresent(postmaster -> {
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            List<Long> pids = all.stream().map(ProcessHandle::pid).toList();
            Processes.signal("KILL", pids);
            Processes.signal("CONT", pids);
            Waits.until("processes of the server in " + dataDirectory + " to exit after SIGKILL", Duration.ofSeconds(30),
                    () -> all.stream().noneMatch(Processes::isRunning));
        });
        releaseSharedMemory();
    }

    /** A killed postmaster leaves its System V segment; a stopped one removed it already (then this is a no-op). */
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

    private static boolean commandLineNames(ProcessHandle process, Path dataDirectory) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
            return cmdline.contains("postgres") && cmdline.contains(dataDirectory.toString());
        } catch (IOException e) {
            return false;
        }
    }
}
