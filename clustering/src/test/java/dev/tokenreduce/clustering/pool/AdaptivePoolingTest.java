package dev.tokenreduce.clustering.pool;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.clustering.expedit.ExpeditClustering;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdaptivePoolingTest {

    private static NDArray random(NDManager m, long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(shape));
    }

    @Test
    void binsFollowPyTorch() {
        // 5 -> 2: [0, 3) and [2, 5) overlap; 2 -> 5 repeats rows: [0,1) [0,1) [0,2) [1,2) [1,2).
        assertThat(new int[] {AdaptivePooling.binStart(0, 5, 2), AdaptivePooling.binEnd(0, 5, 2),
                AdaptivePooling.binStart(1, 5, 2), AdaptivePooling.binEnd(1, 5, 2)}).containsExactly(0, 3, 2, 5);
        int[] starts = new int[5];
        int[] ends = new int[5];
        for (int i = 0; i < 5; i++) {
            starts[i] = AdaptivePooling.binStart(i, 2, 5);
            ends[i] = AdaptivePooling.binEnd(i, 2, 5);
        }
        assertThat(starts).containsExactly(0, 0, 0, 1, 1);
        assertThat(ends).containsExactly(1, 1, 2, 2, 2);
        // nearest cells: 5 -> 2 gives 0,0,0,1,1 (floor(y*2/5)); 8 -> 10 skips cells 4 and 9.
        assertThat(AdaptivePooling.nearestLabels(new GridSize(5, 1), new GridSize(2, 1))).containsExactly(0, 0, 0, 1, 1);
        assertThat(AdaptivePooling.nearestLabels(new GridSize(1, 8), new GridSize(1, 10)))
                .containsExactly(0, 1, 2, 3, 5, 6, 7, 8);
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"7, 5, 3, 2", "3, 3, 5, 4", "8, 8, 4, 4", "6, 10, 4, 6", "1, 1, 2, 3"})
    void poolingEqualsRectangleAverages(int bigH, int bigW, int h, int w) {
        try (NDManager m = NDManager.newBaseManager()) {
            int c = 3;
            NDArray z = random(m, bigH * 10L + bigW, 2, (long) bigH * bigW, c);
            float[] v = z.toFloatArray();
            float[] expected = new float[2 * h * w * c];
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int y0 = AdaptivePooling.binStart(i, bigH, h);
                        int y1 = AdaptivePooling.binEnd(i, bigH, h);
                        int x0 = AdaptivePooling.binStart(j, bigW, w);
                        int x1 = AdaptivePooling.binEnd(j, bigW, w);
                        for (int k = 0; k < c; k++) {
                            double sum = 0;
                            for (int y = y0; y < y1; y++) {
                                for (int x = x0; x < x1; x++) {
                                    sum += v[((b * bigH + y) * bigW + x) * c + k];
                                }
                            }
                            expected[((b * h + i) * w + j) * c + k] = (float) (sum / ((y1 - y0) * (x1 - x0)));
                        }
                    }
                }
            }
            NDArray pooled = AdaptivePooling.pool(z, new GridSize(bigH, bigW), new GridSize(h, w));
            assertThat(pooled.getShape()).isEqualTo(new Shape(2, (long) h * w, c));
            Tolerance.assertClose(pooled.toFloatArray(), expected, 1e-6, "pooled");
            // a single entry takes the direct product, a batch the side-by-side columns: both must agree
            NDArray single = AdaptivePooling.pool(z.get(new NDIndex("1:2")), new GridSize(bigH, bigW), new GridSize(h, w));
            Tolerance.assertClose(single.toFloatArray(),
                    Arrays.copyOfRange(expected, h * w * c, 2 * h * w * c), 1e-6, "pooled, batch 1");
        }
    }

    @Test
    void theCachedAveragingMatrixOutlivesTheScopeOfTheCallThatBuiltIt() {
        // a geometry no other test uses, so the first call here uploads the matrix, inside a scope
        GridSize grid = new GridSize(9, 11);
        GridSize cells = new GridSize(4, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 99, 1, 99, 2);
            float[] first;
            try (NDScope scope = new ai.djl.ndarray.NDScope()) {
                scope.suppressNotUsedWarning();
                first = AdaptivePooling.pool(z, grid, cells).toFloatArray();
            }
            assertThat(AdaptivePooling.pool(z, grid, cells).toFloatArray()).containsExactly(first);
        }
    }

    @Test
    void poolingLeavesNothingBehindInTheCachedMatrixManager() {
        GridSize grid = new GridSize(10, 7);
        GridSize cells = new GridSize(3, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            AdaptivePooling.pool(random(m, 5, 1, 70, 3), grid, cells);
        }
        NDManager cache = AdaptivePooling.averagingMatrix(grid, cells, ai.djl.Device.cpu()).getManager();
        int held = cache.getManagedArrays().size();
        for (int call = 0; call < 4; call++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray pooled = AdaptivePooling.pool(random(m, 6 + call, 1 + call % 2, 70, 3), grid, cells);
                assertThat(pooled.getManager()).isSameAs(m);
            }
        }
        assertThat(cache.getManagedArrays()).as("arrays held by the cached matrix's manager").hasSize(held);
    }

    @Test
    void poolOperatorIsExpeditWithoutIterationsAndRestoresByNearestCell() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = random(m, 3, 2, 1 + 35, 4);
            TokenState in = TokenState.of(tokens, TokenLayout.grid(1, 7, 5));
            Policy p = PolicyLoader.withDefaults().parse(
                    "steps: [{op: pool, at: {block: 3}, params: {clusters: 3x2}}]", false, "pool.yaml", "pool", null);
            Reduction r = p.steps().get(0).operator().apply(in, StepContext.of(p.steps().get(0).at(), m));
            TokenState out = r.state();
            assertThat(out.layout()).isEqualTo(TokenLayout.grid(1, 3, 2));
            assertThat(out.prefixTokens().toFloatArray()).containsExactly(tokens.get(new NDIndex(":, :1")).toFloatArray());
            NDArray expeditCentres = ExpeditClustering.builder().setClusters(3, 2).setTemperature(1f).optIterations(0)
                    .build().cluster(tokens.get(new NDIndex(":, 1:")), new GridSize(7, 5)).centres();
            Tolerance.assertClose(out.visualTokens(), expeditCentres, 0, "pool = expedit kappa 0");
            assertThat(r.record().tokensIn()).isEqualTo(35);
            assertThat(r.record().tokensOut()).isEqualTo(6);
            // Nearest upsampling: token (y, x) takes cell (floor(y*3/7), floor(x*2/5)).
            NDArray x = m.arange(0f, 12f).reshape(2, 6, 1);
            float[] restored = out.restoration().restore(x).toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int y = 0; y < 7; y++) {
                    for (int xx = 0; xx < 5; xx++) {
                        int cell = (y * 3 / 7) * 2 + xx * 2 / 5;
                        assertThat(restored[b * 35 + y * 5 + xx]).isEqualTo(b * 6 + cell);
                    }
                }
            }
        }
    }
}
