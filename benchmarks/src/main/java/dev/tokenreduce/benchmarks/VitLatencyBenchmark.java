package dev.tokenreduce.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.eval.flops.VitFlops;
import dev.tokenreduce.eval.harness.AbHarness;
import dev.tokenreduce.eval.harness.AbResult;
import dev.tokenreduce.eval.harness.LatencyStats;
import dev.tokenreduce.eval.harness.Workload;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.VisionEncoder;
import dev.tokenreduce.vit.config.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Median forward latency of the Java graph ({@link VisionEncoder#encode} with no policy) against the same weights
 * run as TorchScript by the same libtorch through DJL, alternating in one process ({@link AbHarness}),
 * batch 1, {@link BenchEnv#threads()} threads. Models: ViT-B/16 at 512² and ViT-L/16 at 640², random weights
 * ({@link RandomVit}). The TorchScript file is made by {@code scripts/vit_torchscript.py} with PyTorch
 * ({@code torch.jit.script} by default; {@code --jit trace} traces, which runs one full forward in PyTorch), which
 * also times PyTorch eager in its own process (an external reference, not alternated). Without Python/torch the trace is
 * skipped and only the Java graph's latency and achieved GFLOP/s are reported.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.tokenreduce.benchmarks.VitLatencyBenchmark [b512] [l640]
 * [--repeats 10] [--warmup 3] [--eager-runs 1] [--jit script|trace] [--python /usr/bin/python3] [--work DIR]}.
 */
public final class VitLatencyBenchmark {

    private VitLatencyBenchmark() {}

    public static void main(String[] argv) throws Exception {
        BenchEnv.configure();
        Args args = new Args(argv);
        String python = args.string("python", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
                : "python3");
        Path work = Path.of(args.string("work", System.getProperty("java.io.tmpdir")));
        System.out.println(BenchEnv.describe());
        for (String key : args.positional(List.of("b512", "l640"))) {
            Geometry g = Geometry.of(key);
            boolean large = g.shape().embedDim() > 768;
            int repeats = args.integer("repeats", large ? 5 : 10);
            int warmup = args.integer("warmup", large ? 2 : 3);
            // eager PyTorch is an external reference only; a distro build with generic BLAS is very slow, so 1 run
            int eagerRuns = args.integer("eager-runs", large ? 0 : 1);
            run(g, work.resolve("tokenreduce-bench-" + g.key()), python, warmup, repeats, eagerRuns,
                    args.string("jit", "script"));
        }
    }

    static void run(Geometry g, Path dir, String python, int warmup, int repeats, int eagerRuns, String jit)
            throws Exception {
        RandomVit.write(dir, g.architecture(), g.image(), 0, 1);
        double gflops = VitFlops.baseline(g.shape()).gflops();
        String eager = null;
        boolean haveTrace;
        try {
            double eps = ModelDirectory.open(dir).config().layerNormEps();
            TorchScriptVit.TraceRun t = TorchScriptVit.trace(python, dir, g, eps, BenchEnv.threads(), eagerRuns, jit);
            eager = t.eagerLine();
            haveTrace = true;
        } catch (java.io.IOException e) {
            System.out.println(g.label() + ": no TorchScript trace (" + e.getMessage().lines().findFirst().orElse("")
                    + "); reporting the Java graph only");
            haveTrace = false;
        }
        String loadBefore = BenchEnv.loadAverage();
        try (VisionEncoder vit = VisionEncoder.load(dir);
                NDManager inputs = NDManager.newBaseManager();
                TorchScriptVit trace = haveTrace ? TorchScriptVit.load(dir) : null) {
            Engine.getInstance().setRandomSeed(5);
            NDArray pixels = inputs.randomNormal(0, 1, new Shape(1, 3, g.image(), g.image()), DataType.FLOAT32);
            EncodeOptions opts = EncodeOptions.builder().optCheckInputs(false).build();
            String agreement = "";
            if (trace != null) {
                try (NDManager scope = inputs.newSubManager()) {
                    NDArray a = vit.encode(pixels, Policy.none(), scope, opts).finalTokens();
                    NDArray b = trace.forward(pixels, scope);
                    agreement = String.format(", max|java - trace| = %.2e (max|trace| %.2f)",
                            a.sub(b).abs().max().getFloat(), b.abs().max().getFloat());
                }
            }
            AbHarness.Builder h = AbHarness.builder()
                    .addVariant("java-graph", Workload.of(() -> {
                        try (NDManager scope = inputs.newSubManager()) {
                            vit.encode(pixels, Policy.none(), scope, opts).finalTokens().get(0, 0, 0).getFloat();
                        }
                    }))
                    .optWarmup(warmup).optRepeats(repeats).optAllowShortRuns(true);
            if (trace != null) {
                h.addVariant("torchscript", Workload.of(() -> {
                    try (NDManager scope = inputs.newSubManager()) {
                        pixels.tempAttach(scope);
                        trace.forward(pixels, scope).get(0, 0, 0).getFloat();
                    }
                }));
            }
            AbResult r = h.build().run();
            LatencyStats java = r.variant("java-graph").latency();
            System.out.printf("%s (%d tokens, %.1f GFLOPs analytic) warm-up %d, repeats %d, TorchScript by torch.jit.%s,"
                    + " load before %s, after %s%n", g.label(), g.shape().tokens(), gflops, warmup, repeats, jit,
                    loadBefore, BenchEnv.loadAverage());
            System.out.printf("  java-graph  median %.1f ms (min %.1f, p90 %.1f)  %.1f GFLOP/s%n", java.medianMs(),
                    java.minMs(), java.p90Ms(), gflops / java.medianMs() * 1000);
            if (trace != null) {
                LatencyStats ts = r.variant("torchscript").latency();
                System.out.printf("  torchscript median %.1f ms (min %.1f, p90 %.1f)  %.1f GFLOP/s%n", ts.medianMs(),
                        ts.minMs(), ts.p90Ms(), gflops / ts.medianMs() * 1000);
                System.out.printf("  java/trace = %.3f (target <= 1.10)%s%n", java.medianMs() / ts.medianMs(),
                        agreement);
            }
            if (eager != null) {
                System.out.println("  PyTorch eager (separate process, not alternated): " + eager);
            }
        }
    }
}
