package dev.tokenreduce.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.weights.TensorSpec;
import dev.tokenreduce.vit.weights.WeightNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Not a unit test: times baseline forwards of a standard-size timm ViT with random weights, for quick checks of the
 * encoder's speed while changing it. Usage: {@code EncoderSpeedCheck ARCH [batch=1] [passes=20] [image=224]}, e.g.
 * {@code vit_base_patch16_224}; the model directory is written once under {@code java.io.tmpdir}.
 */
public final class EncoderSpeedCheck {

    private EncoderSpeedCheck() {}

    public static void main(String[] args) throws IOException {
        String arch = args.length > 0 ? args[0] : "vit_base_patch16_224";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int image = args.length > 3 ? Integer.parseInt(args[3]) : 224;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tokenreduce-speed-" + arch);
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), "{\"architecture\": \"" + arch + "\"}");
            VitConfig config = dev.tokenreduce.vit.config.ModelDirectory.open(dir).config();
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                for (TensorSpec s : WeightNaming.of(config.weightFormat()).specs(config)) {
                    tensors.put(s.name(), m.randomNormal(0, 0.02f, new Shape(s.stored()), ai.djl.ndarray.types.DataType.FLOAT32));
                }
                SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, null);
            }
        }
        try (VisionEncoder vit = VisionEncoder.load(dir); NDManager inputs = NDManager.newBaseManager()) {
            NDArray pixels = inputs.randomNormal(new Shape(batch, 3, image, image));
            EncodeOptions opts = EncodeOptions.builder().optCheckInputs(false).build();
            for (int i = 0; i < 5; i++) {
                try (NDManager scope = NDManager.newBaseManager()) {
                    vit.encode(pixels, Policy.none(), scope, opts).finalTokens().toFloatArray();
                }
            }
            long[] times = new long[passes];
            for (int i = 0; i < passes; i++) {
                long t = System.nanoTime();
                try (NDManager scope = NDManager.newBaseManager()) {
                    vit.encode(pixels, Policy.none(), scope, opts).finalTokens().get(0, 0, 0).getFloat();
                }
                times[i] = System.nanoTime() - t;
            }
            java.util.Arrays.sort(times);
            System.out.printf("%s batch %d image %d: median %.2f ms, min %.2f ms over %d passes%n", arch, batch, image,
                    times[passes / 2] / 1e6, times[0] / 1e6, passes);
        }
    }
}
