package dev.tokenreduce.pruning.transprune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.token.TokenLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IGA against a plain scalar implementation of RMSNorm → q/k projections → RoPE → causal softmax → averages. */
class InstructionGuidedAttentionTest {

    private static final int C = 8;
    private static final int DH = 4;
    private static final double EPS = 1e-5;
    private static final double THETA = 10000;

    @ParameterizedTest(name = "heads {0}, kv heads {1}")
    @CsvSource({"2, 2", "4, 2", "4, 1"})
    void matchesScalarReference(int heads, int kvHeads) {
        // prefix 1, image 3, instruction 3; positions with a gap (as after a stage that kept original positions)
        TokenLayout layout = TokenLayout.sequence(1, 3, 3);
        int length = layout.total();
        long[] positions = {0, 1, 2, 5, 6, 7, 9};
        Random rnd = new Random(11);
        int batch = 2;
        float[][][] h = new float[batch][length][C];
        for (float[][] b : h) {
            for (float[] row : b) {
                for (int c = 0; c < C; c++) {
                    row[c] = (float) rnd.nextGaussian() * 2;
                }
            }
        }
        float[] norm = random(rnd, C, 1, 0.5);
        float[] wq = random(rnd, heads * DH * C, 0, 0.8);
        float[] wk = random(rnd, kvHeads * DH * C, 0, 0.8);
        try (NDManager m = NDManager.newBaseManager()) {
            IgaWeights w = IgaWeights.builder().setNormWeight(m.create(norm)).setNormEps(EPS)
                    .setQueryProjection(m.create(wq, new Shape(heads * DH, C)))
                    .setKeyProjection(m.create(wk, new Shape(kvHeads * DH, C)))
                    .setNumHeads(heads).optNumKvHeads(kvHeads).optRopeTheta(THETA).build();
            NDArray hidden = m.create(flatten(h), new Shape(batch, length, C));
            float[] iga = InstructionGuidedAttention.compute(hidden, m.create(positions).reshape(1, -1), layout, w)
                    .toFloatArray();
            assertThat(iga).hasSize(batch * 3);
            for (int b = 0; b < batch; b++) {
                double[] expected = scalarIga(h[b], positions, layout, norm, wq, wk, heads, kvHeads);
                for (int v = 0; v < 3; v++) {
                    assertThat((double) iga[b * 3 + v]).as("batch %d image %d", b, v).isCloseTo(expected[v], within(2e-6));
                }
            }
        }
    }

    @Test
    void noInstructionGivesZeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            IgaWeights w = IgaWeights.builder().setNormWeight(m.ones(new Shape(C))).setNormEps(EPS)
                    .setQueryProjection(m.ones(new Shape(DH, C))).setKeyProjection(m.ones(new Shape(DH, C)))
                    .setNumHeads(1).build();
            NDArray iga = InstructionGuidedAttention.compute(m.ones(new Shape(1, 4, C)), null,
                    TokenLayout.sequence(1, 3, 0), w);
            assertThat(iga.getShape()).isEqualTo(new Shape(1, 3));
            assertThat(iga.toFloatArray()).containsOnly(0f);
        }
    }

    /** Straightforward loops, in double. */
    private static double[] scalarIga(float[][] h, long[] pos, TokenLayout layout, float[] norm, float[] wq, float[] wk,
            int heads, int kvHeads) {
        int length = h.length;
        double[][] x = new double[length][C];
        for (int t = 0; t < length; t++) {
            double ms = 0;
            for (int c = 0; c < C; c++) {
                ms += (double) h[t][c] * h[t][c];
            }
            double inv = 1 / Math.sqrt(ms / C + EPS);
            for (int c = 0; c < C; c++) {
                x[t][c] = h[t][c] * inv * norm[c];
            }
        }
        int firstText = layout.prefix() + layout.visual();
        double[] iga = new double[layout.visual()];
        int texts = length - firstText;
        for (int i = firstText; i < length; i++) {
            for (int head = 0; head < heads; head++) {
                int kvHead = head / (heads / kvHeads);
                double[] q = rope(project(x[i], wq, head), pos[i]);
                double[] logits = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double[] k = rope(project(x[j], wk, kvHead), pos[j]);
                    double dot = 0;
                    for (int e = 0; e < DH; e++) {
                        dot += q[e] * k[e];
                    }
                    logits[j] = dot / Math.sqrt(DH);
                    max = Math.max(max, logits[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    logits[j] = Math.exp(logits[j] - max);
                    sum += logits[j];
                }
                for (int v = 0; v < layout.visual(); v++) {
                    iga[v] += logits[layout.prefix() + v] / sum / heads / texts;
                }
            }
        }
        return iga;
    }

    private static double[] project(double[] x, float[] w, int head) {
        double[] out = new double[DH];
        for (int e = 0; e < DH; e++) {
            for (int c = 0; c < C; c++) {
                out[e] += x[c] * w[(head * DH + e) * C + c];
            }
        }
        return out;
    }

    private static double[] rope(double[] v, long position) {
        double[] out = new double[DH];
        int half = DH / 2;
        for (int e = 0; e < half; e++) {
            double angle = position * Math.pow(THETA, -2.0 * e / DH);
            out[e] = v[e] * Math.cos(angle) - v[e + half] * Math.sin(angle);
            out[e + half] = v[e + half] * Math.cos(angle) + v[e] * Math.sin(angle);
        }
        return out;
    }

    private static float[] random(Random rnd, int n, double mean, double std) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + rnd.nextGaussian() * std);
        }
        return out;
    }

    private static float[] flatten(float[][][] a) {
        float[] out = new float[a.length * a[0].length * a[0][0].length];
        int i = 0;
        for (float[][] b : a) {
            for (float[] row : b) {
                for (float v : row) {
                    out[i++] = v;
                }
            }
        }
        return out;
    }
}
