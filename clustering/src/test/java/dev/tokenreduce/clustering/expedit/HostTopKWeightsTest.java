package dev.tokenreduce.clustering.expedit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host top-k weights against a sort-based evaluation of the definition, on rows built to defeat its candidate
 * guess: far from normal (a few near clusters and a far bulk, so the first guess finds too few), constant, with
 * negative rounding noise, and with ties exactly at the cut.
 */
class HostTopKWeightsTest {

    enum Rows { GAUSSIAN, SKEWED, CONSTANT, NEGATIVE_NOISE, TIES_AT_CUT, EXPONENTIAL }

    @ParameterizedTest
    @EnumSource(Rows.class)
    void everyRowFollowsTheDefinition(Rows kind) {
        int units = 2;
        int n = 300; // 600 rows: split over threads when there are several cores
        int m = 300;
        float t = 0.05f;
        Random rnd = new Random(kind.ordinal() + 7);
        float[] d = new float[units * n * m];
        for (int r = 0; r < units * n; r++) {
            for (int j = 0; j < m; j++) {
                d[r * m + j] = value(kind, rnd, j);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray distances = manager.create(d, new Shape(units, n, m));
            for (int k : new int[] {1, 7, 20, 30}) {
                for (ReconstructionNorm norm : ReconstructionNorm.values()) {
                    float[] dense = HostTopKWeights.compute(distances, k, t, norm).toDense(manager).toFloatArray();
                    for (int r = 0; r < units * n; r++) {
                        float[] expected = reference(Arrays.copyOfRange(d, r * m, (r + 1) * m), k, t, norm);
                        for (int j = 0; j < m; j++) {
                            assertThat(dense[r * m + j]).as("%s k %d %s row %d column %d", kind, k, norm, r, j)
                                    .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-6f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeInputsReadInChunksAndNonContiguousDistancesGiveTheSameRows() {
        // 3 units of 1100 × 1300: more than the 4 M floats read at a time, so units 0–1 and 2 come in two views;
        // and the same distances as a transposed (non-contiguous) view, which the engine copies before reading
        int units = 3;
        int n = 1100;
        int m = 1300;
        int k = 20;
        float t = 0.05f;
        Random rnd = new Random(11);
        float[] d = new float[units * n * m];
        for (int i = 0; i < d.length; i++) {
            d[i] = value(Rows.GAUSSIAN, rnd, i % m);
        }
        float[] transposed = new float[d.length];
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    transposed[(u * m + j) * n + i] = d[(u * n + i) * m + j];
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray contiguous = manager.create(d, new Shape(units, n, m));
            NDArray view = manager.create(transposed, new Shape(units, m, n)).transpose(0, 2, 1);
            float[] fromChunks = HostTopKWeights.compute(contiguous, k, t, ReconstructionNorm.L2).toDense(manager)
                    .toFloatArray();
            float[] fromView = HostTopKWeights.compute(view, k, t, ReconstructionNorm.L2).toDense(manager)
                    .toFloatArray();
            // Arrays.mismatch: AssertJ's array assertions are far too slow on 4 M entries
            assertThat(Arrays.mismatch(fromView, fromChunks)).as("first entry where the two differ").isEqualTo(-1);
            for (int r = 0; r < units * n; r += 13) {
                float[] expected = reference(Arrays.copyOfRange(d, r * m, (r + 1) * m), k, t, ReconstructionNorm.L2);
                for (int j = 0; j < m; j++) {
                    assertThat(fromChunks[r * m + j]).as("row %d column %d", r, j)
                            .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    private static float value(Rows kind, Random rnd, int j) {
        switch (kind) {
            case GAUSSIAN:
                return 1000f + 30f * (float) rnd.nextGaussian();
            case SKEWED:
                // three near clusters, the rest far: the row's mean and spread say nothing about its low tail
                return j % 100 == 0 ? rnd.nextFloat() : 5000f + rnd.nextFloat();
            case CONSTANT:
                return 42f;
            case NEGATIVE_NOISE:
                return j % 3 == 0 ? -1e-4f * rnd.nextFloat() : 10f * rnd.nextFloat();
            case TIES_AT_CUT:
                // values on a coarse lattice: many equal distances at every rank
                return rnd.nextInt(12) * 3f;
            case EXPONENTIAL:
                return (float) (-200 * Math.log(1 - rnd.nextDouble()));
            default:
                throw new AssertionError(kind);
        }
    }

    /** The definition, evaluated by sorting the whole row. */
    private static float[] reference(float[] row, int k, float t, ReconstructionNorm norm) {
        int m = row.length;
        float min = Float.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            row[j] = Math.max(row[j], 0f);
            min = Math.min(min, row[j]);
        }
        float[] w = new float[m];
        for (int j = 0; j < m; j++) {
            w[j] = (float) Math.exp((row[j] - min) * -t);
        }
        float[] sorted = w.clone();
        Arrays.sort(sorted);
        float kth = sorted[m - k];
        double scale = 0;
        for (int j = 0; j < m; j++) {
            if (w[j] >= kth) {
                scale += norm == ReconstructionNorm.L2 ? (double) w[j] * w[j] : w[j];
            } else {
                w[j] = 0;
            }
        }
        float divisor = Math.max((float) (norm == ReconstructionNorm.L2 ? Math.sqrt(scale) : scale), 1e-12f);
        for (int j = 0; j < m; j++) {
            w[j] /= divisor;
        }
        return w;
    }
}
