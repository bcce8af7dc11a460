package dev.tokenreduce.vit.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.vit.config.PositionResampling;
import org.junit.jupiter.api.Test;

/** Properties of the 1-D bicubic weight matrices (the 2-D match with timm is pinned by the 80×96 fixtures). */
class BicubicWeightsTest {

    @Test
    void sameSizeIsTheIdentity() {
        for (PositionResampling mode : PositionResampling.values()) {
            float[] m = BicubicWeights.matrix(7, 7, mode);
            for (int o = 0; o < 7; o++) {
                for (int i = 0; i < 7; i++) {
                    assertThat(m[o * 7 + i]).as("%s [%d,%d]", mode, o, i).isCloseTo(o == i ? 1f : 0f, within(1e-7f));
                }
            }
        }
    }

    @Test
    void rowsSumToOne() {
        for (PositionResampling mode : PositionResampling.values()) {
            for (int[] io : new int[][] {{8, 10}, {8, 12}, {37, 50}, {24, 16}, {3, 1}, {1, 4}}) {
                float[] m = BicubicWeights.matrix(io[0], io[1], mode);
                for (int o = 0; o < io[1]; o++) {
                    double sum = 0;
                    for (int i = 0; i < io[0]; i++) {
                        sum += m[o * io[0] + i];
                    }
                    assertThat(sum).as("%s %d->%d row %d", mode, io[0], io[1], o).isCloseTo(1.0, within(1e-6));
                }
            }
        }
    }

    @Test
    void antialiasedAndPlainDifferAtTheBorderAndInTheKernel() {
        // 8 -> 10: plain bicubic replicates the edge (a = -0.75), the antialiased kernel renormalises (a = -0.5)
        float[] aa = BicubicWeights.matrix(8, 10, PositionResampling.TIMM_ANTIALIAS);
        float[] plain = BicubicWeights.matrix(8, 10, PositionResampling.BICUBIC);
        double maxDiff = 0;
        for (int i = 0; i < aa.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(aa[i] - plain[i]));
        }
        assertThat(maxDiff).isGreaterThan(1e-2);
        // keys kernel values
        assertThat(BicubicWeights.keys(0, -0.5)).isEqualTo(1.0);
        assertThat(BicubicWeights.keys(1, -0.5)).isCloseTo(0.0, within(1e-12));
        assertThat(BicubicWeights.keys(0.5, -0.5)).isCloseTo(0.5625, within(1e-12));
        assertThat(BicubicWeights.keys(1.5, -0.5)).isCloseTo(-0.0625, within(1e-12));
    }
}
