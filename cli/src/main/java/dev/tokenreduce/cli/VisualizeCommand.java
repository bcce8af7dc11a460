package dev.tokenreduce.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.Interpolation;
import dev.tokenreduce.datasets.image.Resize;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.eval.bench.BuiltinPolicies;
import dev.tokenreduce.eval.defaults.EmbeddedDefault;
import dev.tokenreduce.eval.report.TokenMapImages;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce visualize}: what a policy does to one image's tokens, as PNG pictures over the image. The
 * encoder runs once under the policy with every step observed ({@link StepCapture}); each step that changed the
 * number of tokens gets a picture of what the policy had done up to it ({@link CellTracker}, drawing with the bench
 * report's token-map images): kept tokens when tokens were selected (random, keep-style pruners; dropped patches
 * dimmed), a cluster map when tokens were merged (Expedit's hard labels, pooling cells, ToMe's merged groups), both
 * when a policy did both.
 */
@Command(name = "visualize", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Draw what a policy does to one image's tokens, as PNG: kept tokens (dropped patches dimmed) "
                + "for selections such as random, a cluster map (each token's cluster as a colour, borders between"
                + " clusters) for merges such as expedit-cluster, pool and tome.",
            "The encoder runs once; every step that reduced tokens gets one picture of what the policy had done up"
                + " to it. One such step: written to OUT. Several: OUT's name plus .step<N>-<op>.png per step"
                + " (e.g. out.step1-expedit-cluster.png). Steps that reduce nothing (expedit-reconstruct) are listed,"
                + " not drawn; a policy that reduces nothing is an error.",
            "--image: any image OpenCV decodes, resized to the model's input size and normalised with its mean/std"
                + " (as bench does). --pixels: pixel_values (B,C,H,W) already normalised; drawn over the pixels with"
                + " the model's normalisation undone (grey when they are not RGB)."})
final class VisualizeCommand implements Callable<Integer> {

    /** Largest picture side accepted (a guard against typos that would allocate gigabytes). */
    static final int MAX_SIZE = 8192;
    /** Smallest picture side accepted. */
    static final int MIN_SIZE = 16;

    @Option(names = "--policy", required = true, paramLabel = "FILE|NAME", description = "Policy file (YAML/JSON), or"
            + " the name of a built-in policy (e.g. expedit-a2-8x8, random-a2-keep64, tome-r32).")
    String policy;

    @Option(names = "--model", paramLabel = "DIR", description = "ViT model folder (config.json + safetensors"
            + " weights; timm or HuggingFace layout). Default: the embedded default model.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Exactly one input. */
    static final class Source {
        @Option(names = "--image", required = true, paramLabel = "IMG", description = "Image file (PNG, JPEG, ...).")
        Path image;

        @Option(names = "--pixels", required = true, paramLabel = "FILE.safetensors", description = "File holding "
                + "pixel_values (B,C,H,W), already normalised.")
        Path pixels;
    }

    @Option(names = "--output", required = true, paramLabel = "OUT.png", description = "Where to write the picture"
            + " (several reducing steps: one file per step next to it).")
    Path output;

    @Option(names = "--size", paramLabel = "N", description = "Longer side of the pictures in pixels, aspect kept"
            + " (" + MIN_SIZE + ".." + MAX_SIZE + "; default: the size the model saw).")
    Integer size;

    @Option(names = "--index", paramLabel = "I", defaultValue = "0", description = "With --pixels: which image of the"
            + " batch (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for operators with randomness (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        Policy p = loadPolicy();
        if (p.isEmpty()) {
            throw new InvalidInputException("--policy: '" + p.name() + "' has no steps; nothing to visualize");
        }
        Device dev = device.device();
        Path modelDir = model != null ? model : EmbeddedDefault.modelDir();
        PrintWriter out = spec.commandLine().getOut();
        try (VisionEncoder encoder = VisionEncoder.load(modelDir, dev);
                NDManager scope = NDManager.newBaseManager(dev)) {
            VisualInput input = source.image != null ? VisualInput.fromImage(source.image, encoder.config(), scope)
                    : VisualInput.fromPixels(source.pixels, index, encoder.config(), scope);
            StepCapture capture = StepCapture.of(p);
            EncoderOutput result = encoder.encode(input.pixels(), capture.policy(), scope,
                    EncodeOptions.builder().optSeed(seed).optReconstruct(false).build());
            GridSize grid = result.inputGrid();
            out.println("model: " + (model == null ? "embedded default (" + encoder.config() + ")"
                    : encoder.config().toString()));
            out.println("policy: " + p.name() + (p.source() != null ? " (" + p.source() + ")" : " (built-in)"));
            out.println("input: " + input.description() + ", " + grid + " patches");
            RgbImage view = scaled(input.view());
            List<StepCapture.Step> drawn = new ArrayList<>();
            List<BufferedImage> pictures = new ArrayList<>();
            CellTracker cells = new CellTracker(grid);
            for (StepCapture.Step s : capture.steps()) {
                boolean followed = cells.follow(s.before(), s.state(), scope);
                BufferedImage picture = s.reduced() && followed ? cells.draw(view) : null;
                out.println("  " + describe(s, picture, cells));
                if (picture != null) {
                    drawn.add(s);
                    pictures.add(picture);
                }
            }
            if (drawn.isEmpty()) {
                boolean reduced = capture.steps().stream().anyMatch(StepCapture.Step::reduced);
                throw new InvalidInputException("policy '" + p.name() + "' " + (reduced ? "reduced tokens in a way"
                        + " that cannot be drawn onto the patch grid" : "reduced no tokens on this input (every step"
                        + " kept all " + grid.cells() + " patch tokens)") + "; nothing to visualize");
            }
            for (int i = 0; i < drawn.size(); i++) {
                Path file = drawn.size() == 1 ? output : stepFile(drawn.get(i));
                TokenMapImages.writePng(pictures.get(i), file);
                out.println("wrote " + file + " (" + view.width() + "x" + view.height() + ", step "
                        + drawn.get(i).step().index() + " " + drawn.get(i).step().op() + ")");
            }
        }
        return 0;
    }

    private void validate() {
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".png") || name.length() <= 4) {
            throw new InvalidInputException("--output: expected a .png file name, got '" + output + "'");
        }
        if (Files.isDirectory(output)) {
            throw new InvalidInputException("--output: " + output + " is a folder");
        }
        if (size != null && (size < MIN_SIZE || size > MAX_SIZE)) {
            throw new InvalidInputException("--size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", got "
                    + size);
        }
        if (index < 0) {
            throw new InvalidInputException("--index must be 0 or more, got " + index);
        }
        if (source.image != null && index != 0) {
            throw new InvalidInputException("--index only applies with --pixels");
        }
        if (model != null && !Files.isDirectory(model)) {
            throw new InvalidInputException("--model: " + model + " does not exist or is not a folder");
        }
    }

    /** A policy file, or a built-in policy by name when no such file exists. */
    private Policy loadPolicy() {
        Path file = Path.of(policy);
        if (Files.isRegularFile(file)) {
            return Policy.load(file);
        }
        List<Policy> builtin = BuiltinPolicies.load();
        for (Policy b : builtin) {
            if (b.name().equals(policy)) {
                return b;
            }
        }
        throw new InvalidInputException("--policy: '" + policy + "' is neither a file nor a built-in policy (built-in: "
                + String.join(", ", builtin.stream().map(Policy::name).toList()) + ")");
    }

    /** The view at the requested size: the longer side becomes {@code --size}, aspect kept. */
    private RgbImage scaled(RgbImage view) {
        if (size == null) {
            return view;
        }
        int longer = Math.max(view.width(), view.height());
        int w = Math.max(1, (int) Math.round((double) view.width() * size / longer));
        int h = Math.max(1, (int) Math.round((double) view.height() * size / longer));
        if (w == view.width() && h == view.height()) {
            return view;
        }
        // area averaging when shrinking, bilinear when enlarging (cells stay sharp: they are drawn afterwards)
        return Resize.resize(view, new ImageSize(w, h), size < longer ? Interpolation.AREA : Interpolation.BILINEAR);
    }

    /** OUT's name with {@code .step<N>-<op>} before the extension, next to OUT. */
    private Path stepFile(StepCapture.Step s) {
        String name = output.getFileName().toString();
        String stem = name.substring(0, name.length() - 4);
        String op = s.step().op().replaceAll("[^A-Za-z0-9._-]", "_");
        return output.resolveSibling(stem + ".step" + s.step().index() + "-" + op + ".png");
    }

    private static String describe(StepCapture.Step s, BufferedImage picture, CellTracker cells) {
        String what = "step " + s.step().index() + " " + s.step().op() + " at " + s.step().at() + ": "
                + s.tokensIn() + " -> " + s.tokensOut() + " tokens"
                + (s.records().size() > 1 ? " over " + s.records().size() + " calls" : "");
        if (!s.reduced()) {
            return what + ", nothing reduced (not drawn)";
        }
        if (picture == null) {
            return what + ", cannot be followed onto the patch grid (no kept indices or restoration; not drawn)";
        }
        return what + ", " + (!cells.merged() ? "kept tokens" : cells.dropped() ? "cluster map, dropped patches dimmed"
                : "cluster map");
    }
}
