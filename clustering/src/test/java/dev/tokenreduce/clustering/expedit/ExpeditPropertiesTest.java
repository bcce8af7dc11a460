package dev.tokenreduce.clustering.expedit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.clustering.pool.AdaptivePooling;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Worked checks of the spec and properties that hold for any input. */
class ExpeditPropertiesTest {

    private static final double TOL = 1e-5;

    private static NDArray random(NDManager m, long seed, long... shape) {
        Random r = new Random(seed);
        long n = new Shape(shape).size();
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(shape));
    }

    private static ExpeditClustering clustering(int h, int w, float t, int iterations, int window) {
        return ExpeditClustering.builder().setClusters(h, w).setTemperature(t).optIterations(iterations)
                .optWindow(window).build();
    }

    @ParameterizedTest(name = "kappa={0}")
    @CsvSource({"1", "4"})
    void lambdaOneOnDivisibleGridIsPoolingAfterAnyIterations(int iterations) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 1, 2, 6 * 9, 8);
            GridSize grid = new GridSize(6, 9);
            ClusteringResult r = clustering(3, 3, 0.5f, iterations, 1).cluster(z, grid);
            Tolerance.assertClose(r.centres(), AdaptivePooling.pool(z, grid, new GridSize(3, 3)), TOL, "centres");
        }
    }

    @Test
    void zeroIterationsIsPoolingWithHardLabelsFromThoseCentres() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 2, 2, 7 * 5, 6);
            GridSize grid = new GridSize(7, 5);
            ClusteringResult r = clustering(3, 2, 0.5f, 0, 3).cluster(z, grid);
            NDArray pooled = AdaptivePooling.pool(z, grid, new GridSize(3, 2));
            Tolerance.assertClose(r.centres(), pooled, TOL, "centres");
            float[][][] zj = toJava(z);
            float[][][] sj = toJava(pooled);
            long[] labels = r.hardLabels().toLongArray();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 35; i++) {
                    assertThat(labels[b * 35 + i]).isEqualTo(argmin(zj[b][i], sj[b]));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}, lambda {4}")
    @CsvSource({"7, 9, 3, 4, 3, 4", "5, 5, 7, 6, 3, 2", "6, 6, 2, 5, 5, 3", "4, 7, 4, 3, 1, 2"})
    void neighbourhoodFormulationEqualsTheDenseOfficialAlgorithm(int bigH, int bigW, int h, int w, int lambda,
            int iterations) {
        try (NDManager m = NDManager.newBaseManager()) {
            float t = 0.3f;
            NDArray z = random(m, 3 + bigH, 2, (long) bigH * bigW, 5);
            GridSize grid = new GridSize(bigH, bigW);
            float[][][] zj = toJava(z);
            float[][][] s0 = toJava(AdaptivePooling.pool(z, grid, new GridSize(h, w)));
            // Every tile side gives the same clustering: tiles only group the work (1: one cell per tile; 4 and
            // 9: windows larger than λ×λ with masked candidates, partial tiles at the grid's edges).
            for (int tile : new int[] {1, 2, ExpeditClustering.TILE, 9}) {
                ClusteringResult r = clustering(h, w, t, iterations, lambda).withTile(tile).cluster(z, grid);
                long[] labels = r.hardLabels().toLongArray();
                float[] centres = r.centres().toFloatArray();
                for (int b = 0; b < 2; b++) {
                    float[][] s = denseReference(zj[b], s0[b], grid, h, w, lambda / 2, t, iterations);
                    for (int j = 0; j < h * w; j++) {
                        for (int c = 0; c < 5; c++) {
                            assertThat(centres[(b * h * w + j) * 5 + c]).as("tile %d, centre %d", tile, j)
                                    .isCloseTo(s[j][c], within(1e-5f));
                        }
                    }
                    for (int i = 0; i < bigH * bigW; i++) {
                        assertThat(labels[b * bigH * bigW + i]).as("tile %d, label %d", tile, i)
                                .isEqualTo(argmin(zj[b][i], s));
                    }
                }
            }
        }
    }

    @Test
    void chunkedBatchesGiveTheSameResult() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 4, 5, 64, 8);
            GridSize grid = GridSize.square(8);
            ExpeditClustering c = clustering(3, 3, 0.2f, 3, 3);
            ClusteringResult whole = c.cluster(z, grid);
            ClusteringResult chunked = c.withChunkBudget(1).cluster(z, grid);
            Tolerance.assertClose(chunked.centres(), whole.centres(), 1e-6, "centres");
            assertThat(chunked.hardLabels().toLongArray()).containsExactly(whole.hardLabels().toLongArray());
        }
    }

    @Test
    void batchEntriesAreIndependent() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 5, 2, 80, 12);
            GridSize grid = new GridSize(8, 10);
            ExpeditClustering c = clustering(3, 4, 0.2f, 3, 3);
            ClusteringResult both = c.cluster(z, grid);
            NDArray x = random(m, 6, 2, 12, 4);
            NDArray yBoth = both.reconstruction(5).restore(x);
            for (int b = 0; b < 2; b++) {
                NDIndex one = new NDIndex("{}:{}", b, b + 1);
                ClusteringResult alone = c.cluster(z.get(one), grid);
                Tolerance.assertClose(alone.centres(), both.centres().get(one), TOL, "centres " + b);
                assertThat(alone.hardLabels().toLongArray()).containsExactly(both.hardLabels().get(one).toLongArray());
                Tolerance.assertClose(alone.reconstruction(5).restore(x.get(one)), yBoth.get(one), TOL, "recon " + b);
            }
        }
    }

    @Test
    void reconstructionIsLinearInX() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 7, 2, 64, 8);
            ClusteringResult r = clustering(4, 4, 0.3f, 2, 3).cluster(z, GridSize.square(8));
            NDArray x1 = random(m, 8, 2, 16, 6);
            NDArray x2 = random(m, 9, 2, 16, 6);
            for (ReconstructionNorm norm : ReconstructionNorm.values()) {
                var rec = r.reconstruction(3, 0.3f, norm);
                NDArray lhs = rec.restore(x1.mul(2f).sub(x2.mul(3f)));
                NDArray rhs = rec.restore(x1).mul(2f).sub(rec.restore(x2).mul(3f));
                Tolerance.assertClose(lhs, rhs, TOL, "linearity " + norm);
            }
        }
    }

    @Test
    void constantTokensKeepEveryClusterAndL2GivesCTimesSqrtM() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.full(new Shape(1, 64, 8), 0.7f);
            ClusteringResult r = clustering(4, 4, 3f, 2, 1).cluster(z, GridSize.square(8));
            NDArray x = m.full(new Shape(1, 16, 3), 0.5f);
            for (int k : new int[] {1, 3, ExpeditReconstruction.ALL}) {
                float[] y = r.reconstruction(k, 3f, ReconstructionNorm.L2).restore(x).toFloatArray();
                for (float v : y) {
                    assertThat(v).as("k=%d", k).isCloseTo(0.5f * 4f, within(1e-6f));
                }
                float[] l1 = r.reconstruction(k, 3f, ReconstructionNorm.L1).restore(x).toFloatArray();
                for (float v : l1) {
                    assertThat(v).as("L1 k=%d", k).isCloseTo(0.5f, within(1e-6f));
                }
            }
            // Explicit Z and S that are all equal: every weight ties, whatever k is.
            ExpeditReconstruction explicit = ExpeditReconstruction.builder().setTokens(m.full(new Shape(2, 5, 4), -1.5f))
                    .setCentres(m.full(new Shape(2, 9, 4), -1.5f)).setTemperature(10f).optTopK(1).build();
            float[] y = explicit.apply(m.full(new Shape(2, 9, 2), 2f)).toFloatArray();
            for (float v : y) {
                assertThat(v).isCloseTo(2f * 3f, within(1e-5f));
            }
        }
    }

    @Test
    void oneDimensionalWorkedExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {0, 1, 3}, new Shape(1, 3, 1));
            NDArray s = m.create(new float[] {0.5f, 2.5f}, new Shape(1, 2, 1));
            NDArray x = m.create(new float[] {10, 20}, new Shape(1, 2, 1));
            float[] k2 = ExpeditReconstruction.builder().setTokens(z).setCentres(s).setTemperature(1f).optTopK(2)
                    .build().apply(x).toFloatArray();
            assertThat(k2[0]).isCloseTo(10.049544f, within(1e-5f));
            assertThat(k2[1]).isCloseTo(12.591914f, within(1e-5f));
            assertThat(k2[2]).isCloseTo(20.024726f, within(1e-5f));
            float[] k1 = ExpeditReconstruction.builder().setTokens(z).setCentres(s).setTemperature(1f).optTopK(1)
                    .build().apply(x).toFloatArray();
            assertThat(k1).containsExactly(10f, 10f, 20f);
        }
    }

    @ParameterizedTest(name = "duplicate centres {0}, sparse on the host {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void topKWeightsFollowTheDefinitionIncludingTiesAtTheCut(boolean duplicates, boolean sparse) {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 40;
            int centres = 12;
            int c = 6;
            int k = 3;
            float t = 0.3f;
            float[] z = random(m, 11, n * c).toFloatArray();
            float[] s = random(m, 12, centres * c).toFloatArray();
            if (duplicates) {
                // every centre twice: with k odd the k-th and (k+1)-th nearest tie for every token, so rows keep k + 1
                for (int j = 1; j < centres; j += 2) {
                    System.arraycopy(s, (j - 1) * c, s, j * c, c);
                }
            }
            for (ReconstructionNorm norm : ReconstructionNorm.values()) {
                ExpeditReconstruction rec = ExpeditReconstruction.builder().setTokens(m.create(z, new Shape(1, n, c)))
                        .setCentres(m.create(s, new Shape(1, centres, c))).setTemperature(t).optTopK(k).optNorm(norm)
                        .withSparseDensity(sparse ? 1 : 0).build();
                assertThat(rec.isSparse()).isEqualTo(sparse);
                float[] w = rec.weights().toFloatArray();
                for (int i = 0; i < n; i++) {
                    double[] e = new double[centres];
                    double min = Double.MAX_VALUE;
                    for (int j = 0; j < centres; j++) {
                        double d = 0;
                        for (int q = 0; q < c; q++) {
                            double diff = z[i * c + q] - s[j * c + q];
                            d += diff * diff;
                        }
                        e[j] = d;
                        min = Math.min(min, d);
                    }
                    for (int j = 0; j < centres; j++) {
                        e[j] = Math.exp(-t * (e[j] - min));
                    }
                    double[] sorted = e.clone();
                    java.util.Arrays.sort(sorted);
                    double kth = sorted[centres - k];
                    double scale = 0;
                    int kept = 0;
                    for (int j = 0; j < centres; j++) {
                        if (e[j] >= kth) {
                            kept++;
                            scale += norm == ReconstructionNorm.L2 ? e[j] * e[j] : e[j];
                        } else {
                            e[j] = 0;
                        }
                    }
                    scale = norm == ReconstructionNorm.L2 ? Math.sqrt(scale) : scale;
                    assertThat(kept).isGreaterThanOrEqualTo(duplicates ? k + 1 : k);
                    for (int j = 0; j < centres; j++) {
                        assertThat((double) w[i * centres + j]).as("%s token %d cluster %d", norm, i, j)
                                .isCloseTo(e[j] / scale, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void sparseWeightsOfSmallTopKEqualTheDensePath() {
        try (NDManager m = NDManager.newBaseManager()) {
            // k / M = 4 / 64 and 6 / 64: computed on the host and applied as one block-diagonal sparse product
            NDArray z = random(m, 21, 2, 90, 8);
            NDArray s = random(m, 22, 2, 64, 8);
            NDArray x = random(m, 23, 2, 64, 5);
            for (int k : new int[] {4, 6}) {
                for (ReconstructionNorm norm : ReconstructionNorm.values()) {
                    ExpeditReconstruction rec = ExpeditReconstruction.builder().setTokens(z).setCentres(s)
                            .setTemperature(0.2f).optTopK(k).optNorm(norm).build();
                    ExpeditReconstruction dense = ExpeditReconstruction.builder().setTokens(z).setCentres(s)
                            .setTemperature(0.2f).optTopK(k).optNorm(norm).withSparseDensity(0).build();
                    assertThat(rec.isSparse()).isTrue();
                    assertThat(dense.isSparse()).isFalse();
                    String what = norm + " k " + k;
                    Tolerance.assertClose(rec.weights(), dense.weights(), TOL, "weights " + what);
                    Tolerance.assertClose(rec.apply(x), dense.apply(x), TOL, "product " + what);
                    Tolerance.assertClose(rec.apply(x), rec.weights().matMul(x), TOL, "own weights " + what);
                    assertThat(rec.apply(x).getShape()).isEqualTo(new Shape(2, 90, 5));
                    assertThat(rec.batchSize()).isEqualTo(2);
                    assertThat(rec.originalTokens()).isEqualTo(90);
                    assertThat(rec.reducedTokens()).isEqualTo(64);
                }
            }
        }
    }

    @Test
    void lazilyBuiltLabelsAndWeightsOutliveTheScopeThatAskedForThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = random(m, 31, 1, 64, 8);
            ClusteringResult r = clustering(4, 4, 0.3f, 2, 3).cluster(z, GridSize.square(8));
            ExpeditReconstruction rec = ExpeditReconstruction.builder().setTokens(r.tokens()).setCentres(r.centres())
                    .setTemperature(0.3f).optTopK(1).withDistances(r.distances()).withSparseDensity(1).build();
            long[] labels;
            float[] weights;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                labels = r.hardLabels().toLongArray();
                weights = rec.weights().toFloatArray();
            }
            assertThat(r.hardLabels().toLongArray()).containsExactly(labels);
            assertThat(rec.weights().toFloatArray()).containsExactly(weights);
            // with k = 1 every token restores from its hard-label cluster
            for (int i = 0; i < 64; i++) {
                assertThat(weights[i * 16 + (int) labels[i]]).isEqualTo(1f);
            }
        }
    }

    @Test
    void repeatedCallsLeaveNothingBehindInTheCachedTileTables() {
        // a geometry no other test uses, so this test alone decides what the cached tables' manager holds
        GridSize grid = new GridSize(9, 13);
        ExpeditClustering clustering = clustering(5, 6, 0.3f, 3, 5);
        try (NDManager warm = NDManager.newBaseManager()) {
            clustering.cluster(random(warm, 40, 2, 9 * 13, 8), grid);
        }
        NDManager tables = TileTable.of(grid, new GridSize(5, 6), 2, ExpeditClustering.TILE)
                .on(ai.djl.Device.cpu()).slotsToClusters().getManager();
        int held = tables.getManagedArrays().size();
        for (int call = 0; call < 6; call++) {
            try (NDManager m = NDManager.newBaseManager()) {
                // batch 1 and batch 2 take different product layouts
                ClusteringResult r = clustering.cluster(random(m, 41 + call, 1 + call % 2, 9 * 13, 8), grid);
                ExpeditReconstruction.builder().setTokens(r.tokens()).setCentres(r.centres()).setTemperature(0.3f)
                        .optTopK(2).withDistances(r.distances()).build().apply(r.centres());
            }
        }
        assertThat(tables.getManagedArrays()).as("arrays held by the cached tile tables' manager").hasSize(held);
    }

    @Test
    void farAwayTokensDoNotUnderflowToZeroRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            // exp(-t*D) underflows for every cluster here; the shifted form still gives the nearest cluster.
            NDArray z = m.create(new float[] {1000f, -1000f}, new Shape(1, 2, 1));
            NDArray s = m.create(new float[] {0f, 1f}, new Shape(1, 2, 1));
            NDArray x = m.create(new float[] {3f, 7f}, new Shape(1, 2, 1));
            float[] y = ExpeditReconstruction.builder().setTokens(z).setCentres(s).setTemperature(1f).optKeepAll()
                    .build().apply(x).toFloatArray();
            assertThat(y).containsExactly(7f, 3f);
            // the host path: the far cluster's weight underflows to exactly 0 and is dropped, not kept as a tie
            ExpeditReconstruction host = ExpeditReconstruction.builder().setTokens(z).setCentres(s)
                    .setTemperature(1f).optTopK(1).withSparseDensity(1).build();
            assertThat(host.isSparse()).isTrue();
            assertThat(host.apply(x).toFloatArray()).containsExactly(7f, 3f);
            assertThat(host.weights().toFloatArray()).containsExactly(0f, 1f, 1f, 0f);
        }
    }

    @Test
    void invalidInputsAreClearErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            ExpeditClustering c = clustering(2, 2, 1f, 1, 3);
            assertThatThrownBy(() -> c.cluster(m.zeros(new Shape(1, 15, 4)), GridSize.square(4)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("expedit-cluster")
                    .hasMessageContaining("N = H·W");
            NDArray nan = m.zeros(new Shape(1, 16, 4));
            nan.set(new NDIndex("0, 3, 1"), Float.NaN);
            assertThatThrownBy(() -> c.cluster(nan, GridSize.square(4)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
            NDArray inf = m.zeros(new Shape(1, 16, 4));
            inf.set(new NDIndex("0, 0, 0"), Float.POSITIVE_INFINITY);
            assertThatThrownBy(() -> c.cluster(inf, GridSize.square(4)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("Inf");
            // The public reconstruction builder checks its own inputs.
            assertThatThrownBy(() -> ExpeditReconstruction.builder().setTokens(nan).setCentres(m.zeros(
                    new Shape(1, 4, 4))).setTemperature(1f).optTopK(2).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("expedit-reconstruct")
                    .hasMessageContaining("NaN");
            assertThatThrownBy(() -> clustering(2, 2, 1f, 1, 4)).hasMessageContaining("'window'");
            assertThatThrownBy(() -> clustering(2, 2, 1f, -1, 3)).hasMessageContaining("'iterations'");
            assertThatThrownBy(() -> clustering(2, 2, 0f, 1, 3)).hasMessageContaining("'temperature'");
            assertThatThrownBy(() -> clustering(2, 2, Float.NaN, 1, 3)).hasMessageContaining("'temperature'");
            assertThatThrownBy(() -> ExpeditClustering.builder().setClusters(2, 2).build())
                    .hasMessageContaining("'temperature'");
            ClusteringResult r = c.cluster(random(m, 1, 1, 16, 4), GridSize.square(4));
            assertThatThrownBy(() -> r.reconstruction(5)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'k'").hasMessageContaining("[1, 4]");
            var rec = r.reconstruction(2);
            assertThatThrownBy(() -> rec.restore(m.zeros(new Shape(1, 5, 3))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("same forward pass");
            assertThatThrownBy(() -> rec.restore(m.zeros(new Shape(2, 4, 3))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("batch");
        }
    }

    // ---- plain-Java reference of the official dense algorithm (masked M×N distances every iteration) ----

    private static float[][] denseReference(float[][] z, float[][] init, GridSize grid, int h, int w, int r, float t,
            int iterations) {
        int n = z.length;
        int c = z[0].length;
        int mm = h * w;
        long[] labels = AdaptivePooling.nearestLabels(grid, new GridSize(h, w));
        float[][] s = init;
        for (int it = 0; it < iterations; it++) {
            float[][] q = new float[n][mm];
            for (int i = 0; i < n; i++) {
                int ly = (int) labels[i] / w;
                int lx = (int) labels[i] % w;
                double max = Double.NEGATIVE_INFINITY;
                double[] logit = new double[mm];
                for (int j = 0; j < mm; j++) {
                    boolean allowed = Math.abs(j / w - ly) <= r && Math.abs(j % w - lx) <= r;
                    logit[j] = allowed ? -t * dist(z[i], s[j]) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, logit[j]);
                }
                double sum = 0;
                for (int j = 0; j < mm; j++) {
                    sum += Math.exp(logit[j] - max);
                }
                for (int j = 0; j < mm; j++) {
                    q[i][j] = (float) (Math.exp(logit[j] - max) / sum);
                }
            }
            float[][] next = new float[mm][c];
            for (int j = 0; j < mm; j++) {
                double weight = 0;
                double[] acc = new double[c];
                for (int i = 0; i < n; i++) {
                    weight += q[i][j];
                    for (int k = 0; k < c; k++) {
                        acc[k] += q[i][j] * z[i][k];
                    }
                }
                for (int k = 0; k < c; k++) {
                    next[j][k] = (float) (acc[k] / Math.max(weight, 1e-16));
                }
            }
            s = next;
        }
        return s;
    }

    private static double dist(float[] a, float[] b) {
        double d = 0;
        for (int k = 0; k < a.length; k++) {
            d += (a[k] - b[k]) * (double) (a[k] - b[k]);
        }
        return d;
    }

    private static long argmin(float[] zi, float[][] s) {
        int best = 0;
        for (int j = 1; j < s.length; j++) {
            if (dist(zi, s[j]) < dist(zi, s[best])) {
                best = j;
            }
        }
        return best;
    }

    private static float[][][] toJava(NDArray a) {
        Shape s = a.getShape();
        float[] v = a.toFloatArray();
        int b = (int) s.get(0);
        int n = (int) s.get(1);
        int c = (int) s.get(2);
        float[][][] out = new float[b][n][c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(v, (i * n + j) * c, out[i][j], 0, c);
            }
        }
        return out;
    }
}
