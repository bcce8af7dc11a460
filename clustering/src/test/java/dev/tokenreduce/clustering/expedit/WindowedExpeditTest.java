package dev.tokenreduce.clustering.expedit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.testing.Tolerance;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The windowed (SAM/Swin) variant against a loop of the plain clustering over zero-padded windows. */
class WindowedExpeditTest {

    @ParameterizedTest(name = "{0}x{1}, window {2}, clusters {3}x{4}")
    @CsvSource({"10, 9, 4, 2, 2", "8, 8, 4, 3, 3", "5, 7, 7, 4, 5"})
    void equalsPlainClusteringPerWindow(int bigH, int bigW, int ws, int h, int w) {
        int b = 2;
        int c = 6;
        int k = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            Random rnd = new Random(bigH * 31L + bigW);
            float[] tok = new float[b * bigH * bigW * c];
            for (int i = 0; i < tok.length; i++) {
                tok[i] = (float) rnd.nextGaussian();
            }
            NDArray tokens = m.create(tok, new Shape(b, (long) bigH * bigW, c));
            ExpeditClustering plain = ExpeditClustering.builder().setClusters(h, w).setTemperature(0.4f)
                    .optIterations(3).optWindow(3).build();
            ExpeditClustering windowed = ExpeditClustering.builder().setClusters(h, w).setTemperature(0.4f)
                    .optIterations(3).optWindow(3).optWindowed(ws).build();
            ClusteringResult result = windowed.cluster(tokens, new GridSize(bigH, bigW));

            int rows = (bigH + ws - 1) / ws;
            int cols = (bigW + ws - 1) / ws;
            int mh = rows * h;
            int mw = cols * w;
            assertThat(result.mergedGrid()).isEqualTo(new GridSize(mh, mw));
            int cp = 4;
            float[] xv = new float[b * mh * mw * cp];
            for (int i = 0; i < xv.length; i++) {
                xv[i] = (float) rnd.nextGaussian();
            }
            NDArray x = m.create(xv, new Shape(b, (long) mh * mw, cp));

            float[] expectedMerged = new float[b * mh * mw * c];
            long[] expectedLabels = new long[b * bigH * bigW];
            float[] expectedRecon = new float[b * bigH * bigW * cp];
            float[] expectedNaive = new float[b * bigH * bigW * cp];
            for (int bi = 0; bi < b; bi++) {
                for (int wy = 0; wy < rows; wy++) {
                    for (int wx = 0; wx < cols; wx++) {
                        // This window's tokens, zero outside the image.
                        float[] win = new float[ws * ws * c];
                        for (int y = 0; y < ws; y++) {
                            for (int xx = 0; xx < ws; xx++) {
                                int gy = wy * ws + y;
                                int gx = wx * ws + xx;
                                if (gy < bigH && gx < bigW) {
                                    System.arraycopy(tok, ((bi * bigH + gy) * bigW + gx) * c, win, (y * ws + xx) * c, c);
                                }
                            }
                        }
                        ClusteringResult one = plain.cluster(m.create(win, new Shape(1, (long) ws * ws, c)),
                                GridSize.square(ws));
                        float[] centres = one.centres().toFloatArray();
                        long[] labels = one.hardLabels().toLongArray();
                        // This window's slice of x, and its reconstruction / unpooling.
                        float[] xw = new float[h * w * cp];
                        for (int ly = 0; ly < h; ly++) {
                            for (int lx = 0; lx < w; lx++) {
                                int global = (wy * h + ly) * mw + wx * w + lx;
                                System.arraycopy(centres, (ly * w + lx) * c, expectedMerged,
                                        (bi * mh * mw + global) * c, c);
                                System.arraycopy(xv, (bi * mh * mw + global) * cp, xw, (ly * w + lx) * cp, cp);
                            }
                        }
                        NDArray xwArr = m.create(xw, new Shape(1, (long) h * w, cp));
                        float[] rec = one.reconstruction(k).restore(xwArr).toFloatArray();
                        float[] naive = one.naiveUnpooling().restore(xwArr).toFloatArray();
                        for (int y = 0; y < ws; y++) {
                            for (int xx = 0; xx < ws; xx++) {
                                int gy = wy * ws + y;
                                int gx = wx * ws + xx;
                                if (gy >= bigH || gx >= bigW) {
                                    continue;
                                }
                                int t = (bi * bigH + gy) * bigW + gx;
                                int l = (int) labels[y * ws + xx];
                                expectedLabels[t] = (long) (wy * h + l / w) * mw + wx * w + l % w;
                                System.arraycopy(rec, (y * ws + xx) * cp, expectedRecon, t * cp, cp);
                                System.arraycopy(naive, (y * ws + xx) * cp, expectedNaive, t * cp, cp);
                            }
                        }
                    }
                }
            }
            Tolerance.assertClose(result.mergedTokens().toFloatArray(), expectedMerged, 1e-5, "merged tokens");
            // Hard labels: identical, except where the two clusters are equally near up to float rounding (zero-padded
            // windows produce near-identical centres, and batched and single products may round differently).
            long[] labels = result.mergedHardLabels().toLongArray();
            float[] merged = result.mergedTokens().toFloatArray();
            for (int t = 0; t < labels.length; t++) {
                if (labels[t] != expectedLabels[t]) {
                    int bi = t / (bigH * bigW);
                    double got = squaredDistance(tok, t * c, merged, (int) (bi * mh * mw + labels[t]) * c, c);
                    double want = squaredDistance(tok, t * c, merged, (int) (bi * mh * mw + expectedLabels[t]) * c, c);
                    assertThat(Math.abs(got - want)).as("label of token %d: %d vs %d", t, labels[t], expectedLabels[t])
                            .isLessThanOrEqualTo(1e-5 * Math.max(1, want));
                    // Naive unpooling copies the chosen cluster, so expect that one for this token.
                    System.arraycopy(xv, (int) (bi * mh * mw + labels[t]) * cp, expectedNaive, t * cp, cp);
                }
            }
            Tolerance.assertClose(result.reconstruction(k).restore(x).toFloatArray(), expectedRecon, 1e-5,
                    "reconstruction");
            Tolerance.assertClose(result.naiveUnpooling().restore(x).toFloatArray(), expectedNaive, 0, "naive");
            assertThat(result.originalTokens()).isEqualTo(bigH * bigW);
        }
    }

    private static double squaredDistance(float[] a, int ai, float[] b, int bi, int c) {
        double sum = 0;
        for (int i = 0; i < c; i++) {
            double d = a[ai + i] - b[bi + i];
            sum += d * d;
        }
        return sum;
    }
}
