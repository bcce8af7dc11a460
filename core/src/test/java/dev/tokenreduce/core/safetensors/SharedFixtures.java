package dev.tokenreduce.core.safetensors;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared golden fixtures: system property {@code tokenreduce.shared} (set by Surefire), else
 * {@code ../../shared} relative to the module directory. Missing fixtures fail the test, never skip it.
 */
final class SharedFixtures {

    private SharedFixtures() {}

    static Path shared() {
        String property = System.getProperty("tokenreduce.shared");
        if (property != null && Files.isDirectory(Path.of(property, "fixtures"))) {
            return Path.of(property);
        }
        Path fallback = Path.of("../../shared").toAbsolutePath().normalize();
        if (Files.isDirectory(fallback.resolve("fixtures"))) {
            return fallback;
        }
        throw new AssertionError("shared fixtures not found: tried tokenreduce.shared=" + property + " and "
                + fallback + "; run from the project (Surefire sets tokenreduce.shared) or set -Dtokenreduce.shared");
    }

    static Path fixture(String relative) {
        Path p = shared().resolve("fixtures").resolve(relative);
        if (!Files.isRegularFile(p) && !Files.isDirectory(p)) {
            throw new AssertionError("fixture missing: " + p);
        }
        return p;
    }
}
