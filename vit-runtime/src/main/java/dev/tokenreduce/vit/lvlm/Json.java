package dev.tokenreduce.vit.lvlm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenreduce.vit.ModelFormatException;

/** Typed optional fields of one JSON object of a LLaVA {@code config.json}; errors name the file and field. */
final class Json {

    private final JsonNode node;
    private final String where;

    Json(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    boolean has(String key) {
        return node != null && node.hasNonNull(key);
    }

    JsonNode get(String key) {
        return has(key) ? node.get(key) : null;
    }

    String string(String key, String fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw error(key, "expected a string, got " + v);
        }
        return v.asText();
    }

    int integer(String key, int fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw error(key, "expected a whole number, got " + v);
        }
        return v.asInt();
    }

    double number(String key, double fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(key, "expected a number, got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    ModelFormatException error(String key, String problem) {
        return new ModelFormatException(where + ", field '" + key + "': " + problem);
    }
}
