package io.slotcheck.reports;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Allure's {@code executor.json}: the CI build a report came from, read from the job's environment variables. */
final class Executor {

    private Executor() {
    }

    static Optional<Map<String, Object>> of(Map<String, String> env) {
        Map<String, Object> executor = new LinkedHashMap<>();
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            executor.put("name", "GitHub Actions");
            executor.put("type", "github");
            executor.put("buildName", env.getOrDefault("GITHUB_WORKFLOW", "workflow") + " #" + env.getOrDefault("GITHUB_RUN_NUMBER", "?"));
            executor.put("buildUrl", env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + env.get("GITHUB_REPOSITORY")
                    + "/actions/runs/" + env.get("GITHUB_RUN_ID"));
        } else if (env.containsKey("GITLAB_CI")) {
            executor.put("name", "GitLab CI");
            executor.put("type", "gitlab");
            executor.put("buildName", "pipeline " + env.getOrDefault("CI_PIPELINE_ID", "?") + " job " + env.getOrDefault("CI_JOB_NAME", "?"));
            executor.put("buildUrl", env.get("CI_JOB_URL"));
        } else if (env.containsKey("JENKINS_URL")) {
            executor.put("name", "Jenkins");
            executor.put("type", "jenkins");
            executor.put("buildName", env.getOrDefault("BUILD_TAG", "build"));
            executor.put("buildUrl", env.get("BUILD_URL"));
        } else if ("true".equalsIgnoreCase(env.get("CI"))) {
            executor.put("name", "CI");
            executor.put("type", "ci");
            executor.put("buildName", env.getOrDefault("HOSTNAME", "CI job"));
        } else {
            return Optional.empty();
        }
        executor.values().removeIf(java.util.Objects::isNull);
        executor.put("reportName", "slotcheck");
        return Optional.of(executor);
    }
}
