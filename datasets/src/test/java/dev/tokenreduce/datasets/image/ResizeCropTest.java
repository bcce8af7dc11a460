package dev.tokenreduce.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class ResizeCropTest {

    @Test
    void bilinearUpsampleMatchesHalfPixelRule() {
        // One row [0, 100] to width 4: sample points -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        RgbImage image = new RgbImage(2, 1, new byte[] {0, 0, 0, 100, 100, 100});
        RgbImage up = Resize.bilinear(image, new ImageSize(4, 1));
        assertThat(new int[] {up.get(0, 0, 0), up.get(1, 0, 0), up.get(2, 0, 0), up.get(3, 0, 0)})
                .containsExactly(0, 25, 75, 100);
        float[] f = Resize.bilinear(new float[] {0f, 100f}, 1, new ImageSize(2, 1), new ImageSize(4, 1));
        assertThat(f).containsExactly(0f, 25f, 75f, 100f);
    }

    @Test
    void floatBilinearHandlesChannelsAndDownsampling() {
        // 2 channels, 2x2 -> 1x1: the centre sample averages all four pixels.
        float[] chw = {0, 1, 2, 3, 10, 20, 30, 40};
        float[] out = Resize.bilinear(chw, 2, new ImageSize(2, 2), new ImageSize(1, 1));
        assertThat(out).containsExactly(new float[] {1.5f, 25f}, within(1e-6f));
        assertThatThrownBy(() -> Resize.bilinear(chw, 3, new ImageSize(2, 2), new ImageSize(1, 1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("3x2x2");
    }

    @Test
    void nearestLabelsFollowOpenCvRule() {
        LabelMap labels = new LabelMap(2, 2, new int[] {1, 2, 3, 4});
        LabelMap up = Resize.nearest(labels, new ImageSize(4, 4));
        assertThat(up.data()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
        LabelMap wide = new LabelMap(3, 1, new int[] {7, 8, 300});
        assertThat(Resize.nearest(wide, new ImageSize(2, 1)).data()).containsExactly(7, 8);
        DepthMap depth = new DepthMap(2, 1, new float[] {0f, 2f});
        assertThat(Resize.nearest(depth, new ImageSize(4, 2)).data()).containsExactly(0f, 0f, 2f, 2f, 0f, 0f, 2f,
                2f);
    }

    @Test
    void sizeRules() {
        assertThat(SizeRule.shortestSide(224).apply(new ImageSize(640, 480))).isEqualTo(new ImageSize(298, 224));
        assertThat(SizeRule.shortestSide(224).apply(new ImageSize(300, 600))).isEqualTo(new ImageSize(224, 448));
        assertThat(SizeRule.keepRatio(2048, 512).apply(new ImageSize(1000, 500))).isEqualTo(new ImageSize(1024, 512));
        assertThat(SizeRule.keepRatio(2048, 512).apply(new ImageSize(683, 512))).isEqualTo(new ImageSize(683, 512));
        assertThat(SizeRule.keepRatio(512, 2048).apply(new ImageSize(4000, 100))).isEqualTo(new ImageSize(2048, 51));
        assertThat(SizeRule.fixed(16, 8).apply(new ImageSize(3, 3))).isEqualTo(new ImageSize(16, 8));
    }

    @Test
    void cropCenterCropAndPad() {
        LabelMap labels = new LabelMap(4, 3, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        assertThat(Crops.crop(labels, 1, 1, 2, 2).data()).containsExactly(5, 6, 9, 10);
        assertThat(Crops.centerCrop(labels, new ImageSize(2, 1)).data()).containsExactly(5, 6);
        LabelMap padded = Crops.pad(labels, new ImageSize(5, 4), 255);
        assertThat(padded.get(3, 2)).isEqualTo(11);
        assertThat(padded.get(4, 0)).isEqualTo(255);
        assertThat(padded.get(0, 3)).isEqualTo(255);

        RgbImage image = RgbImage.filled(3, 2, 1, 2, 3);
        RgbImage p = Crops.pad(image, new ImageSize(4, 4), 9, 8, 7);
        assertThat(p.get(2, 1, 2)).isEqualTo(3);
        assertThat(p.get(3, 3, 0)).isEqualTo(9);
        assertThat(Crops.roundUpToMultiple(new ImageSize(17, 32), 16)).isEqualTo(new ImageSize(32, 32));

        assertThatThrownBy(() -> Crops.crop(labels, 3, 0, 2, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("inside the image 4x3");
        assertThatThrownBy(() -> Crops.centerCrop(image, new ImageSize(4, 2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("larger");
    }

    @Test
    void reduceZeroLabel() {
        LabelMap raw = new LabelMap(4, 1, new int[] {0, 1, 150, 255});
        assertThat(raw.reduceZeroLabel(255).data()).containsExactly(255, 0, 149, 255);
    }

    @Test
    void padToSquareCentresTheImageOnTheFillColour() {
        // 3 wide, 1 high: pixels (10,20,30) (40,50,60) (70,80,90) -> a 3x3 canvas, the row at y = (3 - 1) / 2 = 1
        RgbImage wide = new RgbImage(3, 1, new byte[] {10, 20, 30, 40, 50, 60, 70, 80, 90});
        RgbImage sq = Crops.padToSquare(wide, 122, 116, 104);
        assertThat(sq.size()).isEqualTo(new ImageSize(3, 3));
        for (int x = 0; x < 3; x++) {
            assertThat(new int[] {sq.get(x, 0, 0), sq.get(x, 0, 1), sq.get(x, 0, 2)}).containsExactly(122, 116, 104);
            assertThat(sq.get(x, 1, 0)).isEqualTo(10 + 30 * x);
            assertThat(sq.get(x, 2, 2)).isEqualTo(104);
        }
        // 2 wide, 5 high: columns offset by (5 - 2) / 2 = 1
        RgbImage tall = RgbImage.filled(2, 5, 200, 200, 200);
        RgbImage sq2 = Crops.padToSquare(tall, 0, 0, 0);
        assertThat(sq2.size()).isEqualTo(new ImageSize(5, 5));
        assertThat(sq2.get(0, 4, 0)).isZero();
        assertThat(sq2.get(1, 4, 0)).isEqualTo(200);
        assertThat(sq2.get(2, 0, 1)).isEqualTo(200);
        assertThat(sq2.get(3, 2, 2)).isZero();
        RgbImage square = RgbImage.filled(4, 4, 1, 2, 3);
        assertThat(Crops.padToSquare(square, 0, 0, 0)).isSameAs(square);
    }
}
