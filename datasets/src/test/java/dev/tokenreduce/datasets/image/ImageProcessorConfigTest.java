package dev.tokenreduce.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLIP preprocessing (LLaVA-1.5) checked against values computed here, and preprocessor_config.json parsing. */
class ImageProcessorConfigTest {

    private static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

    @TempDir
    Path dir;

    private static double clip(int value, int channel) {
        return (value / 255.0 - MEAN[channel]) / STD[channel];
    }

    /** R = 5·x, G = 3·y, B = 7: every pixel tells where it came from. */
    private static RgbImage coded(int w, int h) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                data[i] = (byte) (5 * x);
                data[i + 1] = (byte) (3 * y);
                data[i + 2] = 7;
            }
        }
        return new RgbImage(w, h, data);
    }

    @Test
    void aConstantColourKeepsItsNormalisedValueThroughResizeAndCrop() {
        ImageProcessorConfig clip = ImageProcessorConfig.clip(20, Normalization.CLIP);
        assertThat(clip.resize().apply(new ImageSize(50, 30))).isEqualTo(new ImageSize(33, 20));
        RgbImage image = RgbImage.filled(50, 30, 200, 100, 30);
        assertThat(clip.preprocessor().prepare(image).size()).isEqualTo(new ImageSize(20, 20));
        float[] chw = clip.preprocessor().toChw(image);
        assertThat(chw).hasSize(3 * 20 * 20);
        int[] rgb = {200, 100, 30};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 400; p++) {
                assertThat((double) chw[c * 400 + p]).as("channel %d pixel %d", c, p)
                        .isCloseTo(clip(rgb[c], c), within(1e-5));
            }
        }
    }

    @Test
    void theCropIsCentredOnTheLongSide() {
        // The short side already has the target size, so no resampling: only the crop moves pixels.
        ImageProcessorConfig clip = ImageProcessorConfig.clip(20, Normalization.CLIP);
        float[] wide = clip.preprocessor().toChw(coded(40, 20));
        int n = 20 * 20;
        // Column offset (40 − 20) / 2 = 10: output (x, y) is input (x + 10, y).
        assertThat((double) wide[0]).isCloseTo(clip(50, 0), within(1e-5));
        assertThat((double) wide[19]).isCloseTo(clip(5 * 29, 0), within(1e-5));
        assertThat((double) wide[n + 20 * 7 + 3]).isCloseTo(clip(3 * 7, 1), within(1e-5));
        assertThat((double) wide[2 * n + 55]).isCloseTo(clip(7, 2), within(1e-5));
        float[] tall = clip.preprocessor().toChw(coded(20, 41));
        // Row offset (41 − 20) / 2 = 10 (floor, as HF's centre crop).
        assertThat((double) tall[n]).isCloseTo(clip(30, 1), within(1e-5));
        assertThat((double) tall[n + 20 * 19 + 4]).isCloseTo(clip(3 * 29, 1), within(1e-5));
        assertThat((double) tall[4]).isCloseTo(clip(20, 0), within(1e-5));
    }

    @Test
    void preprocessorConfigOverridesTheDefaults() throws Exception {
        ImageProcessorConfig defaults = ImageProcessorConfig.clip(336, Normalization.CLIP);
        assertThat(ImageProcessorConfig.forModelDirectory(dir, defaults)).isSameAs(defaults);
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"image_processor_type": "CLIPImageProcessor", "do_resize": true, "size": {"shortest_edge": 8},
                 "resample": 2, "do_center_crop": true, "crop_size": {"height": 6, "width": 8},
                 "do_rescale": true, "rescale_factor": 0.00392156862745098,
                 "do_normalize": true, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.5, 0.5]}
                """);
        ImageProcessorConfig read = ImageProcessorConfig.forModelDirectory(dir, defaults);
        assertThat(read.resize().apply(new ImageSize(16, 32))).isEqualTo(new ImageSize(8, 16));
        assertThat(read.interpolation()).isEqualTo(Interpolation.BILINEAR);
        assertThat(read.centerCrop()).isEqualTo(new ImageSize(8, 6));
        float[] chw = read.preprocessor().toChw(RgbImage.filled(16, 32, 255, 0, 255));
        assertThat(chw).hasSize(3 * 6 * 8);
        assertThat(chw[0]).isCloseTo(2f, within(1e-6f));
        assertThat(chw[48]).isCloseTo(-1f, within(1e-6f));
        assertThat(chw[96]).isCloseTo(1f, within(1e-6f));

        Files.writeString(dir.resolve("preprocessor_config.json"),
                "{\"size\": 12, \"crop_size\": 10, \"do_normalize\": false}");
        ImageProcessorConfig ints = ImageProcessorConfig.forModelDirectory(dir, defaults);
        assertThat(ints.resize().apply(new ImageSize(24, 12))).isEqualTo(new ImageSize(24, 12));
        assertThat(ints.centerCrop()).isEqualTo(new ImageSize(10, 10));
        assertThat(ints.interpolation()).isEqualTo(Interpolation.BICUBIC);
        assertThat(ints.preprocessor().toChw(RgbImage.filled(12, 12, 51, 0, 0))[0]).isCloseTo(0.2f, within(1e-6f));

        Files.writeString(dir.resolve("preprocessor_config.json"),
                "{\"do_center_crop\": false, \"size\": {\"height\": 4, \"width\": 6}}");
        ImageProcessorConfig fixed = ImageProcessorConfig.forModelDirectory(dir, defaults);
        assertThat(fixed.centerCrop()).isNull();
        assertThat(fixed.preprocessor().prepare(RgbImage.filled(9, 9, 1, 2, 3)).size()).isEqualTo(new ImageSize(6, 4));
        assertThat(fixed.normalization().mean()).containsExactly((float) MEAN[0], (float) MEAN[1], (float) MEAN[2]);
    }

    @Test
    void unsupportedSettingsNameTheField() throws Exception {
        ImageProcessorConfig defaults = ImageProcessorConfig.clip(8, Normalization.CLIP);
        Path file = dir.resolve("preprocessor_config.json");
        Files.writeString(file, "{\"rescale_factor\": 0.5}");
        assertThatThrownBy(() -> ImageProcessorConfig.read(file, defaults)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("field 'rescale_factor'");
        Files.writeString(file, "{\"resample\": 1}");
        assertThatThrownBy(() -> ImageProcessorConfig.read(file, defaults)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("field 'resample'").hasMessageContaining("3 (bicubic)");
        Files.writeString(file, "{\"crop_size\": {\"height\": 4}}");
        assertThatThrownBy(() -> ImageProcessorConfig.read(file, defaults)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("field 'crop_size'");
        Files.writeString(file, "{\"image_std\": [1, 2]}");
        assertThatThrownBy(() -> ImageProcessorConfig.read(file, defaults)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("field 'image_std'");
        Files.writeString(file, "[1");
        assertThatThrownBy(() -> ImageProcessorConfig.read(file, defaults)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("not readable JSON");
    }
}
