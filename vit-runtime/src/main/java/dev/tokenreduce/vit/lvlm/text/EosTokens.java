package dev.tokenreduce.vit.lvlm.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-sequence ids of a model directory, where transformers' {@code generate} finds them:
 * {@code eos_token_id} of {@code generation_config.json}, else of {@code config.json}'s {@code text_config}, else
 * of {@code config.json} itself. Each may be one id or a list.
 */
public final class EosTokens {

    /** The file name of HuggingFace generation defaults. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FIELD = "eos_token_id";

    private EosTokens() {}

    /**
     * The ids, or an empty array when no file names one.
     *
     * @throws ModelFormatException for unreadable JSON or an {@code eos_token_id} that is not an id or a list of ids
     */
    public static long[] read(Path directory) {
        JsonNode generation = readJson(directory.resolve(GENERATION_CONFIG));
        if (generation != null && generation.hasNonNull(FIELD)) {
            return ids(generation.get(FIELD), directory.resolve(GENERATION_CONFIG));
        }
        Path configFile = directory.resolve("config.json");
        JsonNode config = readJson(configFile);
        if (config == null) {
            return new long[0];
        }
        JsonNode text = config.get("text_config");
        if (text != null && text.hasNonNull(FIELD)) {
            return ids(text.get(FIELD), configFile);
        }
        return config.hasNonNull(FIELD) ? ids(config.get(FIELD), configFile) : new long[0];
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not readable JSON: " + e.getMessage(), e);
        }
    }

    private static long[] ids(JsonNode node, Path file) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = items.get(i);
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.longValue() < 0) {
                throw new ModelFormatException(file + ", field '" + FIELD + "': expected a token id or a list of"
                        + " ids, got " + node);
            }
            out[i] = n.longValue();
        }
        return out;
    }
}
