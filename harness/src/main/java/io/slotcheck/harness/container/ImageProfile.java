package io.slotcheck.harness.container;

/**
 * What slotcheck must know of an image to run PostgreSQL servers from it: the account its server runs as, and where
 * its programs are. Any image can be named with one of these profiles.
 *
 * @param image     the image, e.g. {@code postgres:17}
 * @param user      the account that runs initdb and the server (it owns the data directories)
 * @param bin       the directory of initdb and postgres in the image
 */
public record ImageProfile(String image, String user, String bin) {

    /** An image {@link LocalImage} built from the embedded binaries. */
    public static ImageProfile local(String image) {
        return new ImageProfile(image, "postgres", LocalImage.PG_HOME + "/bin");
    }

    public String program(String name) {
        return bin + "/" + name;
    }
}
