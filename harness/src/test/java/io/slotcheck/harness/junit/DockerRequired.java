package io.slotcheck.harness.junit;

import io.slotcheck.harness.container.DockerEngine;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Container tests need a Docker engine. Without one they are skipped with the reason, or fail when
 * {@value #REQUIRED} is {@code true} (CI sets it: there, a missing engine is a broken machine, not a skip).
 * Use as {@code @ExtendWith(DockerRequired.class)}.
 */
public final class DockerRequired implements BeforeAllCallback {

    public static final String REQUIRED = "SLOTCHECK_REQUIRE_DOCKER";

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeEngine();
    }

    /** Aborts the running test (a skip) when there is no engine, or fails it when {@value #REQUIRED} says there must be one. */
    public static void assumeEngine() {
        DockerEngine.unavailableReason().ifPresent(reason -> {
            if (Boolean.parseBoolean(System.getenv(REQUIRED))) {
                fail(reason + " (" + REQUIRED + "=true: the container tests must run here)");
            }
            Assumptions.abort("container tests skipped: " + reason);
        });
    }
}
