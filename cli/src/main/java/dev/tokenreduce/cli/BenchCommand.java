package dev.tokenreduce.cli;

import ai.djl.Device;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.datasets.image.SizeRule;
import dev.tokenreduce.datasets.readers.Dataset;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.DepthDataset;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.eval.bench.BuiltinPolicies;
import dev.tokenreduce.eval.bench.DenseBenchmark;
import dev.tokenreduce.eval.bench.EncoderHeadPredictor;
import dev.tokenreduce.eval.defaults.EmbeddedDefault;
import dev.tokenreduce.eval.harness.AbHarness;
import dev.tokenreduce.eval.harness.ProgressReporter;
import dev.tokenreduce.vit.head.SegmentationHeads;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce bench}: every policy against the baseline on a segmentation model and dataset — mIoU, fidelity,
 * token schedule, GFLOPs, A/B latency and speed-up — printed as a table and written as a report folder. Without
 * options it runs the embedded default model on its bundled evaluation split with the built-in policies. A depth
 * model (config.json {@code "head": {"task": "depth"}}) is benchmarked on a depth dataset (nyu, synthetic,
 * generated) with AbsRel, RMSE and δ1 instead of mIoU; a model and dataset of different tasks are an error.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Benchmark policies against the baseline: accuracy, GFLOPs, latency, "
        + "speed-up, and a report folder (report.md, results.csv, results.json, charts, token maps).",
    "Without options: the embedded default model, its bundled synthetic split and the built-in policies."})
final class BenchCommand implements Callable<Integer> {

    /** Default number of images evaluated: 0 = the whole split (the bundled one takes seconds). */
    static final int DEFAULT_LIMIT = 0;

    @Option(names = "--model", paramLabel = "DIR", description = "Segmentation or depth model folder (encoder config "
            + "and weights with head.weight/head.bias; a depth model declares \"head\": {\"task\": \"depth\"} in "
            + "config.json). Default: the embedded default model.")
    Path model;

    @Option(names = "--dataset", paramLabel = "TYPE:PATH", description = "Dataset, e.g. ade20k:/data/ADEChallengeData2016,"
            + " synthetic:DIR, generated:count=16; with a depth model nyu:DIR, synthetic:DIR or generated:count=16."
            + " Default: the embedded default's bundled split.")
    String dataset;

    @Option(names = "--split", defaultValue = "validation", description = "Dataset split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (YAML/JSON); repeatable. Default: "
            + "the built-in policies.")
    List<Path> policyFiles = new ArrayList<>();

    /**
     * Default batch of the embedded default model: it is so small (0.84 GFLOPs per image) that at batch 1 the
     * engine's fixed cost per native call, not arithmetic, sets the latency of the reducers' small ops.
     */
    static final int DEFAULT_MODEL_BATCH = 8;

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per timed forward pass (default: 1 with "
            + "--model; " + DEFAULT_MODEL_BATCH + " for the embedded default model, whose forward is so small that "
            + "per-call overhead dominates at batch 1).")
    Integer batchSizeOption;

    int batchSize;

    @Option(names = "--repeats", defaultValue = "" + AbHarness.MIN_REPEATS, description = "Timed runs per variant "
            + "(default: ${DEFAULT-VALUE}; fewer is allowed for smoke runs and noted).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "" + AbHarness.MIN_WARMUP, description = "Warm-up runs per variant "
            + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT, description = "Evaluate at most N "
            + "images; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--image-size", paramLabel = "PX", description = "Square input side (default: the model's "
            + "training size).")
    Integer imageSize;

    @Option(names = "--slide", paramLabel = "CROP[:STRIDE]", description = "Sliding-window inference as mmseg's "
            + "slide test mode: square windows of CROP pixels every STRIDE pixels (default STRIDE = CROP), the last "
            + "window aligned to the image edge, overlapping logits averaged; e.g. 512:341 or 640:608. GFLOPs are per "
            + "image (all windows) and each timed forward is one image's whole sliding-window inference (batch 1).")
    String slide;

    @Option(names = "--resize-short", paramLabel = "PX", description = "With --slide: resize so the short side is "
            + "PX and the long side at most 4*PX, aspect kept (mmseg Resize(scale=(4*PX, PX), keep_ratio=True)); "
            + "0 = keep the images' own size (default: the crop size).")
    Integer resizeShort;

    @Option(names = "--slide-batch", paramLabel = "N", description = "With --slide: windows per forward pass "
            + "(default: all windows of an image in one).")
    Integer slideBatch;

    int slideCrop;
    int slideStride;

    @Option(names = "--min-depth", paramLabel = "M", description = "Depth models: evaluate ground truth above M "
            + "metres and clamp predictions to it (default: the dataset's, e.g. 0.001 for NYU).")
    Double minDepth;

    @Option(names = "--max-depth", paramLabel = "M", description = "Depth models: evaluate ground truth below M "
            + "metres and clamp predictions to it (default: the dataset's, e.g. 10 for NYU).")
    Double maxDepth;

    /** Dataset types that open as depth datasets (see {@link Datasets#openDepth}). */
    static final List<String> DEPTH_TYPES = List.of("nyu", "synthetic", "generated");

    @Mixin
    DeviceOption device;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads of the engine (set before it "
            + "starts; default: the engine's choice).")
    Integer threads;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "tokenreduce-report", description = "Report "
            + "folder (default: ./${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the report already in --output (without it, a folder"
            + " that holds one is an error; the default folder moves on to tokenreduce-report-2, -3, ...).")
    boolean overwrite;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for every random choice (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        batchSize = batchSizeOption != null ? batchSizeOption : slide != null ? 1 : model == null
                ? DEFAULT_MODEL_BATCH : 1;
        validateNumbers();
        validateSlide();
        Device dev = device.device();
        if (threads != null) {
            // read by the PyTorch engine when it starts; no effect once it runs in this process
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (dataset != null && !dataset.contains(":")) {
            throw new InvalidInputException("--dataset: expected TYPE:PATH (types " + Datasets.TYPES + "), got '"
                    + dataset + "'");
        }
        if (model != null && !Files.isDirectory(model)) {
            throw new InvalidInputException("--model: " + model + " does not exist or is not a folder");
        }
        ReportFolder.Choice folder = ReportFolder.choose(output,
                spec.commandLine().getParseResult().hasMatchedOption("--output"), overwrite);
        output = folder.folder();
        List<Policy> policies = loadPolicies();
        Path modelDir = model != null ? model : EmbeddedDefault.modelDir();
        boolean depthModel = SegmentationHeads.declaresDepth(modelDir);
        if (!depthModel && (minDepth != null || maxDepth != null)) {
            throw new InvalidInputException("--min-depth/--max-depth apply to depth models only; " + modelDir
                    + " is a segmentation model");
        }
        if (depthModel && dataset == null) {
            throw new InvalidInputException("--model " + modelDir + " predicts depth: give a depth dataset with"
                    + " --dataset (nyu:DIR, synthetic:DIR or generated:count=16); the bundled split is segmentation");
        }
        String datasetSpec = dataset != null ? dataset : "synthetic:" + EmbeddedDefault.dataDir();
        Dataset data = openDataset(datasetSpec, modelDir, depthModel);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (folder.note() != null) {
            err.println("note: " + folder.note());
            err.flush();
        }
        if (repeats < AbHarness.MIN_REPEATS || warmup < AbHarness.MIN_WARMUP) {
            err.println("note: " + warmup + " warm-up and " + repeats + " timed runs are fewer than the "
                    + AbHarness.MIN_WARMUP + " and " + AbHarness.MIN_REPEATS + " a stable latency needs; treat the"
                    + " timings as a smoke test");
            err.flush();
        }
        long start = System.nanoTime();
        DenseBenchmark.Outcome outcome;
        try (EncoderHeadPredictor predictor = EncoderHeadPredictor.load(modelDir, dev)) {
            DenseBenchmark.Builder b = DenseBenchmark.builder().setPredictor(predictor);
            if (data instanceof DepthDataset depth) {
                b.setDataset(depth).optDepthRange(minDepth == null ? Double.NaN : minDepth,
                        maxDepth == null ? Double.NaN : maxDepth);
            } else {
                b.setDataset((SegmentationDataset) data);
            }
            b.addPolicies(policies).setOutput(output).optImageSize(imageSize == null ? 0 : imageSize)
                    .optLimit(limit).optBatchSize(batchSize).optWarmup(warmup).optRepeats(repeats)
                    .optAllowShortRuns(true).optSeed(seed).optProgress(ProgressReporter.forStderr())
                    .optConfig(config(modelDir, datasetSpec));
            if (slide != null) {
                if (slideCrop % predictor.patchSize() != 0) {
                    throw new InvalidInputException("--slide: crop " + slideCrop + " is not a multiple of the model's"
                            + " patch size " + predictor.patchSize());
                }
                b.optSlide(slideCrop, slideStride).optSlideWindowBatch(slideBatch == null ? 0 : slideBatch);
                if (resizeShort != null) {
                    b.optSlideResize(resizeShort == 0 ? null : SizeRule.keepRatio(4 * resizeShort, resizeShort));
                }
            }
            outcome = b.build().run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(BenchTable.render(outcome.results()));
        out.printf(java.util.Locale.ROOT, "%d images, batch %d%s, %d warm-up + %d timed runs per variant, %.1f s%n",
                Math.min(limit > 0 ? limit : data.size(), data.size()), batchSize,
                slide == null ? "" : ", sliding windows " + slideCrop + ":" + slideStride, warmup, repeats, seconds);
        out.println("report: " + outcome.files().markdown().toAbsolutePath());
        return 0;
    }

    /**
     * Opens the dataset in the model's task: a depth model needs a depth-capable type, a segmentation model a
     * segmentation type; anything else is a usage error naming both.
     */
    private Dataset openDataset(String datasetSpec, Path modelDir, boolean depthModel) {
        String type = datasetSpec.substring(0, datasetSpec.indexOf(':')).trim().toLowerCase(Locale.ROOT);
        if (depthModel) {
            if (Datasets.TYPES.contains(type) && !DEPTH_TYPES.contains(type)) {
                throw new InvalidInputException("--model " + modelDir + " predicts depth (config.json head.task) but"
                        + " --dataset " + datasetSpec + " is a segmentation dataset; depth datasets: "
                        + String.join(", ", DEPTH_TYPES));
            }
            return Datasets.openDepth(datasetSpec, split);
        }
        if (type.equals("nyu")) {
            throw new InvalidInputException("--model " + modelDir + " predicts segmentation classes but --dataset "
                    + datasetSpec + " is a depth dataset (a depth model declares \"head\": {\"task\": \"depth\"}"
                    + " in config.json)");
        }
        return Datasets.openSegmentation(datasetSpec, split);
    }

    private void validateNumbers() {
        if (batchSize < 1) {
            throw new InvalidInputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (repeats < 1) {
            throw new InvalidInputException("--repeats must be at least 1, got " + repeats);
        }
        if (warmup < 0) {
            throw new InvalidInputException("--warmup must be 0 or more, got " + warmup);
        }
        if (limit < 0) {
            throw new InvalidInputException("--limit must be 0 (all) or more, got " + limit);
        }
        if (imageSize != null && imageSize < 1) {
            throw new InvalidInputException("--image-size must be positive, got " + imageSize);
        }
        if (threads != null && threads < 1) {
            throw new InvalidInputException("--threads must be at least 1, got " + threads);
        }
    }

    /** Parses and checks --slide CROP[:STRIDE] and the options that only make sense with it. */
    private void validateSlide() {
        if (slide == null) {
            for (Object[] o : new Object[][] {{"--resize-short", resizeShort}, {"--slide-batch", slideBatch}}) {
                if (o[1] != null) {
                    throw new InvalidInputException(o[0] + " only applies with --slide CROP[:STRIDE]");
                }
            }
            return;
        }
        String[] parts = slide.split(":", -1);
        if (parts.length > 2) {
            throw new InvalidInputException("--slide: expected CROP or CROP:STRIDE (e.g. 512:341), got '" + slide + "'");
        }
        slideCrop = slideNumber(parts[0], "crop");
        slideStride = parts.length == 2 ? slideNumber(parts[1], "stride") : slideCrop;
        if (slideStride > slideCrop) {
            throw new InvalidInputException("--slide: stride " + slideStride + " exceeds the crop " + slideCrop
                    + " (pixels between windows would never be predicted)");
        }
        if (imageSize != null) {
            throw new InvalidInputException("--image-size does not apply with --slide; set the resize with "
                    + "--resize-short");
        }
        if (batchSize != 1) {
            throw new InvalidInputException("--batch-size must be 1 with --slide (each timed forward is one image's "
                    + "whole sliding-window inference; --slide-batch sets windows per forward), got " + batchSize);
        }
        if (resizeShort != null && resizeShort < 0) {
            throw new InvalidInputException("--resize-short must be 0 (keep the size) or positive, got "
                    + resizeShort);
        }
        if (slideBatch != null && slideBatch < 1) {
            throw new InvalidInputException("--slide-batch must be at least 1, got " + slideBatch);
        }
    }

    private int slideNumber(String text, String what) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--slide: " + what + " must be a whole number of pixels, got '" + text
                    + "' in '" + slide + "'");
        }
        if (v < 1) {
            throw new InvalidInputException("--slide: " + what + " must be positive, got " + v);
        }
        return v;
    }

    private List<Policy> loadPolicies() {
        if (policyFiles.isEmpty()) {
            return BuiltinPolicies.load();
        }
        PolicyLoader loader = PolicyLoader.withDefaults();
        List<Policy> out = new ArrayList<>();
        for (Path p : policyFiles) {
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException("--policy: " + p + " does not exist or is not a file");
            }
            out.add(loader.load(p));
        }
        return out;
    }

    private Map<String, Object> config(Path modelDir, String datasetSpec) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("command", "bench");
        c.put("modelDir", modelDir.toString());
        c.put("modelIsEmbeddedDefault", model == null);
        c.put("dataset", datasetSpec);
        c.put("split", split);
        c.put("policyFiles", policyFiles.isEmpty() ? "built-in " + BuiltinPolicies.names()
                : policyFiles.stream().map(Path::toString).toList());
        c.put("batchSize", batchSize);
        c.put("repeats", repeats);
        c.put("warmup", warmup);
        c.put("limit", limit);
        c.put("imageSize", imageSize);
        c.put("device", device.text());
        c.put("threads", threads);
        c.put("output", output.toString());
        c.put("seed", seed);
        if (minDepth != null || maxDepth != null) {
            // only when given, so segmentation runs' configuration stays as it was
            c.put("minDepth", minDepth);
            c.put("maxDepth", maxDepth);
        }
        if (slide != null) {
            // only with --slide, so the default run's configuration stays as it was
            c.put("slide", slideCrop + ":" + slideStride);
            c.put("resizeShort", resizeShort != null ? resizeShort : slideCrop);
            c.put("slideBatch", slideBatch);
        }
        return c;
    }
}
