package dev.tokenreduce.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.weights.TensorSpec;
import dev.tokenreduce.vit.weights.WeightNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a timm-layout model directory ({@code config.json} + {@code model.safetensors}) with random weights:
 * LayerNorm weights 1, biases 0, every other tensor N(0, 0.02²) (timm's trunc-normal init scale), from a fixed
 * seed. The position table is sized for the benchmark image, so no resampling happens.
 */
public final class RandomVit {

    private RandomVit() {}

    /**
     * Writes the directory unless it already holds a model of this description.
     *
     * @param dir target directory (created)
     * @param architecture timm name, e.g. {@code vit_large_patch16_224}
     * @param imageSize image side the position table is made for
     * @param depth blocks (0 = the architecture's own)
     * @param seed random seed of the weights
     * @return {@code dir}
     */
    public static Path write(Path dir, String architecture, int imageSize, int depth, long seed) {
        String config = "{\"architecture\": \"" + architecture + "\", \"model_args\": {\"img_size\": " + imageSize
                + (depth > 0 ? ", \"depth\": " + depth : "") + "}, \"benchmark_seed\": " + seed + "}";
        Path weights = dir.resolve("model.safetensors");
        try {
            Files.createDirectories(dir);
            Path configFile = dir.resolve(ModelDirectory.CONFIG);
            if (Files.exists(weights) && Files.exists(configFile) && Files.readString(configFile).equals(config)) {
                return dir;
            }
            Files.writeString(configFile, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark model to " + dir, e);
        }
        VitConfig vit = ModelDirectory.open(dir).config();
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (TensorSpec s : WeightNaming.of(vit.weightFormat()).specs(vit)) {
                Shape shape = new Shape(s.stored());
                NDArray t;
                if (s.name().endsWith(".bias") || s.name().endsWith("_bias")) {
                    t = m.zeros(shape, DataType.FLOAT32);
                } else if (isNormWeight(s.name())) {
                    t = m.ones(shape, DataType.FLOAT32);
                } else {
                    t = m.randomNormal(0, 0.02f, shape, DataType.FLOAT32);
                }
                tensors.put(s.name(), t);
            }
            SafetensorsWriter.write(weights, tensors, Map.of("format", "pt"));
        }
        return dir;
    }

    private static boolean isNormWeight(String name) {
        String[] parts = name.split("\\.");
        return parts.length >= 2 && parts[parts.length - 1].equals("weight") && parts[parts.length - 2].startsWith("norm");
    }
}
