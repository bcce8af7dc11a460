package dev.tokenreduce.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce features --model DIR --pixels FILE --output OUT [--policy FILE]}: runs the vision encoder on
 * {@code pixel_values} and writes {@code embeddings}, {@code block.0} … {@code block.{L-1}} and {@code final}
 * without a policy; with one, {@code final} (prefix then reduced tokens) and {@code reconstructed} (the
 * final-normed patch tokens on the full grid) when the policy leaves a restoration.
 */
@Command(name = "features", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the vision encoder on pixel_values (B,3,H,W, normalised) and write "
        + "its features.",
    "Without --policy: embeddings, block.0 ... block.{L-1}, final.",
    "With --policy: final (prefix tokens then the reduced tokens) and reconstructed (B,N,C) when the policy "
            + "restores the full grid."})
final class FeaturesCommand implements Callable<Integer> {

    /** The input tensor name of the contract. */
    static final String PIXELS = "pixel_values";

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory "
            + "(config.json + safetensors weights; timm or HuggingFace layout).")
    Path model;

    @Option(names = "--pixels", required = true, paramLabel = "FILE.safetensors",
            description = "File holding pixel_values (B,3,H,W), already normalised.")
    Path pixels;

    @Option(names = "--output", required = true, paramLabel = "OUT.safetensors", description = "Where to write.")
    Path output;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy (YAML or JSON) to run at the hook points.")
    Path policy;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for operators with randomness (default: 0).")
    long seed;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Policy p = policy == null ? null : Policy.load(policy);
        Device dev = device.device();
        PrintWriter out = spec.commandLine().getOut();
        try (VisionEncoder encoder = VisionEncoder.load(model, dev);
                NDManager scope = NDManager.newBaseManager(dev);
                SafetensorsFile in = SafetensorsFile.open(pixels)) {
            if (!in.contains(PIXELS)) {
                throw new InvalidInputException("features: input tensor '" + PIXELS + "' not found in " + pixels
                        + " (it has: " + String.join(", ", in.names()) + ")");
            }
            NDArray x = in.load(PIXELS, scope);
            EncodeOptions.Builder options = EncodeOptions.builder().optSeed(seed);
            if (p == null) {
                options.optRecordAll();
            }
            EncoderOutput result = encoder.encode(x, p == null ? Policy.none() : p, scope, options.build());
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            if (p == null) {
                tensors.putAll(result.intermediates());
            } else {
                tensors.put(EncodeOptions.FINAL, result.finalTokens());
                if (result.reconstructed() != null) {
                    tensors.put("reconstructed", result.reconstructed());
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("producer", "tokenreduce features");
            metadata.put("model", encoder.config().source());
            metadata.put("policy", p == null ? "none" : p.name());
            SafetensorsWriter.write(output, tensors, metadata);
            out.println("model: " + encoder.config());
            out.println("policy: " + (p == null ? "none" : p.name()));
            for (ReductionRecord r : result.records()) {
                out.println("  " + r);
            }
            out.println("wrote " + output + ":");
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                out.println("  " + e.getKey() + " " + e.getValue().getShape() + " " + e.getValue().getDataType());
            }
        }
        return 0;
    }
}
