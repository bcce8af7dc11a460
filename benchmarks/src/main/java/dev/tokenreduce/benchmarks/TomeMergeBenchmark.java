package dev.tokenreduce.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.clustering.tome.BipartiteSoftMatching;
import dev.tokenreduce.clustering.tome.WeightedMerge;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.encoder.VitForward;
import dev.tokenreduce.vit.weights.VitWeightLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One ToMe merge step (bipartite soft matching on the head-averaged keys + size-weighted merge, r = 8, CLS
 * protected) at ViT-L/16 640² sizes (N = 1601 tokens, C = 1024, d_head = 64) next to one ViT-L block forward at the
 * same size (the runtime's {@link VitForward#block}, random weights of a 1-block ViT-L written to a temporary model
 * directory), in the same run. {@link RatioReport} prints merge/block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
    "-Dai.djl.pytorch.num_interop_threads=1", "-Xss4m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class TomeMergeBenchmark {

    static final int TOKENS = 1 + 40 * 40;
    static final int WIDTH = 1024;
    static final int HEAD_DIM = 64;
    static final int R = 8;

    private NDManager manager;
    private NDArray x;
    private NDArray metric;
    private NDArray sizes;
    private BipartiteSoftMatching matching;
    private VitForward block;
    private Path modelDir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        x = Features.gaussian(manager, TOKENS, WIDTH, 1).reshape(1, TOKENS, WIDTH);
        metric = Features.gaussian(manager, TOKENS, HEAD_DIM, 2).reshape(1, TOKENS, HEAD_DIM);
        sizes = manager.ones(new Shape(1, TOKENS, 1), DataType.FLOAT32);
        matching = BipartiteSoftMatching.builder().setR(R).optProtectedPrefix(1).build();
        modelDir = Files.createTempDirectory("tokenreduce-bench-vitl-1block");
        RandomVit.write(modelDir, "vit_large_patch16_224", 640, 1, 3);
        VitConfig config = ModelDirectory.open(modelDir).config();
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(modelDir)) {
            block = new VitForward(config, VitWeightLoader.load(checkpoint, config, manager), manager);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        manager.close();
        try (var files = Files.list(modelDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(modelDir);
    }

    /** Match (cosine similarity of the two halves, best partner, ordering) and the size-weighted merge. */
    @Benchmark
    public void merge(Blackhole bh) {
        try (NDManager scope = manager.newSubManager()) {
            x.tempAttach(scope);
            metric.tempAttach(scope);
            sizes.tempAttach(scope);
            WeightedMerge merged = matching.match(metric).mergeWeighted(x, sizes);
            bh.consume(merged.tokens().get(0, 0, 0).getFloat());
            bh.consume(merged.sizes().getShape());
        }
    }

    /** One ViT-L block (attention + MLP) on all 1601 tokens. */
    @Benchmark
    public void blockForward(Blackhole bh) {
        try (NDManager scope = manager.newSubManager()) {
            x.tempAttach(scope);
            NDArray y = block.block(x, 0, null, scope);
            bh.consume(y.get(0, 0, 0).getFloat());
        }
    }
}
