package dev.tokenreduce.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.lvlm.GenerateOptions;
import dev.tokenreduce.vit.lvlm.Generation;
import dev.tokenreduce.vit.lvlm.VisionLanguageModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce generate --model DIR --pixels FILE --input-ids 1,5,299,… [--max-new-tokens N] [--policy FILE]
 * [--output OUT.safetensors]}: LLaVA prefill (with the policy at its hook points) and greedy decoding. Prints the
 * new token ids; the output file holds {@code last_logits} (1, vocab: the logits at the last prompt position after
 * the prefill) and {@code tokens} (int64). Token ids in and out: no tokenizer is bundled.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"LVLM (LLaVA-1.5-shaped) prefill and greedy decoding with an optional policy at "
        + "vision-output, {decoder-layer: N} or decoder.",
    "Prints the new token ids; --output writes last_logits (logits at the last prompt position after the "
            + "prefill) and tokens.",
    "Prompts are token ids (no tokenizer): put the model's image token id (image_token_index) where the image "
            + "goes, once or once per image feature."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "LLaVA model directory "
            + "(config.json with model_type llava + safetensors weights; llava-hf or transformers >= 4.52 keys).")
    Path model;

    @Option(names = "--pixels", required = true, paramLabel = "FILE.safetensors",
            description = "File holding pixel_values (1,3,H,W), already preprocessed and normalised.")
    Path pixels;

    @Option(names = "--input-ids", required = true, split = ",", paramLabel = "ID",
            description = "Prompt token ids, comma-separated, with the image placeholder id.")
    List<Long> inputIds = new ArrayList<>();

    @Option(names = "--max-new-tokens", defaultValue = "16", paramLabel = "N",
            description = "Tokens to decode after the prompt (default: 16; 0 = prefill only).")
    int maxNewTokens;

    @Option(names = "--stop", split = ",", paramLabel = "ID", description = "Token ids that end decoding.")
    List<Long> stop = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy (YAML or JSON) to run at the hook points.")
    Path policy;

    @Option(names = "--output", paramLabel = "OUT.safetensors",
            description = "Write last_logits (1,vocab) and tokens (int64).")
    Path output;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for operators with randomness (default: 0).")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu[:N] (default: cpu).")
    String device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxNewTokens < 0) {
            throw new InvalidInputException("--max-new-tokens must be >= 0, got " + maxNewTokens);
        }
        Policy p = policy == null ? Policy.none() : Policy.load(policy);
        Device dev = Devices.parse(device);
        long[] ids = inputIds.stream().mapToLong(Long::longValue).toArray();
        GenerateOptions options = GenerateOptions.builder()
                .optMaxNewTokens(maxNewTokens)
                .optStopTokens(stop.stream().mapToLong(Long::longValue).toArray())
                .optSeed(seed)
                .build();
        PrintWriter out = spec.commandLine().getOut();
        try (VisionLanguageModel llava = VisionLanguageModel.load(model, dev);
                NDManager scope = NDManager.newBaseManager(dev);
                SafetensorsFile in = SafetensorsFile.open(pixels)) {
            if (!in.contains(FeaturesCommand.PIXELS)) {
                throw new InvalidInputException("generate: input tensor '" + FeaturesCommand.PIXELS + "' not found in "
                        + pixels + " (it has: " + String.join(", ", in.names()) + ")");
            }
            NDArray x = in.load(FeaturesCommand.PIXELS, scope);
            Generation g = llava.generate(x, ids, p, scope, options);
            out.println("model: " + llava);
            out.println("policy: " + (policy == null ? "none" : p.name()));
            out.println("prompt: " + ids.length + " ids -> " + g.state().layout().total() + " positions after the "
                    + "prefill (" + g.state().layout() + ")");
            for (ReductionRecord r : g.records()) {
                out.println("  " + r);
            }
            long[] tokens = g.tokens();
            out.println("tokens: " + Arrays.stream(tokens).mapToObj(Long::toString).collect(Collectors.joining(",")));
            out.println("stop: " + g.stopReason());
            if (output != null) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                tensors.put("last_logits", g.lastLogits());
                tensors.put("tokens", scope.create(tokens));
                Map<String, String> metadata = new LinkedHashMap<>();
                metadata.put("producer", "tokenreduce generate");
                metadata.put("model", model.toString());
                metadata.put("policy", policy == null ? "none" : p.name());
                metadata.put("input_ids", inputIds.stream().map(String::valueOf).collect(Collectors.joining(",")));
                SafetensorsWriter.write(output, tensors, metadata);
                out.println("wrote " + output + ": last_logits " + g.lastLogits().getShape() + ", tokens ("
                        + tokens.length + ")");
            }
        }
        return 0;
    }
}
