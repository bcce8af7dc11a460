package dev.tokenreduce.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the golden fixtures of the reference implementations, kept in the repository under
 * {@code testdata/fixtures/} (provenance in its README.md). Surefire passes the folder as {@code tokenreduce.testdata};
 * without it (an IDE run) the folder is found by walking up from the working directory. A missing folder or file
 * fails loudly, never skips.
 */
public final class SharedFixtures {

    private SharedFixtures() {}

    /** The folder holding {@code fixtures/}. */
    public static Path root() {
        String prop = System.getProperty("tokenreduce.testdata");
        if (prop != null && Files.isDirectory(Path.of(prop, "fixtures"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata");
            if (Files.isDirectory(candidate.resolve("fixtures"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("golden fixtures not found: set -Dtokenreduce.testdata=/path/to/testdata"
                + " (the repository folder holding fixtures/)");
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
