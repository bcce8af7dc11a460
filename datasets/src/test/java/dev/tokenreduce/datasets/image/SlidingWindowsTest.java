package dev.tokenreduce.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingWindowsTest {

    @Test
    void windowsCoverTheImageAndStayInside() {
        ImageSize image = new ImageSize(23, 17);
        List<Window> windows = SlidingWindows.plan(image, new ImageSize(8, 8), 5);
        int[] covered = new int[image.pixels()];
        for (Window w : windows) {
            assertThat(w.size()).isEqualTo(new ImageSize(8, 8));
            assertThat(w.x() + w.width()).isLessThanOrEqualTo(23);
            assertThat(w.y() + w.height()).isLessThanOrEqualTo(17);
            for (int y = w.y(); y < w.y() + w.height(); y++) {
                for (int x = w.x(); x < w.x() + w.width(); x++) {
                    covered[y * 23 + x]++;
                }
            }
        }
        assertThat(Arrays.stream(covered).min().getAsInt()).isGreaterThanOrEqualTo(1);
        // (23 - 8 + 4) / 5 + 1 = 4 columns, (17 - 8 + 4) / 5 + 1 = 3 rows; last ones end at the border.
        assertThat(windows).hasSize(12);
        assertThat(windows.get(3)).isEqualTo(new Window(15, 0, 8, 8));
        assertThat(windows.get(11)).isEqualTo(new Window(15, 9, 8, 8));
    }

    @Test
    void imageSmallerThanCropGivesOneWholeWindow() {
        assertThat(SlidingWindows.plan(new ImageSize(5, 4), new ImageSize(8, 8), 4))
                .containsExactly(new Window(0, 0, 5, 4));
        assertThatThrownBy(() -> SlidingWindows.plan(new ImageSize(5, 4), new ImageSize(2, 2), 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("never be covered");
    }

    @Test
    void stitchingAConstantGivesTheConstant() {
        ImageSize image = new ImageSize(13, 9);
        List<Window> windows = SlidingWindows.plan(image, new ImageSize(6, 5), 4, 3);
        List<float[]> logits = new ArrayList<>();
        for (Window w : windows) {
            float[] l = new float[2 * w.width() * w.height()];
            Arrays.fill(l, 0, w.width() * w.height(), 3.5f);
            Arrays.fill(l, w.width() * w.height(), l.length, -1f);
            logits.add(l);
        }
        float[] out = LogitStitcher.stitch(windows, logits, 2, image);
        for (int p = 0; p < image.pixels(); p++) {
            assertThat(out[p]).isEqualTo(3.5f);
            assertThat(out[image.pixels() + p]).isEqualTo(-1f);
        }
    }

    @Test
    void stitchingAveragesOverlaps() {
        ImageSize image = new ImageSize(3, 1);
        List<Window> windows = List.of(new Window(0, 0, 2, 1), new Window(1, 0, 2, 1));
        float[] out = LogitStitcher.stitch(windows, List.of(new float[] {1, 3}, new float[] {5, 7}), 1, image);
        assertThat(out).containsExactly(1f, 4f, 7f);
        assertThatThrownBy(() -> new LogitStitcher(1, new ImageSize(4, 1)).add(windows.get(0), new float[] {1, 2})
                .result()).isInstanceOf(InvalidInputException.class).hasMessageContaining("covered by no window");
    }

    @Test
    void ndArrayStitchingMatchesFloatStitching() {
        ImageSize image = new ImageSize(11, 7);
        List<Window> windows = SlidingWindows.plan(image, new ImageSize(5, 4), 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.randomUniform(-1, 1, new Shape(windows.size(), 3, 4, 5));
            List<float[]> parts = new ArrayList<>();
            float[] all = batch.toFloatArray();
            int per = 3 * 4 * 5;
            for (int i = 0; i < windows.size(); i++) {
                parts.add(Arrays.copyOfRange(all, i * per, (i + 1) * per));
            }
            float[] expected = LogitStitcher.stitch(windows, parts, 3, image);
            NDArray stitched = LogitStitcher.stitch(manager, windows, batch, image);
            assertThat(stitched.getShape()).isEqualTo(new Shape(3, 7, 11));
            assertThat(stitched.toFloatArray()).containsExactly(expected, within(1e-6f));

            NDArray constant = manager.full(new Shape(windows.size(), 3, 4, 5), 2.25f);
            assertThat(LogitStitcher.stitch(manager, windows, constant, image).toFloatArray()).containsOnly(2.25f);
        }
    }
}
