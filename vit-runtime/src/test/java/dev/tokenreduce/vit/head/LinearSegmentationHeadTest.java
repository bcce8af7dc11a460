package dev.tokenreduce.vit.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.ModelFormatException;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head shapes and layout, and bilinear upsampling against hand-computed align_corners=False values. */
class LinearSegmentationHeadTest {

    @Test
    void logitsAreLaidOutOnThePatchGrid() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 3 classes, 2 channels: class k = (k+1)·channel0 − channel1 + k
            NDArray w = m.create(new float[] {1, -1, 2, -1, 3, -1}, new Shape(3, 2));
            NDArray b = m.create(new float[] {0, 1, 2});
            LinearSegmentationHead head = new LinearSegmentationHead(w, b);
            GridSize grid = new GridSize(2, 3);
            float[] tokens = new float[2 * 6 * 2];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = i * 0.25f;
            }
            NDArray x = m.create(tokens, new Shape(2, 6, 2));
            NDArray map = head.logitMap(x, grid, m);
            assertThat(map.getShape()).isEqualTo(new Shape(2, 3, 2, 3));
            // batch 1, class 2, row 1, col 0 = token 3 of image 1
            float c0 = tokens[(6 + 3) * 2];
            float c1 = tokens[(6 + 3) * 2 + 1];
            assertThat(map.getFloat(1, 2, 1, 0)).isCloseTo(3 * c0 - c1 + 2, Offset.offset(1e-5f));
            assertThat(head.numClasses()).isEqualTo(3);
            assertThat(head.channels()).isEqualTo(2);
            assertThatThrownBy(() -> head.tokenLogits(m.zeros(new Shape(1, 6, 5)), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(B, N, 2)");
        }
    }

    @Test
    void bilinearMatchesAlignCornersFalse() {
        // torch: F.interpolate(tensor([[[[0., 1.]]]]) ... 1x2 -> 1x4, bilinear, align_corners=False
        // gives [0, 0.25, 0.75, 1]; the row axis 1 -> 2 copies.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            NDArray y = BilinearUpsample.apply(x, 2, 4, m);
            assertThat(y.getShape()).isEqualTo(new Shape(1, 1, 2, 4));
            assertThat(y.toFloatArray()).containsExactly(new float[] {0, 0.25f, 0.75f, 1, 0, 0.25f, 0.75f, 1},
                    Offset.offset(1e-6f));
        }
        // 2 -> 5: s = (o + 0.5)·0.4 − 0.5 = -0.3 (clamped 0), 0.1, 0.5, 0.9, 1.3 (clamped to the last)
        float[] m25 = BilinearUpsample.matrix(2, 5);
        assertThat(m25).containsExactly(new float[] {1, 0, 0.9f, 0.1f, 0.5f, 0.5f, 0.1f, 0.9f, 0, 1},
                Offset.offset(1e-6f));
        // every row is a convex combination
        float[] m = BilinearUpsample.matrix(20, 160);
        for (int r = 0; r < 160; r++) {
            float sum = 0;
            for (int c = 0; c < 20; c++) {
                sum += m[r * 20 + c];
            }
            assertThat(sum).isCloseTo(1f, Offset.offset(1e-6f));
        }
    }

    @Test
    void loadsMmsegConvNamingAndRejectsMissingHeads(@TempDir Path dir) {
        Path file = dir.resolve("mmseg.safetensors");
        Path empty = dir.resolve("empty.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2, 1, 1));
            SafetensorsWriter.write(file, Map.of(
                    LinearSegmentationHead.MMSEG_WEIGHT, w,
                    LinearSegmentationHead.MMSEG_BIAS, m.create(new float[] {7, 8, 9})), null);
            SafetensorsWriter.write(empty, Map.of("other", w), null);
            try (SafetensorsCheckpoint c =
                    SafetensorsCheckpoint.open(file)) {
                LinearSegmentationHead head = LinearSegmentationHead.load(c, m);
                assertThat(head.weight().getShape()).isEqualTo(new Shape(3, 2));
                assertThat(head.weight().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
                assertThat(head.bias().toFloatArray()).containsExactly(7, 8, 9);
            }
            try (SafetensorsCheckpoint c =
                    SafetensorsCheckpoint.open(empty)) {
                assertThatThrownBy(() -> LinearSegmentationHead.load(c, m))
                        .isInstanceOf(ModelFormatException.class)
                        .hasMessageContaining(LinearSegmentationHead.WEIGHT);
            }
        }
    }

    @Test
    void sameSizeIsIdentityAndBadInputFails() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(1, 2, 3, 3));
            assertThat(BilinearUpsample.apply(x, 3, 3, m)).isSameAs(x);
            assertThatThrownBy(() -> BilinearUpsample.apply(m.zeros(new Shape(2, 3, 3)), 4, 4, m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(B, K, h, w)");
        }
    }
}
