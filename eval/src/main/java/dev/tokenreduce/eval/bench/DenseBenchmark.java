package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.image.Crops;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.Preprocessor;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.datasets.image.SizeRule;
import dev.tokenreduce.datasets.image.Window;
import dev.tokenreduce.datasets.readers.Dataset;
import dev.tokenreduce.datasets.readers.DepthDataset;
import dev.tokenreduce.datasets.readers.DepthSample;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.datasets.readers.SegmentationSample;
import dev.tokenreduce.datasets.readers.Task;
import dev.tokenreduce.eval.harness.AbHarness;
import dev.tokenreduce.eval.harness.AbResult;
import dev.tokenreduce.eval.harness.ProgressReporter;
import dev.tokenreduce.eval.harness.VariantResult;
import dev.tokenreduce.eval.metrics.ConfusionMatrix;
import dev.tokenreduce.eval.metrics.DepthScores;
import dev.tokenreduce.eval.metrics.FidelityScores;
import dev.tokenreduce.eval.report.BenchmarkResult;
import dev.tokenreduce.eval.report.ReportFiles;
import dev.tokenreduce.eval.report.ReportWriter;
import dev.tokenreduce.eval.report.RunInfo;
import dev.tokenreduce.vit.head.BilinearUpsample;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmarks token-reduction policies on a segmentation model: for every image (resized to the model's training
 * size or {@link Builder#optImageSize}, normalised with the model's statistics) the baseline and every policy run,
 * each forward in its own NDManager scope; logits are upsampled bilinearly to the label resolution before argmax and
 * counted into a confusion matrix per variant (ignore index and reduce-zero-label as the dataset says). Fidelity to
 * the baseline: pixel agreement of the predictions and cosine / relative error of the final patch tokens on the full
 * grid (restored through each policy's restoration). Token schedules and GFLOPs come from each run's reduction
 * records (encoder, reducers and the head). Latency is measured afterwards by the A/B harness on one fixed batch,
 * variants alternating. Finally the report folder is written.
 *
 * <p>Depth mode ({@link Builder#setDataset(DepthDataset)} with a predictor whose {@link DensePredictor#task()} is
 * depth): the one-channel map in metres is upsampled bilinearly to the ground truth's resolution and scored with
 * {@link dev.tokenreduce.eval.metrics.DepthMetrics} (valid pixels: ground truth &gt; 0 inside the dataset's depth
 * range, or {@link Builder#optDepthRange}; predictions clamped to it; the Eigen crop where the dataset uses it).
 * The headline metric is {@value #ABS_REL} (lower is better) with RMSE, δ1 and their change against the baseline;
 * fidelity is the mean relative depth difference to the baseline ({@code depth_rel_diff}) and the token fidelity.
 *
 * <p>Sliding-window mode ({@link Builder#optSlide}) evaluates as mmsegmentation's {@code slide} test mode does (e.g.
 * Segmenter on ADE20K): each image is resized by {@link Builder#optSlideResize} (default: short side to the crop's
 * short side, aspect kept, long side at most four times that, mmseg's {@code Resize(scale=(2048, 512),
 * keep_ratio=True)} for a 512 crop), then predicted window by window with a {@link SlidingWindowPredictor} (every
 * window under the policy, its own reduction state); stitched logits are resized to the label resolution. GFLOPs per
 * image are the sum over its windows (the report's FLOPs breakdown and schedule are one window's), the timed forward
 * is one image's whole sliding-window inference (batch size must be 1), fidelity compares the final tokens of every
 * window, and token-map pictures show the first window.
 *
 * <pre>{@code
 * DenseBenchmark.Outcome out = DenseBenchmark.builder()
 *         .setPredictor(model).setDataset(Datasets.openSegmentation("synthetic:data", "validation"))
 *         .addPolicies(BuiltinPolicies.load()).setOutput(Path.of("report"))
 *         .build().run();
 * }</pre>
 */
public final class DenseBenchmark {

    /** Name of the unreduced variant in results. */
    public static final String BASELINE = "baseline";
    /** Headline metric key (mean IoU in percent). */
    public static final String MIOU = "mIoU";
    /** Headline metric key of a depth benchmark (mean absolute relative error). */
    public static final String ABS_REL = DepthEvaluation.ABS_REL;

    private final DensePredictor predictor;
    private final Dataset dataset;
    /** Exactly one of these two is set, by the dataset's task. */
    private final SegmentationDataset segmentation;
    private final DepthDataset depth;
    private final DepthEvaluation depthEval;
    private final List<Policy> policies;
    private final List<String> names;
    private final int imageSize;
    private final int limit;
    private final int batchSize;
    private final int warmup;
    private final int repeats;
    private final boolean allowShortRuns;
    private final long seed;
    private final int sampleImages;
    private final Path output;
    private final ProgressReporter progress;
    private final Map<String, Object> config;
    private final String title;
    /** Null unless sliding-window mode is on. */
    private final SlidingWindowPredictor slide;
    private final SizeRule slideResize;

    private DenseBenchmark(Builder b) {
        this.predictor = b.predictor;
        this.dataset = b.dataset;
        this.segmentation = b.dataset instanceof SegmentationDataset seg ? seg : null;
        this.depth = b.dataset instanceof DepthDataset d ? d : null;
        if (predictor.task() != dataset.task()) {
            throw new InvalidInputException("the model predicts " + taskName(predictor.task()) + " but dataset "
                    + dataset.type() + " (" + dataset.split() + ") is a " + taskName(dataset.task()) + " dataset");
        }
        this.depthEval = depth == null ? null : new DepthEvaluation(depth, b.minDepth, b.maxDepth);
        this.policies = List.copyOf(b.policies);
        this.names = uniqueNames(b.policies);
        this.imageSize = b.imageSize > 0 ? b.imageSize : b.predictor.imageSize();
        this.limit = b.limit;
        this.batchSize = b.batchSize;
        this.warmup = b.warmup;
        this.repeats = b.repeats;
        this.allowShortRuns = b.allowShortRuns;
        this.seed = b.seed;
        this.sampleImages = b.sampleImages;
        this.output = b.output;
        this.progress = b.progress;
        this.config = new LinkedHashMap<>(b.config);
        this.title = b.title;
        if (b.slideCrop != null) {
            if (depth != null) {
                throw new InvalidInputException("dense benchmark: sliding-window inference is implemented for"
                        + " segmentation only, not for depth");
            }
            if (b.imageSize > 0) {
                throw new InvalidInputException("dense benchmark: optImageSize and optSlide exclude each other (set the"
                        + " sliding-window resize with optSlideResize)");
            }
            if (batchSize != 1) {
                throw new InvalidInputException("dense benchmark: sliding-window mode times one image per forward"
                        + " (its windows are the batch); batch size must be 1, got " + batchSize);
            }
            this.slide = SlidingWindowPredictor.builder().setPredictor(predictor).setCrop(b.slideCrop)
                    .setStride(b.slideStrideX, b.slideStrideY).optWindowBatch(b.windowBatch).build();
            this.slideResize = b.slideResizeSet ? b.slideResize
                    : SizeRule.keepRatio(4 * b.slideCrop.shortSide(), b.slideCrop.shortSide());
        } else {
            this.slide = null;
            this.slideResize = null;
        }
        if (slide == null && imageSize % predictor.patchSize() != 0) {
            throw new InvalidInputException("image size " + imageSize + " is not a multiple of the model's patch size "
                    + predictor.patchSize());
        }
        if (dataset.size() == 0) {
            throw new InvalidInputException("dataset " + dataset.type() + ":" + dataset.root() + " (" + dataset.split()
                    + ") has no samples");
        }
        int modelClasses = predictor.numClasses();
        if (segmentation != null && modelClasses != segmentation.numClasses()) {
            throw new InvalidInputException("the model predicts " + modelClasses + " classes but dataset "
                    + dataset.type() + " has " + segmentation.numClasses());
        }
    }

    private static String taskName(Task task) {
        return task == Task.DEPTH ? "depth" : "segmentation";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Policy names made unique ("x", "x-2", ...) in order. */
    private static List<String> uniqueNames(List<Policy> policies) {
        Set<String> used = new LinkedHashSet<>();
        used.add(BASELINE);
        List<String> out = new ArrayList<>();
        for (Policy p : policies) {
            String base = p.name() == null || p.name().isBlank() ? "policy" : p.name();
            String n = base;
            for (int i = 2; !used.add(n); i++) {
                n = base + "-" + i;
            }
            out.add(n);
        }
        return out;
    }

    /** Images evaluated: the limit, or the whole dataset. */
    public int imageCount() {
        return limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
    }

    /** Runs the evaluation, the timing and writes the report. */
    public Outcome run() {
        Preprocessor pre = preprocessor();
        int n = imageCount();
        List<PolicyTally> tallies = new ArrayList<>();
        tallies.add(newTally(BASELINE));
        for (String name : names) {
            tallies.add(newTally(name));
        }
        Map<String, BufferedImage> images = new LinkedHashMap<>();
        progress.start("evaluate", n * (1 + policies.size()));
        try (NDManager base = NDManager.newBaseManager()) {
            for (int i = 0; i < n; i++) {
                evaluate(i, pre, base, tallies, images);
            }
        } finally {
            progress.finish();
        }
        AbResult timing = time(pre);
        List<BenchmarkResult> results = new ArrayList<>();
        DepthScores baseDepth = depth == null ? null : tallies.get(0).depth.result();
        for (PolicyTally t : tallies) {
            results.add(result(t, timing.variant(t.name), t.name.equals(BASELINE) ? null
                    : policies.get(names.indexOf(t.name)), baseDepth));
        }
        Map<String, Object> runConfig = new LinkedHashMap<>(config);
        runConfig.put("modelInfo", predictor.describe());
        if (segmentation != null) {
            runConfig.put("datasetInfo", Map.of("type", dataset.type(), "root", String.valueOf(dataset.root()),
                    "split", dataset.split(), "classes", segmentation.numClasses(), "reduceZeroLabel",
                    segmentation.reduceZeroLabel()));
        } else {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("type", dataset.type());
            info.put("root", String.valueOf(dataset.root()));
            info.put("split", dataset.split());
            info.put("task", "depth");
            info.putAll(depthEval.describe());
            runConfig.put("datasetInfo", info);
        }
        runConfig.put("images", n);
        if (slide == null) {
            runConfig.put("imageSize", imageSize);
        } else {
            runConfig.put("slidingWindow", slideConfig());
        }
        runConfig.put("batchSize", batchSize);
        runConfig.put("warmup", timing.warmup());
        runConfig.put("repeats", timing.repeats());
        List<Object> policyData = new ArrayList<>();
        for (int p = 0; p < policies.size(); p++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", names.get(p));
            d.put("source", policies.get(p).source() == null ? null : policies.get(p).source().toString());
            d.put("policy", policies.get(p).describe());
            policyData.add(d);
        }
        runConfig.put("policies", policyData);
        runConfig.put("memory", Map.of("rssBeforeMiB", timing.memoryBefore().rssMiB(), "rssAfterMiB",
                timing.memoryAfter().rssMiB(), "peakRssMiB", timing.memoryAfter().peakRssMiB()));
        runConfig.put("threads", timing.threads().toString());
        ReportWriter.Builder rw = ReportWriter.builder().setDirectory(output)
                .setRunInfo(RunInfo.capture(runConfig, seed)).addResults(results).optBaseline(BASELINE)
                .optPrimaryMetric(depth == null ? MIOU : ABS_REL).optTitle(title);
        images.forEach(rw::addImage);
        ReportFiles files = rw.build().write();
        return new Outcome(results, timing, files);
    }

    private Preprocessor preprocessor() {
        Preprocessor.Builder b = Preprocessor.builder().setNormalization(predictor.normalization());
        if (slide == null) {
            b.optResize(SizeRule.fixed(imageSize, imageSize));
        } else if (slideResize != null) {
            b.optResize(slideResize);
        }
        return b.build();
    }

    private Map<String, Object> slideConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("crop", slide.crop().toString());
        m.put("stride", slide.strideX() + "x" + slide.strideY());
        m.put("resize", slideResize == null ? "none" : slideResize.toString());
        m.put("windowBatch", slide.windowBatch() == 0 ? "all" : slide.windowBatch());
        m.put("timing", "one image's whole sliding-window inference per timed forward");
        m.put("gflops", "per image: sum over its windows");
        return m;
    }

    /** One prediction: a whole-image pass, or sliding-window inference of one image. */
    private DensePrediction predict(NDArray pixels, Policy policy, NDManager scope) {
        return slide == null ? predictor.predict(pixels, policy, scope, seed)
                : slide.predict(pixels, policy, scope, seed);
    }

    /** The image a token map is drawn over: the prepared image, or its first window (padded) in slide mode. */
    private RgbImage mapImage(RgbImage prepared) {
        if (slide == null) {
            return prepared;
        }
        Window first = slide.windows(prepared.size()).get(0);
        RgbImage w = first.crop(prepared);
        return w.size().equals(slide.crop()) ? w : Crops.pad(w, slide.crop(), 0, 0, 0);
    }

    private PolicyTally newTally(String name) {
        return depth != null ? PolicyTally.forDepth(name, depthEval.newMetrics()) : new PolicyTally(name, newMatrix());
    }

    private ConfusionMatrix newMatrix() {
        return ConfusionMatrix.builder().setNumClasses(segmentation.numClasses())
                .optIgnoreIndex(segmentation.ignoreIndex()).optReduceZeroLabel(segmentation.reduceZeroLabel())
                .build();
    }

    /** The input image of sample {@code index}, whatever the task. */
    private RgbImage image(int index) {
        return depth != null ? depth.sample(index).image() : segmentation.sample(index).image();
    }

    private void evaluate(int index, Preprocessor pre, NDManager base, List<PolicyTally> tallies,
            Map<String, BufferedImage> images) {
        if (depth != null) {
            DepthSample sample = depth.sample(index);
            float[] truth = sample.depth().data();
            int h = sample.depth().height();
            int w = sample.depth().width();
            evaluateSample(index, sample.name(), sample.image(), new Scoring<float[]>() {
                @Override
                public float[] read(DensePrediction pred, NDManager scope) {
                    return DepthEvaluation.atResolution(pred.logits(), h, w, scope);
                }

                @Override
                public void score(PolicyTally t, float[] prediction, float[] reference) {
                    t.depth.add(prediction, truth, w, h);
                    t.addDepthDifference(prediction, reference);
                }
            }, pre, base, tallies, images);
            return;
        }
        SegmentationSample sample = segmentation.sample(index);
        int[] label = sample.label().data();
        int h = sample.label().height();
        int w = sample.label().width();
        evaluateSample(index, sample.name(), sample.image(), new Scoring<int[]>() {
            @Override
            public int[] read(DensePrediction pred, NDManager scope) {
                return classes(pred.logits(), h, w, scope);
            }

            @Override
            public void score(PolicyTally t, int[] prediction, int[] reference) {
                t.confusion.add(prediction, label);
                t.fidelity.addPredictions(prediction, reference);
            }
        }, pre, base, tallies, images);
    }

    /** What a task does with a prediction: bring it to the ground truth's resolution, and score it. */
    private interface Scoring<T> {
        /** The prediction at the ground truth's resolution (class ids, depths). */
        T read(DensePrediction pred, NDManager scope);

        /** Adds a prediction to a policy's tally, against the ground truth and the baseline's prediction. */
        void score(PolicyTally t, T prediction, T reference);
    }

    /** The baseline, then every policy, on one image; token fidelity against the baseline's grid tokens. */
    private <T> void evaluateSample(int index, String name, RgbImage image, Scoring<T> scoring, Preprocessor pre,
            NDManager base, List<PolicyTally> tallies, Map<String, BufferedImage> images) {
        RgbImage prepared = pre.prepare(image);
        try (NDManager imageScope = base.newSubManager()) {
            NDArray pixels = pre.normalization().toNDArray(imageScope, List.of(prepared));
            T reference;
            NDArray referenceTokens;
            try (NDManager scope = imageScope.newSubManager()) {
                DensePrediction ref = predict(pixels, Policy.none(), scope);
                reference = scoring.read(ref, scope);
                referenceTokens = ref.gridTokens();
                referenceTokens.attach(imageScope);
                PolicyTally t = tallies.get(0);
                scoring.score(t, reference, reference);
                t.fidelity.addTokens(referenceTokens, referenceTokens);
                t.addRun(predictor, ref);
            }
            progress.step(name + " " + BASELINE);
            for (int p = 0; p < policies.size(); p++) {
                PolicyTally t = tallies.get(p + 1);
                try (NDManager scope = imageScope.newSubManager()) {
                    DensePrediction pred = predict(pixels, policies.get(p), scope);
                    scoring.score(t, scoring.read(pred, scope), reference);
                    t.fidelity.addTokens(pred.gridTokens(), referenceTokens);
                    t.addRun(predictor, pred);
                    addTokenMap(index, t, pred, prepared, images, scope);
                }
                progress.step(name + " " + t.name);
            }
        }
    }

    /** The cluster map / kept tokens of the first {@code sampleImages} images. */
    private void addTokenMap(int index, PolicyTally t, DensePrediction pred, RgbImage prepared,
            Map<String, BufferedImage> images, NDManager scope) {
        if (index < sampleImages) {
            BufferedImage img = TokenMaps.of(pred.state(), pred.grid(), mapImage(prepared), scope);
            if (img != null) {
                images.put(String.format(Locale.ROOT, "sample%d_%s.png", index, fileSafe(t.name)), img);
            }
        }
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Argmax classes at label resolution (h, w) of (1, K, gh, gw) logits, bilinearly upsampled first. */
    private static int[] classes(NDArray logits, int h, int w, NDManager scope) {
        NDArray up = BilinearUpsample.apply(logits, h, w, scope);
        return up.argMax(1).toType(DataType.INT32, false).toIntArray();
    }

    private AbResult time(Preprocessor pre) {
        List<RgbImage> batch = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            batch.add(image(i % imageCount()));
        }
        try (NDManager timing = NDManager.newBaseManager()) {
            NDArray pixels = pre.toNDArray(timing, batch);
            AbHarness.Builder h = AbHarness.builder().optWarmup(warmup).optRepeats(repeats).optBatchSize(batchSize)
                    .optAllowShortRuns(allowShortRuns).optProgress(progress).optBaseline(BASELINE);
            h.addVariant(BASELINE, phases -> forward(pixels, Policy.none(), timing));
            for (int p = 0; p < policies.size(); p++) {
                Policy policy = policies.get(p);
                h.addVariant(names.get(p), phases -> forward(pixels, policy, timing));
            }
            return h.build().run();
        }
    }

    private void forward(NDArray pixels, Policy policy, NDManager parent) {
        try (NDManager scope = parent.newSubManager()) {
            DensePrediction p = predict(pixels, policy, scope);
            // read one value so asynchronous devices finish the pass inside the timed region
            p.logits().get("0, 0, 0, 0").getFloat();
        }
    }

    private BenchmarkResult result(PolicyTally t, VariantResult timing, Policy policy, DepthScores baseDepth) {
        BenchmarkResult.Builder b = BenchmarkResult.builder().setName(t.name);
        if (t.flops() != null) {
            b.optFlops(t.flops());
            b.optGflops(t.meanGflops());
            if (t.flopsVary()) {
                b.addDetail("gflopsRange", List.of(t.minGflops(), t.maxGflops()));
            }
            b.addDetail("schedulePerLayer", t.flops().schedule().table());
            if (slide != null) {
                // the breakdown and schedule above are one window's; the GFLOPs figure sums the windows
                b.addDetail("gflopsPerWindow", t.flops().gflops());
                int[] windows = t.windowRange();
                b.addDetail("windowsPerImage", windows[0] == windows[1] ? (Object) windows[0] : List.of(windows[0],
                        windows[1]));
            }
        }
        b.optLatency(timing.latency());
        b.addDetail("throughputImagesPerSecond", timing.throughput());
        b.addDetail("speedup", timing.speedup());
        FidelityScores f = t.fidelity.result();
        if (t.depth != null) {
            DepthEvaluation.addMetrics(b, t, baseDepth);
        } else {
            b.addMetric(MIOU, 100 * t.confusion.meanIoU());
            b.addMetric("aAcc", 100 * t.confusion.pixelAccuracy());
            b.addMetric("mAcc", 100 * t.confusion.meanClassAccuracy());
            b.addFidelity("pixel_agreement", 100 * f.agreement());
        }
        b.addFidelity("token_cosine", f.meanCosine());
        b.addFidelity("token_cosine_min", f.minCosine());
        b.addFidelity("token_rel_err", f.pooledRelativeError());
        b.addRecords(t.records());
        if (t.depth == null) {
            b.addDetail("evaluatedPixels", t.confusion.evaluatedPixels());
        }
        if (policy != null) {
            b.addDetail("policy", policy.describe());
        }
        return b.build();
    }

    /**
     * What a run produced.
     *
     * @param results baseline first, then the policies in order
     * @param timing the A/B harness's raw result
     * @param files the report files
     */
    public record Outcome(List<BenchmarkResult> results, AbResult timing, ReportFiles files) {}

    /** DJL-style builder: predictor, dataset, output and at least one policy required. */
    public static final class Builder {
        private DensePredictor predictor;
        private Dataset dataset;
        private double minDepth = Double.NaN;
        private double maxDepth = Double.NaN;
        private final List<Policy> policies = new ArrayList<>();
        private int imageSize;
        private int limit;
        private int batchSize = 1;
        private int warmup = AbHarness.MIN_WARMUP;
        private int repeats = AbHarness.MIN_REPEATS;
        private boolean allowShortRuns;
        private long seed;
        private int sampleImages = 2;
        private Path output;
        private ProgressReporter progress = ProgressReporter.quiet();
        private final Map<String, Object> config = new LinkedHashMap<>();
        private String title = "tokenreduce dense benchmark";
        private ImageSize slideCrop;
        private int slideStrideX;
        private int slideStrideY;
        private SizeRule slideResize;
        private boolean slideResizeSet;
        private int windowBatch;

        private Builder() {}

        public Builder setPredictor(DensePredictor predictor) {
            this.predictor = predictor;
            return this;
        }

        public Builder setDataset(SegmentationDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** A depth dataset: the predictor must be a depth model ({@link DensePredictor#task()}). */
        public Builder setDataset(DepthDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * Depth benchmarks: evaluate ground truth inside (min, max) metres and clamp predictions to it (default, or
         * NaN for either: the dataset's {@link DepthDataset#minDepth()} / {@link DepthDataset#maxDepth()}).
         */
        public Builder optDepthRange(double min, double max) {
            this.minDepth = min;
            this.maxDepth = max;
            return this;
        }

        public Builder addPolicy(Policy policy) {
            policies.add(policy);
            return this;
        }

        public Builder addPolicies(List<Policy> more) {
            policies.addAll(more);
            return this;
        }

        /** The report folder (required). */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** Square input side in pixels (default: the model's training size). */
        public Builder optImageSize(int size) {
            this.imageSize = size;
            return this;
        }

        /** Evaluate at most this many images (default 0 = all). */
        public Builder optLimit(int limit) {
            this.limit = limit;
            return this;
        }

        /** Images per timed forward pass (default 1). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optWarmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder optRepeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        /** Allow fewer warm-up/timed runs than the spec's minimum (smoke tests). */
        public Builder optAllowShortRuns(boolean allow) {
            this.allowShortRuns = allow;
            return this;
        }

        /** Seed handed to every operator (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Images drawn (cluster maps / kept tokens) for the first this-many samples (default 2). */
        public Builder optSampleImages(int count) {
            this.sampleImages = count;
            return this;
        }

        public Builder optProgress(ProgressReporter progress) {
            this.progress = progress;
            return this;
        }

        /** Options recorded in results.json so the run can be repeated (the command line's options). */
        public Builder optConfig(Map<String, Object> config) {
            this.config.putAll(config);
            return this;
        }

        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /**
         * Sliding-window inference (mmseg's {@code slide} test mode): windows of {@code crop} placed every
         * {@code strideX} × {@code strideY} pixels over the resized image, overlaps averaged. Excludes
         * {@link #optImageSize}; the batch size must stay 1.
         */
        public Builder optSlide(ImageSize crop, int strideX, int strideY) {
            this.slideCrop = crop;
            this.slideStrideX = strideX;
            this.slideStrideY = strideY;
            return this;
        }

        /** {@link #optSlide(ImageSize, int, int)} with a square crop and one stride. */
        public Builder optSlide(int crop, int stride) {
            return optSlide(new ImageSize(crop, crop), stride, stride);
        }

        /**
         * The resize before sliding-window inference (default: {@code SizeRule.keepRatio(4·s, s)} with {@code s} the
         * crop's short side); {@code null} keeps the images at their own size.
         */
        public Builder optSlideResize(SizeRule rule) {
            this.slideResize = rule;
            this.slideResizeSet = true;
            return this;
        }

        /** Windows per forward pass in sliding-window mode (default 0 = all windows of an image at once). */
        public Builder optSlideWindowBatch(int windows) {
            this.windowBatch = windows;
            return this;
        }

        public DenseBenchmark build() {
            if (predictor == null) {
                throw new InvalidInputException("dense benchmark: setPredictor is required");
            }
            if (dataset == null) {
                throw new InvalidInputException("dense benchmark: setDataset is required");
            }
            if (output == null) {
                throw new InvalidInputException("dense benchmark: setOutput is required");
            }
            if (policies.isEmpty()) {
                throw new InvalidInputException("dense benchmark: at least one policy is required");
            }
            if (batchSize < 1) {
                throw new InvalidInputException("dense benchmark: batch size must be >= 1, got " + batchSize);
            }
            if (limit < 0) {
                throw new InvalidInputException("dense benchmark: limit must be >= 0, got " + limit);
            }
            if (imageSize < 0) {
                throw new InvalidInputException("dense benchmark: image size must be positive, got " + imageSize);
            }
            if (progress == null) {
                throw new InvalidInputException("dense benchmark: progress reporter must not be null");
            }
            return new DenseBenchmark(this);
        }
    }
}
