package io.slotcheck.harness.junit;

import io.slotcheck.harness.Target;
import io.slotcheck.harness.cluster.Cluster;
import io.slotcheck.harness.cluster.WorkArea;
import io.slotcheck.harness.observe.Observer;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters of one test, and an observer of them: made through this extension, closed right after the test method;
 * when the test failed the clusters' files are kept (and the path printed) so the server logs can be read.
 * Register as {@code @RegisterExtension final Clusters clusters = new Clusters();}.
 */
public final class Clusters implements AfterTestExecutionCallback {

    private static final Map<String, Target> TARGETS = new ConcurrentHashMap<>();
    private final List<Cluster> open = new ArrayList<>();
    private final Observer observer = new Observer();

    /** The embedded binaries of {@code version} (a pinned major such as "17", or a full version), resolved once per JVM. */
    public static Target embedded(String version) {
        return TARGETS.computeIfAbsent(version, v -> Target.embedded(v, WorkArea.defaultRoot()));
    }

    public Cluster startPair(String version) {
        Cluster cluster = embedded(version).startPair();
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
