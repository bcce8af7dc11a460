package dev.tokenreduce.core.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A sharded checkpoint's {@code *.safetensors.index.json}: which shard file holds each tensor, plus the index
 * metadata. Reading it checks that every referenced shard exists inside the index's directory.
 *
 * @param indexFile the index file
 * @param metadata the index {@code metadata} (values as text, e.g. {@code total_size})
 * @param weightMap tensor name → shard file, in index order
 */
record ShardIndex(Path indexFile, Map<String, String> metadata, Map<String, Path> weightMap) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static ShardIndex read(Path indexFile) {
        JsonNode root = parse(indexFile);
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(indexFile, "index is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new SafetensorsException(indexFile, "index 'metadata' must be an object, found "
                        + meta.getNodeType());
            }
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsException(indexFile, "index has no 'weight_map' object (tensor name → shard file)");
        }
        Path dir = indexFile.toAbsolutePath().normalize().getParent();
        Map<String, Path> weightMap = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(indexFile, "weight_map entry for tensor '" + e.getKey()
                        + "' must be a file name, found " + e.getValue());
            }
            Path shard = resolveShard(indexFile, dir, e.getKey(), e.getValue().asText());
            if (!Files.isRegularFile(shard)) {
                missing.add(e.getValue().asText());
            }
            weightMap.put(e.getKey(), shard);
        }
        if (!missing.isEmpty()) {
            throw new SafetensorsException(indexFile, "index references " + missing.size()
                    + " missing shard file(s) in " + dir + ": " + String.join(", ", missing));
        }
        return new ShardIndex(indexFile, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(weightMap));
    }

    private static Path resolveShard(Path indexFile, Path dir, String tensor, String fileName) {
        Path shard;
        try {
            shard = dir.resolve(fileName).normalize();
        } catch (InvalidPathException e) {
            throw new SafetensorsException(indexFile, "weight_map entry for tensor '" + tensor
                    + "' is not a valid file name: " + fileName, e);
        }
        // Shards live next to the index; anything else is a broken or hostile index.
        if (fileName.isEmpty() || !shard.startsWith(dir) || shard.equals(dir)) {
            throw new SafetensorsException(indexFile, "weight_map entry for tensor '" + tensor
                    + "' points outside the checkpoint directory: " + fileName);
        }
        return shard;
    }

    private static JsonNode parse(Path indexFile) {
        try {
            long size = Files.size(indexFile);
            if (size > HeaderReader.MAX_HEADER_BYTES) {
                throw new SafetensorsException(indexFile, "index is " + size + " bytes, more than the limit of "
                        + HeaderReader.MAX_HEADER_BYTES);
            }
            return JSON.readTree(indexFile.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(indexFile, "index is not well-formed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(indexFile, "cannot read index: " + e, e);
        }
    }
}
