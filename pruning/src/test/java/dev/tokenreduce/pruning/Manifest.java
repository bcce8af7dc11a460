package dev.tokenreduce.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The fixtures' manifest.json (parameters of each golden case). */
public final class Manifest {

    private Manifest() {}

    /** The manifest's entries under {@code key} (e.g. "todre"), failing when absent. */
    public static JsonNode entries(String key) {
        try {
            JsonNode root = new ObjectMapper().readTree(SharedFixtures.fixture("manifest.json").toFile());
            JsonNode node = root.get(key);
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw new IllegalStateException("manifest.json has no entries under '" + key + "'");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
