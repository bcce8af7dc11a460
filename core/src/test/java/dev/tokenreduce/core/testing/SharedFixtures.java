package dev.tokenreduce.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the golden fixtures of the reference implementations. Tests read them in place from the shared folder
 * beside the project (Surefire passes {@code tokenreduce.shared}); a missing folder fails loudly, never skips.
 */
public final class SharedFixtures {

    private SharedFixtures() {}

    /** The shared folder root. */
    public static Path root() {
        String prop = System.getProperty("tokenreduce.shared");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) {
                return candidate.normalize();
            }
            candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("fixtures"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("shared fixtures not found: set -Dtokenreduce.shared=/path/to/shared"
                + " (the folder holding fixtures/)");
    }

    /** A path under {@code fixtures/}, which must exist. */
    public static Path fixture(String relative) {
        Path p = root().resolve("fixtures").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture missing: " + p);
        }
        return p;
    }
}
