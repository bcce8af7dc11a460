package dev.tokenreduce.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.LabelMap;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // gt:   0 0 1 1 2 255
    // pred: 0 1 1 1 0 2
    private static final int[] GT = {0, 0, 1, 1, 2, 255};
    private static final int[] PRED = {0, 1, 1, 1, 0, 2};

    @Test
    void handComputedScoresWithIgnoreIndex() {
        ConfusionMatrix cm = ConfusionMatrix.of(3).add(PRED, GT);
        assertThat(cm.ignoredPixels()).isEqualTo(1);
        assertThat(cm.evaluatedPixels()).isEqualTo(5);
        assertThat(cm.counts()).isEqualTo(new long[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 0}});
        // class 0: TP 1, union 2 + 2 - 1 = 3; class 1: TP 2, union 2 + 3 - 2 = 3; class 2: TP 0, union 1.
        assertThat(cm.iou()).containsExactly(new double[] {1.0 / 3, 2.0 / 3, 0.0}, within(1e-12));
        assertThat(cm.meanIoU()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(cm.pixelAccuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(cm.classAccuracy()).containsExactly(new double[] {0.5, 1.0, 0.0}, within(1e-12));
        assertThat(cm.meanClassAccuracy()).isCloseTo(0.5, within(1e-12));
        SegmentationScores s = cm.scores();
        assertThat(s.classesPresent()).isEqualTo(3);
        assertThat(s.images()).isEqualTo(1);
        assertThat(s.asMap()).containsKeys("mIoU", "aAcc", "mAcc");
    }

    @Test
    void classesAbsentFromBothAreLeftOutOfTheMean() {
        ConfusionMatrix cm = ConfusionMatrix.of(5).add(PRED, GT);
        double[] iou = cm.iou();
        assertThat(iou[3]).isNaN();
        assertThat(iou[4]).isNaN();
        assertThat(cm.meanIoU()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(cm.scores().classesPresent()).isEqualTo(3);
        // A class only predicted (never in GT) counts, with IoU 0.
        ConfusionMatrix predictedOnly = ConfusionMatrix.of(5).add(new int[] {4, 1}, new int[] {1, 1});
        assertThat(predictedOnly.iou()[4]).isEqualTo(0.0);
        assertThat(predictedOnly.meanIoU()).isCloseTo((0.5 + 0.0) / 2, within(1e-12));
        assertThat(ConfusionMatrix.of(2).meanIoU()).isNaN();
    }

    @Test
    void reduceZeroLabel() {
        ConfusionMatrix cm = ConfusionMatrix.builder().setNumClasses(2).optReduceZeroLabel(true).build();
        // raw gt 0 -> ignored, 1 -> class 0, 2 -> class 1, 255 stays ignored.
        cm.add(new int[] {1, 0, 1, 0, 1}, new int[] {0, 1, 2, 2, 255});
        assertThat(cm.ignoredPixels()).isEqualTo(2);
        assertThat(cm.counts()).isEqualTo(new long[][] {{1, 0}, {1, 1}});
        assertThat(cm.iou()).containsExactly(new double[] {0.5, 0.5}, within(1e-12));
        assertThat(cm.pixelAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void badInputsAreRejectedClearly() {
        assertThatThrownBy(() -> ConfusionMatrix.of(150).add(new int[] {0}, new int[] {150}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1 ground-truth pixels")
                .hasMessageContaining("reduce-zero-label");
        assertThatThrownBy(() -> ConfusionMatrix.of(3).add(new int[] {3}, new int[] {0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("prediction 3");
        assertThatThrownBy(() -> ConfusionMatrix.of(3).add(new int[] {0, 1}, new int[] {0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("label resolution");
        assertThatThrownBy(() -> ConfusionMatrix.builder().build()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ConfusionMatrix.builder().setNumClasses(300).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ignore index 255");
        // A rejected image leaves the matrix unchanged.
        ConfusionMatrix cm = ConfusionMatrix.of(3);
        assertThatThrownBy(() -> cm.add(new int[] {0, 0}, new int[] {0, 7})).isInstanceOf(InvalidInputException.class);
        assertThat(cm.evaluatedPixels()).isZero();
        assertThat(cm.images()).isZero();
    }

    @Test
    void mergeAndOverloadsAgree() {
        ConfusionMatrix a = ConfusionMatrix.of(3).add(PRED, GT);
        ConfusionMatrix b = ConfusionMatrix.of(3).add(new int[] {2, 2}, new int[] {2, 0});
        ConfusionMatrix both = ConfusionMatrix.of(3).add(PRED, GT).add(new int[] {2, 2}, new int[] {2, 0});
        assertThat(a.merge(b).counts()).isEqualTo(both.counts());
        assertThat(a.images()).isEqualTo(2);

        ConfusionMatrix fromMap = ConfusionMatrix.of(3).add(PRED, new LabelMap(3, 2, GT.clone()));
        assertThat(fromMap.counts()).isEqualTo(ConfusionMatrix.of(3).add(PRED, GT).counts());
        try (NDManager m = NDManager.newBaseManager()) {
            ConfusionMatrix nd = ConfusionMatrix.of(3).add(
                    m.create(new long[] {0, 1, 1, 1, 0, 2}, new Shape(2, 3)),
                    m.create(new int[] {0, 0, 1, 1, 2, 255}, new Shape(2, 3)));
            assertThat(nd.counts()).isEqualTo(fromMap.counts());
        }
    }
}
