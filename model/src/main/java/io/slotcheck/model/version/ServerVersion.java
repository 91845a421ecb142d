package io.slotcheck.model.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's version as {@code SELECT version()} reports it, e.g. {@code PostgreSQL 17.11 on x86_64...} or
 * {@code PostgreSQL 17.6 (IvorySQL 4.6) on ...}. {@code major.minor} is always the PostgreSQL base: that is what
 * decides slot behaviour; {@code productVersion} is the fork's own number, or PostgreSQL's own with a pre-release's
 * label ({@code 19beta3}, taken as 19.0), for reports.
 */
public record ServerVersion(Product product, int major, int minor, String productVersion) {

    private static final Pattern POSTGRESQL = Pattern.compile("PostgreSQL (\\d+)(?:\\.(\\d+))?([a-z]+\\d*)?");
    private static final Pattern IVORYSQL = Pattern.compile("\\(IvorySQL (\\d+(?:\\.\\d+)*)\\)");

    public static ServerVersion parse(String versionFunctionOutput) {
        Matcher pg = POSTGRESQL.matcher(versionFunctionOutput);
        if (!pg.find()) {
            throw new IllegalArgumentException("not a PostgreSQL version string: '" + versionFunctionOutput + "'");
        }
        int major = Integer.parseInt(pg.group(1));
        int minor = pg.group(2) == null ? 0 : Integer.parseInt(pg.group(2));
        Matcher ivory = IVORYSQL.matcher(versionFunctionOutput);
        return ivory.find()
                ? new ServerVersion(Product.IVORYSQL, major, minor, ivory.group(1))
                : new ServerVersion(Product.POSTGRESQL, major, minor, pg.group(3) == null ? major + "." + minor : major + pg.group(3));
    }

    /** Where PostgreSQL describes what release {@code major.minor} changed. */
    public static String releaseNotes(int major, int minor) {
        return "https://www.postgresql.org/docs/release/" + major + "." + minor + "/";
    }

    /** Whether this is PostgreSQL {@code major.minor} or later (a later major counts, whatever its minor). */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public String toString() {
        return product == Product.IVORYSQL ? "IvorySQL " + productVersion + " (PostgreSQL " + major + "." + minor + ")"
                : "PostgreSQL " + productVersion;
    }
}
