package dev.tokenreduce.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class DepthMetricsTest {

    @Test
    void handComputedSingleImageSkipsInvalidGroundTruth() {
        // Valid pairs (gt, pred): (1, 1), (2, 1.5), (4, 4); the last pixel has gt 0 (no measurement).
        DepthScores s = DepthMetrics.builder().build()
                .add(new float[] {1f, 1.5f, 4f, 5f}, new float[] {1f, 2f, 4f, 0f}, 2, 2).result();
        assertThat(s.absRel()).isCloseTo(0.25 / 3, within(1e-9));
        assertThat(s.sqRel()).isCloseTo(0.125 / 3, within(1e-9));
        assertThat(s.rmse()).isCloseTo(Math.sqrt(0.25 / 3), within(1e-9));
        assertThat(s.rmseLog()).isCloseTo(Math.abs(Math.log(0.75)) / Math.sqrt(3), within(1e-9));
        assertThat(s.delta1()).isCloseTo(2.0 / 3, within(1e-12)); // ratio 4/3 fails 1.25
        assertThat(s.delta2()).isEqualTo(1.0);
        assertThat(s.delta3()).isEqualTo(1.0);
        assertThat(s.validPixels()).isEqualTo(3);
        assertThat(s.images()).isEqualTo(1);
        assertThat(s.asMap()).containsKeys("abs_rel", "sq_rel", "rmse", "rmse_log", "d1", "d2", "d3");
    }

    @Test
    void imagesAreAveragedNotPixels() {
        DepthMetrics m = DepthMetrics.builder().build();
        m.add(new float[] {2f}, new float[] {1f}, 1, 1); // absRel 1
        m.add(new float[] {1f, 1f, 1f}, new float[] {1f, 1f, 1f}, 3, 1); // absRel 0
        assertThat(m.result().absRel()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rangeLimitsAndPredictionClamping() {
        DepthMetrics m = DepthMetrics.builder().optMinDepth(1).optMaxDepth(10).build();
        // gt 0.5 and 12 are outside (1, 10); gt 9 with pred 15 is clamped to 10; gt 3 with pred 0.2 clamped to 1.
        DepthScores s = m.add(new float[] {5f, 15f, 0.2f, 5f}, new float[] {0.5f, 9f, 3f, 12f}, 4, 1).result();
        assertThat(s.validPixels()).isEqualTo(2);
        assertThat(s.absRel()).isCloseTo((1.0 / 9 + 2.0 / 3) / 2, within(1e-9));
    }

    @Test
    void cropExcludesTheBorder() {
        float[] gt = new float[16];
        float[] pred = new float[16];
        java.util.Arrays.fill(gt, 2f);
        java.util.Arrays.fill(pred, 100f);
        for (int y = 1; y < 3; y++) {
            for (int x = 1; x < 3; x++) {
                pred[y * 4 + x] = 2f;
            }
        }
        DepthScores cropped = DepthMetrics.builder().optCrop(new DepthCrop(0.25, 0.75, 0.25, 0.75)).build()
                .add(pred, gt, 4, 4).result();
        assertThat(cropped.validPixels()).isEqualTo(4);
        assertThat(cropped.absRel()).isZero();
        assertThat(cropped.delta1()).isEqualTo(1.0);
        assertThat(DepthCrop.nyuEigen().bounds(640, 480)).containsExactly(45, 471, 41, 601);
        assertThat(DepthCrop.kittiGarg().bounds(1242, 375)).containsExactly(153, 372, 45, 1197);
    }

    @Test
    void medianScaling() {
        // Predictions are exactly twice the truth: median scaling removes the error entirely.
        DepthScores exact = DepthMetrics.builder().optMedianScaling(true).build()
                .add(new float[] {2f, 4f, 6f}, new float[] {1f, 2f, 3f}, 3, 1).result();
        assertThat(exact.absRel()).isCloseTo(0, within(1e-12));
        assertThat(exact.delta1()).isEqualTo(1.0);
        // Even count: median gt (2 + 3) / 2 = 2.5, median pred (4 + 6) / 2 = 5, ratio 0.5 -> pred 1, 2, 3, 50.
        DepthScores even = DepthMetrics.builder().optMedianScaling(true).build()
                .add(new float[] {2f, 4f, 6f, 100f}, new float[] {1f, 2f, 3f, 4f}, 4, 1).result();
        assertThat(even.absRel()).isCloseTo((46.0 / 4) / 4, within(1e-9));
        assertThat(even.rmse()).isCloseTo(Math.sqrt(46.0 * 46 / 4), within(1e-9));
    }

    @Test
    void invalidInputsAndEmptyImages() {
        DepthMetrics m = DepthMetrics.builder().build();
        m.add(new float[] {1f, 1f}, new float[] {0f, 0f}, 2, 1);
        assertThat(m.result().skippedImages()).isEqualTo(1);
        assertThat(m.result().absRel()).isNaN();
        assertThatThrownBy(() -> m.add(new float[] {0f}, new float[] {1f}, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minimum depth");
        assertThatThrownBy(() -> m.add(new float[] {Float.NaN}, new float[] {1f}, 1, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> m.add(new float[] {1f}, new float[] {1f, 2f}, 2, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ground-truth resolution");
        assertThatThrownBy(() -> DepthMetrics.builder().optMinDepth(5).optMaxDepth(2).build())
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void ndArraysAndMerge() {
        try (NDManager nd = NDManager.newBaseManager()) {
            DepthMetrics a = DepthMetrics.builder().build().add(
                    nd.create(new float[] {1f, 1.5f, 4f, 5f}, new Shape(1, 2, 2)),
                    nd.create(new float[] {1f, 2f, 4f, 0f}, new Shape(1, 2, 2)));
            assertThat(a.result().absRel()).isCloseTo(0.25 / 3, within(1e-9));
            DepthMetrics b = DepthMetrics.builder().build().add(new float[] {2f}, new float[] {1f}, 1, 1);
            assertThat(a.merge(b).result().images()).isEqualTo(2);
        }
    }
}
