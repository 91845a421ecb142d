package io.slotcheck.harness.junit;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.observe.Observer;
import io.slotcheck.harness.server.IvorySqlMode;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The clusters of one test, and an observer of them: made through this extension, closed right after the test method;
 * when the test failed the clusters' files are kept (and the path printed) so the server logs can be read.
 * Register as {@code @RegisterExtension final Clusters clusters = new Clusters();}.
 */
public final class Clusters implements AfterTestExecutionCallback {

    private static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();
    private final List<Cluster> open = new ArrayList<>();
    private final Observer observer = new Observer();

    /**
     * The embedded binaries of {@code version} (a pinned major such as "17", a full version, or "17-latest": the newest
     * 17.x), resolved once per JVM.
     */
    public static Target embedded(String version) {
        return TARGETS.computeIfAbsent(version, v -> Target.embedded(v, WorkArea.defaultRoot()));
    }

    /** What the suites run against, as their parameters name it. */
    private static final String IN_CONTAINERS = " in containers";

    /**
     * The targets named by the system property {@code slotcheck.targets} (comma-separated), by default the embedded 17
     * and 18 as local processes and 17 in containers of the images built here (18 in containers too with
     * {@code -Pnightly}: the default test run stays within its time): what a parameterized suite runs on.
     */
    public static Stream<String> targets() {
        return Arrays.stream(System.getProperty("slotcheck.targets", "17,18,17" + IN_CONTAINERS).split(","))
                .map(String::strip).filter(name -> !name.isEmpty());
    }

    /** Those of {@link #targets()} that run as processes of this machine. */
    public static Stream<String> localTargets() {
        return targets().filter(name -> !name.endsWith(IN_CONTAINERS));
    }

    /** Those of {@link #targets()} that run in containers. */
    public static Stream<String> containerTargets() {
        return targets().filter(name -> name.endsWith(IN_CONTAINERS));
    }

    /**
     * The target {@code name} names: a version of the embedded binaries ({@code 17}), or that version in containers
     * ({@code 17 in containers}; without a Docker engine the test is skipped, or fails where one is required), or an
     * installation by its absolute path ({@code /usr/lib/postgresql/17}), for IvorySQL followed by the mode its clusters
     * are made in ({@code /opt/ivorysql-4.6 pg}), as {@code --pg-home} and {@code --ivorysql-mode} take them.
     */
    public static Target target(String name) {
        if (name.startsWith("/")) {
            String[] homeAndMode = name.split(" +", 2);
            IvorySqlMode mode = homeAndMode.length == 1 ? null : IvorySqlMode.parse(homeAndMode[1]).orElseThrow(
                    () -> new IllegalArgumentException("slotcheck.targets: '" + homeAndMode[1] + "' is no IvorySQL mode (pg or oracle)"));
            return TARGETS.computeIfAbsent(name, n -> Target.installed(Path.of(homeAndMode[0]), mode, null, WorkArea.defaultRoot()));
        }
        if (name.endsWith(IN_CONTAINERS)) {
            DockerRequired.assumeEngine();
            return TARGETS.computeIfAbsent(name, n -> embedded(n.substring(0, n.length() - IN_CONTAINERS.length())).inContainers());
        }
        return embedded(name);
    }

    /** A primary/standby pair of {@link #target(String) target} {@code name}, closed after the test. */
    public Cluster startPair(String name) {
        Cluster cluster = target(name).startPair();
        open.add(cluster);
        return cluster;
    }

    /** An observer whose sessions end with the test. */
    public Observer observer() {
        return observer;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        observer.close();
        boolean failed = context.getExecutionException().isPresent();
        for (Cluster cluster : open) {
            if (failed) {
                cluster.keepFiles();
            }
            cluster.close();
        }
        open.clear();
    }
}
