package io.slotcheck.model.readiness;

/**
 * One row of {@code pg_file_settings}: a setting as the configuration files give it, and the error it gives if it is
 * not applied ({@code null} when it is fine). A server restarted with such an error in its files does not start.
 */
public record ConfigFileEntry(String node, String sourceFile, Integer sourceLine, String name, String setting, String error) {

    public String where() {
        return sourceFile + (sourceLine == null ? "" : ":" + sourceLine);
    }
}
