package dev.tokenreduce.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.pruning.todre.DiversityMode;
import dev.tokenreduce.pruning.todre.DiversitySelection;
import dev.tokenreduce.pruning.todre.DiversitySelector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ToDRE greedy diversity selection of k out of n tokens of width d ({@link DiversitySelector}, default CPU
 * lookahead, CLS pivot from random CLS attention) next to its natural yardstick, one (n×d)·(d×k) float32 matrix
 * product, in the same run. Shapes: an AnyRes LLaVA-NeXT image (n = 2880, d = 4096, k = 288) and a LLaVA-1.5 image
 * (n = 576, d = 4096, k = 64). Features: {@link Features#projectorLike}. {@link RatioReport} prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
    "-Dai.djl.pytorch.num_interop_threads=1", "-Xss4m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class TodreDiversityBenchmark {

    /** n x d x k. */
    @Param({"2880x4096x288", "576x4096x64"})
    public String shape;

    private NDManager manager;
    private NDArray tokens;
    private NDArray clsAttention;
    private NDArray projection;
    private int k;

    /** The selection mode; a separate state so the matmul reference runs once per shape. */
    @State(Scope.Benchmark)
    public static class Selector {
        @Param({"max-sum", "k-center"})
        public String mode;

        DiversitySelector selector;

        @Setup(Level.Trial)
        public void build() {
            selector = DiversitySelector.builder()
                    .optMode("k-center".equals(mode) ? DiversityMode.K_CENTER : DiversityMode.MAX_SUM)
                    .build();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int n = Integer.parseInt(p[0]);
        int d = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        manager = NDManager.newBaseManager();
        tokens = Features.projectorLike(manager, n, d, 42);
        clsAttention = Features.gaussian(manager, 1, n, 7).reshape(n).softmax(0);
        projection = Features.gaussian(manager, d, k, 11);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public void diversity(Selector s, Blackhole bh) {
        try (NDManager scope = manager.newSubManager()) {
            tokens.tempAttach(scope);
            clsAttention.tempAttach(scope);
            DiversitySelection sel = s.selector.select(tokens, clsAttention, k);
            bh.consume(sel.order().getShape());
            bh.consume(sel.kept().getShape());
        }
    }

    /** One (n×d)·(d×k) product, the cost unit of the selection. */
    @Benchmark
    public void matmulReference(Blackhole bh) {
        try (NDManager scope = manager.newSubManager()) {
            tokens.tempAttach(scope);
            projection.tempAttach(scope);
            NDArray y = tokens.matMul(projection);
            bh.consume(y.get(0, 0).getFloat());
        }
    }
}
