package io.slotcheck.harness.server;

import io.slotcheck.harness.ExitCode;
import io.slotcheck.harness.SlotcheckException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system account that runs PostgreSQL processes.
 *
 * <p>initdb, pg_ctl and postgres refuse to run as root. When slotcheck itself runs as root (as CI does),
 * every server command is started through {@code setpriv} as an unprivileged account ({@code nobody}
 * unless {@code SLOTCHECK_SERVER_USER} names another), and the directories the server writes are
 * handed to that account. As an ordinary user, commands run as they are.
 */
public final class ServerAccount {

    private static final String DEFAULT_UNPRIVILEGED_USER = "nobody";

    private final String userName;
    private final int uid;
    private final int gid;
    private final boolean dropsPrivileges;

    private ServerAccount(String userName, int uid, int gid, boolean dropsPrivileges) {
        this.userName = userName;
        this.uid = uid;
        this.gid = gid;
        this.dropsPrivileges = dropsPrivileges;
    }

    public static ServerAccount forCurrentProcess() {
        if (currentUid() != 0) {
            return new ServerAccount(System.getProperty("user.name"), -1, -1, false);
        }
        String name = System.getenv().getOrDefault("SLOTCHECK_SERVER_USER", DEFAULT_UNPRIVILEGED_USER);
        int[] ids = lookUp(name);
        if (ids[0] == 0) {
            throw new SlotcheckException(ExitCode.USAGE,
                    "SLOTCHECK_SERVER_USER=" + name + " is root, and PostgreSQL refuses to run as root: name an unprivileged account");
        }
        return new ServerAccount(name, ids[0], ids[1], true);
    }

    /** Whether server commands are started as another account (slotcheck runs as root). */
    public boolean dropsPrivileges() {
        return dropsPrivileges;
    }

    public String userName() {
        return userName;
    }

    /** The command line that runs {@code command} as this account. */
    public List<String> command(List<String> command) {
        if (!dropsPrivileges) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code path} (a directory the server writes into) belong to this account. */
    public void own(Path path) {
        if (!dropsPrivileges) {
            return;
        }
        try {
            UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(userName);
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand " + path + " to " + userName, e);
        }
    }

    /** Whether this account can execute {@code file}: binaries under /root, for example, are out of its reach. */
    public boolean canExecute(Path file) {
        if (!dropsPrivileges) {
            return Files.isExecutable(file);
        }
        try {
            Process test = new ProcessBuilder(command(List.of("test", "-x", file.toString())))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return test.waitFor() == 0;
        } catch (IOException e) {
            throw new SlotcheckException(ExitCode.SERVER, "could not run setpriv to drop root privileges (" + e.getMessage()
                    + "): install util-linux or run slotcheck as an ordinary user");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no Uid line");
    }

    private static int[] lookUp(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length > 3 && fields[0].equals(name)) {
                    return new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])};
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /etc/passwd", e);
        }
        throw new SlotcheckException(ExitCode.USAGE, "account '" + name + "' to run PostgreSQL as (slotcheck runs as root) is not in /etc/passwd:"
                + " set SLOTCHECK_SERVER_USER to an existing unprivileged account");
    }

    @Override
    public String toString() {
        return dropsPrivileges ? userName + " (uid " + uid + ", via setpriv)" : userName;
    }
}
