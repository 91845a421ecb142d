package io.slotcheck.harness.container;

import io.slotcheck.harness.server.IvorySqlMode;

import java.util.List;
import java.util.Optional;

/**
 * What slotcheck must know of an image to run PostgreSQL servers from it: the account its server runs as, where its
 * programs are, and for IvorySQL the initdb mode its clusters are made in. Any image can be named with one of these
 * profiles. slotcheck makes the clusters itself (initdb with the superuser {@code postgres}, trust on the world's
 * network), so an image's entrypoint contract (e.g. {@code POSTGRES_PASSWORD}, {@code IVORYSQL_PASSWORD}) is not used.
 *
 * @param name         the profile's name on the command line ({@code --image-profile})
 * @param image        the image, e.g. {@code postgres:17}
 * @param user         the account that runs initdb and the server (it owns the data directories)
 * @param bin          the directory of initdb and postgres in the image; empty: they are on the image's PATH
 * @param ivorySqlMode for IvorySQL's images, the initdb mode ({@code -m}); empty for PostgreSQL's
 */
public record ImageProfile(String name, String image, String user, Optional<String> bin, Optional<IvorySqlMode> ivorySqlMode) {

    /** The profiles {@link #named} knows. */
    public static final String NAMES = "local, postgres, ivorysql";

    /** An image {@link LocalImage} built from an installation of this machine (an IvorySQL one in {@code ivorySqlMode}). */
    public static ImageProfile local(String image, Optional<IvorySqlMode> ivorySqlMode) {
        return new ImageProfile("local", image, "postgres", Optional.of(LocalImage.PG_HOME + "/bin"), ivorySqlMode);
    }

    /** The official {@code postgres} images (Docker Hub), and images made like them: the programs on the PATH, account postgres. */
    public static ImageProfile postgres(String image) {
        return new ImageProfile("postgres", image, "postgres", Optional.empty(), Optional.empty());
    }

    /**
     * The official {@code ivorysql/ivorysql} images (spec/ivorysql.md §3): the programs on the PATH
     * ({@code /var/local/ivorysql/ivorysql-N/bin}), account {@code ivorysql}; clusters in {@code mode}.
     */
    public static ImageProfile ivorysql(String image, IvorySqlMode mode) {
        return new ImageProfile("ivorysql", image, "ivorysql", Optional.empty(), Optional.of(mode));
    }

    /**
     * The profile called {@code name} for {@code image}, IvorySQL's in {@code ivorySqlMode} (empty: its default, Oracle
     * mode); empty when there is no such profile.
     */
    public static Optional<ImageProfile> named(String name, String image, Optional<IvorySqlMode> ivorySqlMode) {
        return switch (name) {
            case "local" -> Optional.of(local(image, ivorySqlMode));
            case "postgres" -> Optional.of(postgres(image));
            case "ivorysql" -> Optional.of(ivorysql(image, ivorySqlMode.orElse(IvorySqlMode.ORACLE)));
            default -> Optional.empty();
        };
    }

    /**
     * The profile an image's name suggests: {@code local} for the images slotcheck builds, {@code ivorysql} for
     * IvorySQL's repository (and mirrors of it), else {@code postgres}.
     */
    public static String nameForImage(String image) {
        String repository = image.replaceFirst(":[^/:]*$", "");
        return image.startsWith(LocalImage.REPOSITORY + ":") ? "local" : repository.endsWith("ivorysql/ivorysql") ? "ivorysql" : "postgres";
    }

    public String program(String program) {
        return bin.map(directory -> directory + "/" + program).orElse(program);
    }

    /** The arguments that make initdb create a cluster in the image's mode (none for PostgreSQL). */
    public List<String> initdbModeArguments() {
        return ivorySqlMode.map(mode -> List.of("-m", mode.value())).orElse(List.of());
    }

    /** Whether its servers open IvorySQL's Oracle-mode listener, a second port per server. */
    public boolean oracleMode() {
        return ivorySqlMode.equals(Optional.of(IvorySqlMode.ORACLE));
    }
}
