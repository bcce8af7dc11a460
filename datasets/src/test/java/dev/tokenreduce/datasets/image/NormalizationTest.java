package dev.tokenreduce.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    // Two pixels: (255, 0, 128) and (0, 255, 51).
    private static final RgbImage TWO = new RgbImage(2, 1, new byte[] {(byte) 255, 0, (byte) 128, 0, (byte) 255, 51});

    @Test
    void imagenetChwValues() {
        float[] chw = Normalization.IMAGENET.toChw(TWO);
        assertThat(chw).hasSize(6);
        // Layout (3, 1, 2): R plane, G plane, B plane.
        assertThat(chw[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-5f));
        assertThat(chw[1]).isCloseTo((0f - 0.485f) / 0.229f, within(1e-5f));
        assertThat(chw[2]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-5f));
        assertThat(chw[3]).isCloseTo((1f - 0.456f) / 0.224f, within(1e-5f));
        assertThat(chw[4]).isCloseTo((128f / 255f - 0.406f) / 0.225f, within(1e-5f));
        assertThat(chw[5]).isCloseTo((0.2f - 0.406f) / 0.225f, within(1e-5f));
    }

    @Test
    void clipAndHalfPresets() {
        assertThat(Normalization.CLIP.toChw(TWO)[0]).isCloseTo((1f - 0.48145466f) / 0.26862954f, within(1e-5f));
        assertThat(Normalization.preset("half").toChw(TWO)).containsExactly(new float[] {1, -1, -1, 1,
                (128f / 255f - 0.5f) / 0.5f, -0.6f}, within(1e-5f));
        assertThatThrownBy(() -> Normalization.preset("bogus")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("imagenet, clip or half");
    }

    @Test
    void toRgbInvertsToChwAndClampsOutOfRangeValues() {
        assertThat(Normalization.IMAGENET.toRgb(Normalization.IMAGENET.toChw(TWO), 2, 1)).isEqualTo(TWO);
        assertThat(Normalization.CLIP.toRgb(Normalization.CLIP.toChw(TWO), 2, 1)).isEqualTo(TWO);
        // half: -1 -> 0, 1 -> 255; beyond the range clipped, NaN -> 0
        RgbImage clipped = Normalization.HALF.toRgb(new float[] {5, -5, 0, Float.NaN, 1, -1}, 2, 1);
        assertThat(clipped.get(0, 0, 0)).isEqualTo(255);
        assertThat(clipped.get(1, 0, 0)).isZero();
        assertThat(clipped.get(0, 0, 1)).isEqualTo(128);
        assertThat(clipped.get(1, 0, 1)).isZero();
        assertThat(clipped.get(0, 0, 2)).isEqualTo(255);
        assertThat(clipped.get(1, 0, 2)).isZero();
        assertThatThrownBy(() -> Normalization.HALF.toRgb(new float[5], 2, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expected 6 values");
    }

    @Test
    void batchNDArray() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = Normalization.IMAGENET.toNDArray(manager, List.of(TWO, TWO));
            assertThat(batch.getShape()).isEqualTo(new Shape(2, 3, 1, 2));
            float[] flat = batch.toFloatArray();
            float[] one = Normalization.IMAGENET.toChw(TWO);
            for (int i = 0; i < 6; i++) {
                assertThat(flat[i]).isEqualTo(one[i]);
                assertThat(flat[6 + i]).isEqualTo(one[i]);
            }
            assertThatThrownBy(() -> Normalization.IMAGENET.toNDArray(manager,
                    List.of(TWO, RgbImage.filled(1, 1, 0, 0, 0)))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("one size");
        }
    }

    @Test
    void preprocessorResizesCropsAndNormalises() {
        RgbImage image = RgbImage.filled(8, 4, 255, 255, 255);
        Preprocessor p = Preprocessor.builder().optResize(SizeRule.shortestSide(2))
                .optCenterCrop(new ImageSize(2, 2)).setNormalization(Normalization.HALF).build();
        assertThat(p.prepare(image).size()).isEqualTo(new ImageSize(2, 2));
        assertThat(p.toChw(image)).containsOnly(1f);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(p.toNDArray(manager, List.of(image)).getShape()).isEqualTo(new Shape(1, 3, 2, 2));
        }
        Preprocessor pad = Preprocessor.builder().optPadToMultiple(16, 0, 0, 0)
                .setNormalization(Normalization.IMAGENET).build();
        assertThat(pad.prepare(image).size()).isEqualTo(new ImageSize(16, 16));
        assertThat(pad.prepareLabel(LabelMap.filled(8, 4, 3), 255).get(10, 10)).isEqualTo(255);
        assertThatThrownBy(() -> Preprocessor.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("setNormalization");
    }
}
