package io.slotcheck.harness.container;

import java.util.Optional;

/**
 * What slotcheck must know of an image to run PostgreSQL servers from it: the account its server runs as, and where
 * its programs are. Any image can be named with one of these profiles.
 *
 * @param name  the profile's name on the command line ({@code --image-profile})
 * @param image the image, e.g. {@code postgres:17}
 * @param user  the account that runs initdb and the server (it owns the data directories)
 * @param bin   the directory of initdb and postgres in the image; empty: they are on the image's PATH
 */
public record ImageProfile(String name, String image, String user, Optional<String> bin) {

    /** The profiles {@link #named} knows. */
    public static final String NAMES = "local, postgres";

    /** An image {@link LocalImage} built from an installation of this machine. */
    public static ImageProfile local(String image) {
        return new ImageProfile("local", image, "postgres", Optional.of(LocalImage.PG_HOME + "/bin"));
    }

    /** The official {@code postgres} images (Docker Hub), and images made like them: the programs on the PATH, account postgres. */
    public static ImageProfile postgres(String image) {
        return new ImageProfile("postgres", image, "postgres", Optional.empty());
    }

    /** The profile called {@code name} for {@code image}; empty when there is no such profile. */
    public static Optional<ImageProfile> named(String name, String image) {
        return switch (name) {
            case "local" -> Optional.of(local(image));
            case "postgres" -> Optional.of(postgres(image));
            default -> Optional.empty();
        };
    }

    /** The profile an image's name suggests: {@code local} for the images slotcheck builds, else {@code postgres}. */
    public static ImageProfile forImage(String image) {
        return image.startsWith(LocalImage.REPOSITORY + ":") ? local(image) : postgres(image);
    }

    public String program(String program) {
        return bin.map(directory -> directory + "/" + program).orElse(program);
    }
}
