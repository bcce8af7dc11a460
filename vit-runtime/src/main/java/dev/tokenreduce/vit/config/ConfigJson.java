package dev.tokenreduce.vit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed, optional access to one JSON object of a config file; errors name the file and the field. */
final class ConfigJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode node;
    private final String where;

    ConfigJson(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** Reads a JSON object from {@code file}. */
    static ConfigJson read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": expected a JSON object");
        }
        return new ConfigJson(root, file.toString());
    }

    String where() {
        return where;
    }

    boolean has(String key) {
        return node.hasNonNull(key);
    }

    /** A nested object, or {@code null} when absent. */
    ConfigJson object(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw error(key, "expected an object, got " + v);
        }
        return new ConfigJson(v, where + " (" + key + ")");
    }

    Iterable<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    String string(String key, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw error(key, "expected a string, got " + v);
        }
        return v.asText();
    }

    int integer(String key, int fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            throw error(key, "expected a whole number, got " + v);
        }
        return v.asInt();
    }

    double number(String key, double fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw error(key, "expected a number, got " + v);
        }
        return v.asDouble();
    }

    /** A boolean; {@code null} when absent or JSON null. */
    Boolean bool(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw error(key, "expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    boolean bool(String key, boolean fallback) {
        Boolean b = bool(key);
        return b == null ? fallback : b;
    }

    /** A number or a list of numbers (an image size may be 224 or [224, 224]); {@code null} when absent. */
    int[] intPair(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return new int[] {v.asInt(), v.asInt()};
        }
        if (v.isArray() && (v.size() == 2 || v.size() == 3)) {
            // [H, W] or timm's input_size [C, H, W]
            int off = v.size() - 2;
            if (v.get(off).isIntegralNumber() && v.get(off + 1).isIntegralNumber()) {
                return new int[] {v.get(off).asInt(), v.get(off + 1).asInt()};
            }
        }
        throw error(key, "expected a whole number or [height, width], got " + v);
    }

    /** A list of numbers, or {@code null} when absent. */
    List<Double> numbers(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw error(key, "expected a list of numbers, got " + v);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isNumber()) {
                throw error(key, "expected a list of numbers, got " + v);
            }
            out.add(item.asDouble());
        }
        return out;
    }

    /** The raw value as text, for messages. */
    String raw(String key) {
        JsonNode v = node.get(key);
        return v == null ? "null" : v.toString();
    }

    ModelFormatException error(String key, String problem) {
        return new ModelFormatException(where + ", field '" + key + "': " + problem);
    }
}
