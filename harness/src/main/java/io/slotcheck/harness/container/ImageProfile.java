package io.slotcheck.harness.container;

/**
 * What slotcheck must know of an image to run PostgreSQL servers from it: the account its server runs as, where its
 * programs are, and the superuser its initdb makes. Any image can be named with one of these profiles.
 *
 * @param image     the image, e.g. {@code postgres:17}
 * @param user      the account that runs initdb and the server (it owns the data directories)
 * @param bin       the directory of initdb and postgres in the image
 * @param superuser the bootstrap superuser initdb creates
 */
public record ImageProfile(String image, String user, String bin, String superuser) {

    /** An image {@link LocalImage} built from the embedded binaries. */
    public static ImageProfile local(String image) {
        return new ImageProfile(image, "postgres", LocalImage.PG_HOME + "/bin", "postgres");
    }

    /** The official {@code postgres} images (Debian or Alpine): the binaries of major version {@code major}. */
    public static ImageProfile official(String image, int major) {
        return new ImageProfile(image, "postgres", "/usr/lib/postgresql/" + major + "/bin", "postgres");
    }

    public String program(String name) {
        return bin + "/" + name;
    }
}
