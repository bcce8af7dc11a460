package dev.tokenreduce.cli;

import ai.djl.Device;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.eval.bench.BuiltinPolicies;
import dev.tokenreduce.eval.bench.DenseBenchmark;
import dev.tokenreduce.eval.bench.EncoderHeadPredictor;
import dev.tokenreduce.eval.defaults.EmbeddedDefault;
import dev.tokenreduce.eval.harness.AbHarness;
import dev.tokenreduce.eval.harness.ProgressReporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenreduce bench}: every policy against the baseline on a segmentation model and dataset — mIoU, fidelity,
 * token schedule, GFLOPs, A/B latency and speed-up — printed as a table and written as a report folder. Without
 * options it runs the embedded default model on its bundled evaluation split with the built-in policies.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Benchmark policies against the baseline: accuracy, GFLOPs, latency, "
        + "speed-up, and a report folder (report.md, results.csv, results.json, charts, token maps).",
    "Without options: the embedded default model, its bundled synthetic split and the built-in policies."})
final class BenchCommand implements Callable<Integer> {

    /** Default number of images evaluated: 0 = the whole split (the bundled one takes seconds). */
    static final int DEFAULT_LIMIT = 0;

    @Option(names = "--model", paramLabel = "DIR", description = "Segmentation model folder (encoder config and "
            + "weights with head.weight/head.bias). Default: the embedded default model.")
    Path model;

    @Option(names = "--dataset", paramLabel = "TYPE:PATH", description = "Dataset, e.g. ade20k:/data/ADEChallengeData2016,"
            + " synthetic:DIR, generated:count=16. Default: the embedded default's bundled split.")
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

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads of the engine (set before it "
            + "starts; default: the engine's choice).")
    Integer threads;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "tokenreduce-report", description = "Report "
            + "folder (default: ./${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for every random choice (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        batchSize = batchSizeOption != null ? batchSizeOption : model == null ? DEFAULT_MODEL_BATCH : 1;
        validateNumbers();
        Device dev = Devices.parse(device);
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
        List<Policy> policies = loadPolicies();
        String datasetSpec = dataset != null ? dataset : "synthetic:" + EmbeddedDefault.dataDir();
        SegmentationDataset data = Datasets.openSegmentation(datasetSpec, split);
        Path modelDir = model != null ? model : EmbeddedDefault.modelDir();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (repeats < AbHarness.MIN_REPEATS || warmup < AbHarness.MIN_WARMUP) {
            err.println("note: " + warmup + " warm-up and " + repeats + " timed runs are fewer than the "
                    + AbHarness.MIN_WARMUP + " and " + AbHarness.MIN_REPEATS + " a stable latency needs; treat the"
                    + " timings as a smoke test");
            err.flush();
        }
        long start = System.nanoTime();
        DenseBenchmark.Outcome outcome;
        try (EncoderHeadPredictor predictor = EncoderHeadPredictor.load(modelDir, dev)) {
            outcome = DenseBenchmark.builder().setPredictor(predictor).setDataset(data).addPolicies(policies)
                    .setOutput(output).optImageSize(imageSize == null ? 0 : imageSize).optLimit(limit)
                    .optBatchSize(batchSize).optWarmup(warmup).optRepeats(repeats).optAllowShortRuns(true)
                    .optSeed(seed).optProgress(ProgressReporter.forStderr()).optConfig(config(modelDir, datasetSpec))
                    .build().run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(BenchTable.render(outcome.results()));
        out.printf(java.util.Locale.ROOT, "%d images, batch %d, %d warm-up + %d timed runs per variant, %.1f s%n",
                Math.min(limit > 0 ? limit : data.size(), data.size()), batchSize, warmup, repeats, seconds);
        out.println("report: " + outcome.files().markdown().toAbsolutePath());
        return 0;
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
        c.put("device", device);
        c.put("threads", threads);
        c.put("output", output.toString());
        c.put("seed", seed);
        return c;
    }
}
