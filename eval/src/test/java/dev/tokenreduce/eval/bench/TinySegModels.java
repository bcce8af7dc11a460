package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Test helper: a tiny segmentation model folder (the fixture ViT, 64×64, patch 8, depth 4 + a random head), or a
 * tiny depth model (the same with a one-output head and {@code "head": {"task": "depth", ...}} in config.json).
 */
final class TinySegModels {

    private TinySegModels() {}

    static Path write(Path dir, int classes, long seed) {
        Path vit = SharedFixtures.fixture("vit/vit_plain/timm");
        try {
            Files.createDirectories(dir);
            Files.copy(vit.resolve("config.json"), dir.resolve("config.json"));
            Files.copy(vit.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Random r = new Random(seed);
        float[] w = new float[classes * 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.5);
        }
        float[] b = new float[classes];
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("head.weight", m.create(w, new Shape(classes, 64)));
            t.put("head.bias", m.create(b, new Shape(classes)));
            SafetensorsWriter.write(dir.resolve(EncoderHeadPredictor.HEAD_FILE), t, Map.of("format", "pt"));
        }
        return dir;
    }

    /** A depth model: a (1, 64) head with bias 1 and the given activation (sigmoid capped at 10 m). */
    static Path writeDepth(Path dir, String activation, long seed) {
        write(dir, 1, seed);
        try {
            Path config = dir.resolve("config.json");
            String text = Files.readString(config).trim();
            text = text.substring(0, text.lastIndexOf('}')) + ", \"head\": {\"task\": \"depth\", \"activation\": \""
                    + activation + "\", \"max_depth\": 10}}";
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
