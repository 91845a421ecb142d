package io.slotcheck.model.version;

import java.util.List;
import java.util.Optional;

/**
 * A defect of failover slots that PostgreSQL fixed in a minor release, back-patched to each branch with the feature: a
 * server older than the fix can break the guarantee the fix restored (§5.2). Such a server is still checked against
 * the guarantee; a violation there is a known defect, reported with its fix, so that whoever runs an older minor (or a
 * fork based on one) learns what it lacks, rather than the defect being taken for the design.
 */
public enum UpstreamFix {

    /** §1 item 4: a consumer's stale acknowledgement moved a primary's logical slot back, so its changes were sent again. */
    CONFIRMED_FLUSH_NO_LONGER_RETREATS("Don't retreat slot's confirmed_flush LSN",
            List.of(new Release(17, 6, "7318f241d2"), new Release(18, 0, "ad5eaf390c"))),

    /** §1 item 24: pg_copy_logical_replication_slot() copied an invalidated slot into a slot that could not be used. */
    COPY_OF_INVALIDATED_SLOT_REFUSED("Restrict copying of invalidated replication slots",
            List.of(new Release(17, 5, "a4309e85f4"), new Release(18, 0, "fd09c1316b")));

    /** The minor release of one major that carried the fix, and its commit on that branch. */
    public record Release(int major, int minor, String commit) {
        public String version() {
            return major + "." + minor;
        }

        public String releaseNotes() {
            return ServerVersion.releaseNotes(major, minor);
        }
    }

    /** A server without {@code fix}, which its major received in {@code release}. */
    public record Missing(UpstreamFix fix, Release release) {
        /** {@code fixed upstream in 17.6 (commit 7318f241d2, "Don't retreat slot's confirmed_flush LSN")}. */
        public String describe() {
            return "fixed upstream " + where();
        }

        /** {@code in 17.6 (commit 7318f241d2, "Don't retreat slot's confirmed_flush LSN")}. */
        public String where() {
            return "in " + releaseAndCommit();
        }

        /** {@code 17.6 (commit 7318f241d2, "Don't retreat slot's confirmed_flush LSN")}. */
        public String releaseAndCommit() {
            return release.version() + " (commit " + release.commit() + ", \"" + fix.title + "\")";
        }
    }

    private final String title;
    private final List<Release> releases;

    UpstreamFix(String title, List<Release> releases) {
        this.title = title;
        this.releases = releases;
    }

    public String title() {
        return title;
    }

    public List<Release> releases() {
        return releases;
    }

    /** The fix as {@code version} lacks it, if it does: a major released after the fix has it from its first release. */
    public Optional<Missing> missingFrom(ServerVersion version) {
        return releases.stream().filter(release -> release.major() == version.major() && version.minor() < release.minor())
                .findFirst().map(release -> new Missing(this, release));
    }
}
