package dev.tokenreduce.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.ImageProcessorConfig;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.vit.lvlm.GenerateOptions;
import dev.tokenreduce.vit.lvlm.Generation;
import dev.tokenreduce.vit.lvlm.VisionLanguageModel;
import dev.tokenreduce.vit.lvlm.text.EosTokens;
import dev.tokenreduce.vit.lvlm.text.PromptFormat;
import dev.tokenreduce.vit.lvlm.text.PromptTokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce generate --model DIR (--pixels FILE | --image FILE) (--input-ids 1,5,299,… | --prompt TEXT)
 * [--raw-prompt] [--max-new-tokens N] [--policy FILE] [--output OUT.safetensors]}: LLaVA prefill (with the policy
 * at its hook points) and greedy decoding. Prints the new token ids and, with {@code --prompt}, their text; the output
 * file holds {@code last_logits} (1, vocab: the logits at the last prompt position after the prefill) and
 * {@code tokens} (int64). {@code --prompt} needs the model's {@code tokenizer.json}; {@code --image} is preprocessed
 * as LLaVA-1.5's CLIP image processor does ({@link ImagePixels}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"LVLM (LLaVA-1.5-shaped) prefill and greedy (or sampled) decoding with an optional policy at "
        + "vision-output, {decoder-layer: N} or decoder.",
    "Image: --image FILE (PNG, JPEG, ...; resized, centre-cropped and normalised as LLaVA-1.5's CLIP processor "
            + "does, preprocessor_config.json in the model directory overrides) or --pixels FILE.safetensors "
            + "(pixel_values, already normalised).",
    "Prompt: --prompt TEXT, put into LLaVA-1.5's 'USER: <image>\\n{TEXT} ASSISTANT:' (or as given with "
            + "--raw-prompt) and tokenized with the model directory's tokenizer.json; or --input-ids with the "
            + "image token id (image_token_index) where the image goes, once or once per image feature.",
    "Prints the new token ids (and their text with --prompt); --output writes last_logits (logits at the last "
            + "prompt position after the prefill) and tokens."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "LLaVA model directory "
            + "(config.json with model_type llava + safetensors weights; llava-hf or transformers >= 4.52 keys).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ImageInput imageInput;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptInput promptInput;

    @Option(names = "--raw-prompt", description = "Tokenize --prompt as given, without the LLaVA-1.5 conversation "
            + "template (it must then contain <image> where the image goes).")
    boolean rawPrompt;

    @Option(names = "--pad-to-square", description = "With --image: first centre the image on a square of its "
            + "longer side filled with the processor's mean colour (LLaVA-1.5's image_aspect_ratio 'pad'), so the "
            + "centre crop loses nothing.")
    boolean padToSquare;

    /** Where the image comes from: exactly one of these. */
    static final class ImageInput {
        @Option(names = "--pixels", required = true, paramLabel = "FILE.safetensors",
                description = "File holding pixel_values (1,3,H,W), already preprocessed and normalised.")
        Path pixels;

        @Option(names = "--image", required = true, paramLabel = "FILE",
                description = "Image file (PNG, JPEG, BMP, ...), preprocessed for the model's vision tower.")
        Path image;
    }

    /** Where the prompt comes from: exactly one of these. */
    static final class PromptInput {
        @Option(names = "--input-ids", required = true, split = ",", paramLabel = "ID",
                description = "Prompt token ids, comma-separated, with the image placeholder id.")
        List<Long> inputIds = new ArrayList<>();

        @Option(names = "--prompt", required = true, paramLabel = "TEXT",
                description = "Prompt text (a question about the image), tokenized with the model's tokenizer.json.")
        String prompt;
    }

    @Option(names = "--max-new-tokens", defaultValue = "16", paramLabel = "N",
            description = "Tokens to decode after the prompt (default: 16; 0 = prefill only).")
    int maxNewTokens;

    @Option(names = "--stop", split = ",", paramLabel = "ID", description = "Token ids that end decoding (default: "
            + "none; with --prompt, eos_token_id of generation_config.json or config.json when they give one).")
    List<Long> stop = new ArrayList<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy (YAML or JSON) to run at the hook points.")
    Path policy;

    @Option(names = "--output", paramLabel = "OUT.safetensors",
            description = "Write last_logits (1,vocab) and tokens (int64).")
    Path output;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "Sampling temperature; 0 ="
            + " greedy decoding (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "With --temperature: sample from"
            + " the K most likely tokens; 0 = the whole vocabulary (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for sampling and for operators with randomness"
            + " (default: 0).")
    long seed;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (maxNewTokens < 0) {
            throw new InvalidInputException("--max-new-tokens must be >= 0, got " + maxNewTokens);
        }
        String prompt = promptInput.prompt;
        if (rawPrompt && prompt == null) {
            throw new InvalidInputException("--raw-prompt applies to --prompt, not to --input-ids");
        }
        if (prompt != null && Files.isDirectory(model) && !Files.isRegularFile(model.resolve(PromptTokenizer.FILE))) {
            throw new InvalidInputException("--prompt needs the model's tokenizer, but " + model + " has no "
                    + PromptTokenizer.FILE + ": add the model's HuggingFace " + PromptTokenizer.FILE
                    + " to the directory, or give token ids with --input-ids");
        }
        // Template the prompt and decode the image before the (slow) model load, so bad input fails at once.
        String promptText = prompt == null ? null
                : (rawPrompt ? PromptFormat.RAW : PromptFormat.LLAVA_1_5).apply(prompt);
        Policy p = policy == null ? Policy.none() : Policy.load(policy);
        Device dev = device.device();
        RgbImage image = imageInput.image == null ? null : ImageFiles.readRgb(imageInput.image);
        PrintWriter out = spec.commandLine().getOut();
        try (VisionLanguageModel llava = VisionLanguageModel.load(model, dev);
                PromptTokenizer tokenizer = prompt == null ? null : PromptTokenizer.load(model);
                NDManager scope = NDManager.newBaseManager(dev)) {
            long[] ids;
            if (tokenizer != null) {
                ids = tokenizer.encodePrompt(promptText, llava.config().imageTokenIndex());
            } else {
                ids = promptInput.inputIds.stream().mapToLong(Long::longValue).toArray();
            }
            long[] stopIds = stop.stream().mapToLong(Long::longValue).toArray();
            if (tokenizer != null && stop.isEmpty()) {
                stopIds = EosTokens.read(model);
            }
            GenerateOptions options = GenerateOptions.builder()
                    .optMaxNewTokens(maxNewTokens)
                    .optStopTokens(stopIds)
                    .optTemperature(temperature)
                    .optTopK(topK)
                    .optSeed(seed)
                    .build();
            NDArray x;
            if (image != null) {
                ImageProcessorConfig processor = ImagePixels.processor(model, llava.config().vision());
                x = ImagePixels.pixels(padToSquare ? ImagePixels.padToSquare(image, processor) : image, processor,
                        scope);
                out.println("image: " + imageInput.image + " " + image.width() + "x" + image.height() + " -> "
                        + x.getShape() + " (" + processor.preprocessor() + ")");
            } else {
                x = loadPixels(imageInput.pixels, scope);
            }
            Generation g = llava.generate(x, ids, p, scope, options);
            out.println("model: " + llava);
            out.println("policy: " + (policy == null ? "none" : p.name()));
            if (tokenizer != null) {
                out.println("input ids: " + join(ids) + (rawPrompt ? " (raw prompt)" : " (LLaVA-1.5 template)"));
            }
            out.println("prompt: " + ids.length + " ids -> " + g.state().layout().total() + " positions after the "
                    + "prefill (" + g.state().layout() + ")");
            for (ReductionRecord r : g.records()) {
                out.println("  " + r);
            }
            long[] tokens = g.tokens();
            out.println("tokens: " + join(tokens));
            if (tokenizer != null) {
                out.println("text: " + tokenizer.decode(tokens));
            }
            out.println("stop: " + g.stopReason());
            if (output != null) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                tensors.put("last_logits", g.lastLogits());
                tensors.put("tokens", scope.create(tokens));
                Map<String, String> metadata = new LinkedHashMap<>();
                metadata.put("producer", "tokenreduce generate");
                metadata.put("model", model.toString());
                metadata.put("policy", policy == null ? "none" : p.name());
                metadata.put("input_ids", join(ids));
                if (prompt != null) {
                    metadata.put("prompt", prompt);
                }
                metadata.put("image", String.valueOf(image != null ? imageInput.image : imageInput.pixels));
                SafetensorsWriter.write(output, tensors, metadata);
                out.println("wrote " + output + ": last_logits " + g.lastLogits().getShape() + ", tokens ("
                        + tokens.length + ")");
            }
        }
        return 0;
    }

    private static NDArray loadPixels(Path pixels, NDManager scope) {
        try (SafetensorsFile in = SafetensorsFile.open(pixels)) {
            if (!in.contains(FeaturesCommand.PIXELS)) {
                throw new InvalidInputException("generate: input tensor '" + FeaturesCommand.PIXELS + "' not found in "
                        + pixels + " (it has: " + String.join(", ", in.names()) + ")");
            }
            return in.load(FeaturesCommand.PIXELS, scope);
        }
    }

    private static String join(long[] ids) {
        return Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
    }
}
