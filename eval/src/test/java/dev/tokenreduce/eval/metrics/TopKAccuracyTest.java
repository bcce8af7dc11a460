package dev.tokenreduce.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class TopKAccuracyTest {

    private static final float[] LOGITS = {
        0, 1, 9, 2, 3, 4, // label 2 is best: top-1 and top-5
        6, 5, 4, 3, 2, 1, // label 5 is last (rank 5): neither
        1, 6, 2, 5, 3, 4, // label 4 (score 3) has rank 3: top-5 only
    };

    @Test
    void handComputedTop1AndTop5() {
        TopKAccuracy acc = new TopKAccuracy().add(LOGITS, 6, new int[] {2, 5, 4});
        assertThat(acc.samples()).isEqualTo(3);
        assertThat(acc.top1()).isEqualTo(1.0 / 3);
        assertThat(acc.top5()).isEqualTo(2.0 / 3);
    }

    @Test
    void tiesResolveTowardsLowerIndices() {
        float[] flat = new float[6];
        assertThat(TopKAccuracy.rank(flat, 0, 6, 0, 0)).isZero();
        assertThat(TopKAccuracy.rank(flat, 0, 6, 5, 0)).isEqualTo(5);
        TopKAccuracy acc = new TopKAccuracy().add(flat, 6, new int[] {5});
        assertThat(acc.top5()).isZero();
    }

    @Test
    void ndArraysMergeAndErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            TopKAccuracy nd = new TopKAccuracy().add(m.create(LOGITS, new Shape(3, 6)),
                    m.create(new long[] {2, 5, 4}));
            assertThat(nd.top1()).isEqualTo(1.0 / 3);
            assertThat(nd.merge(new TopKAccuracy().add(LOGITS, 6, new int[] {2, 5, 4})).samples()).isEqualTo(6);
        }
        assertThat(new TopKAccuracy().top1()).isNaN();
        assertThatThrownBy(() -> new TopKAccuracy().add(LOGITS, 6, new int[] {2, 6, 4}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("label 6");
        assertThatThrownBy(() -> new TopKAccuracy().add(LOGITS, 5, new int[] {2, 5, 4}))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new TopKAccuracy().add(new float[] {Float.NaN, 1}, 2, new int[] {1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
    }
}
