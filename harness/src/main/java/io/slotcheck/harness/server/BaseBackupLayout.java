package io.slotcheck.harness.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What a low-level base backup (between {@code pg_backup_start} and {@code pg_backup_stop}) copies of a data directory:
 * everything but the documented exclusions (protocol.sgml, "base backup"), wherever the copy is made.
 */
public final class BaseBackupLayout {

    /** Top-level files left out (and slotcheck's per-node settings, which every node writes for itself). */
    public static Set<String> excludedFiles(String nodeSettingsFile) {
        return Set.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map", "standby.signal", "recovery.signal",
                nodeSettingsFile);
    }

    /** Top-level directories copied empty. */
    public static final Set<String> EMPTIED_DIRECTORIES = Set.of(
            "pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    /** Subdirectories of pg_wal the server expects to find (made empty in the copy when the original has them). */
    public static final Set<String> WAL_SUBDIRECTORIES = Set.of("pg_wal/archive_status", "pg_wal/summaries");

    /**
     * The copy step on this machine: the data directory {@code from} into {@code to} (which must not exist yet), owners
     * and modes kept, the directories the server expects made empty and handed to {@code account}.
     */
    public static void copyLocally(Path from, Path to, String nodeSettingsFile, ServerAccount account) throws IOException {
        FileTrees.copy(from, to, excludedFiles(nodeSettingsFile),
                relative -> relative.getNameCount() == 1 && EMPTIED_DIRECTORIES.contains(relative.toString()));
        for (String walSubdirectory : WAL_SUBDIRECTORIES) {
            if (Files.isDirectory(from.resolve(walSubdirectory))) {
                Files.createDirectories(to.resolve(walSubdirectory));
                account.own(to.resolve(walSubdirectory));
            }
        }
    }

    private BaseBackupLayout() {
    }
}
