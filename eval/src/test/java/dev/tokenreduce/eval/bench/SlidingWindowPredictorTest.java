package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.eval.flops.FlopCount;
import dev.tokenreduce.eval.flops.VitShape;
import dev.tokenreduce.vit.head.BilinearUpsample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlidingWindowPredictorTest {

    @TempDir
    Path dir;

    private static final String RANDOM = "name: random-32\nsteps:\n  - {op: random, at: {block: 1}, params: {keep: 32,"
            + " seed: 3}}\n";

    private static NDArray randomPixels(NDManager m, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] f = new float[3 * h * w];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return m.create(f, new Shape(1, 3, h, w));
    }

    @Test
    void exactTilingEqualsPerWindowPredictionsSideBySide() {
        Path model = TinySegModels.write(dir.resolve("m"), 5, 2);
        Policy random = PolicyLoader.withDefaults().parse(RANDOM, false, "r.yaml", "r", null);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            // 2 x 3 windows of 64 x 64, no overlap
            NDArray pixels = randomPixels(m, 128, 192, 11);
            Policy expedit = PolicyLoader.withDefaults().parse(DenseBenchmarkTest.EXPEDIT, false, "e.yaml", "e", null);
            // windows of one forward are batch rows; a random selection draws per row, so it is compared with
            // one window per forward (a deterministic reduction gives the same tokens batched or not)
            for (Policy policy : List.of(Policy.none(), expedit, random)) {
                SlidingWindowPredictor slide = SlidingWindowPredictor.builder().setPredictor(p)
                        .setCrop(new ImageSize(64, 64)).setStride(64, 64)
                        .optWindowBatch(policy == random ? 1 : 0).build();
                DensePrediction out = slide.predict(pixels, policy, m, 5);
                assertThat(out.logits().getShape()).isEqualTo(new Shape(1, 5, 128, 192));
                assertThat(out.windows()).isEqualTo(6);
                assertThat(out.gridTokens().getShape()).isEqualTo(new Shape(6, 64, 64));
                assertThat(out.grid()).isEqualTo(GridSize.square(8));
                float[] got = out.logits().toFloatArray();
                for (int wy = 0; wy < 2; wy++) {
                    for (int wx = 0; wx < 3; wx++) {
                        NDArray crop = pixels.get(new NDIndex(":, :, {}:{}, {}:{}", 64 * wy, 64 * wy + 64, 64 * wx,
                                64 * wx + 64));
                        DensePrediction one = p.predict(crop, policy, m, 5);
                        float[] expected = BilinearUpsample.apply(one.logits(), 64, 64, m).toFloatArray();
                        float[] placed = new float[expected.length];
                        for (int c = 0; c < 5; c++) {
                            for (int y = 0; y < 64; y++) {
                                System.arraycopy(got, (c * 128 + 64 * wy + y) * 192 + 64 * wx, placed,
                                        (c * 64 + y) * 64, 64);
                            }
                        }
                        Tolerance.assertClose(placed, expected, 1e-5, policy.name() + " window " + wy + "," + wx);
                    }
                }
                if (!policy.isEmpty()) {
                    assertThat(out.records()).isNotEmpty();
                    assertThat(out.windowRecords().get(0)).isEqualTo(out.records());
                    assertThat(out.windowRecords()).allSatisfy(r -> assertThat(r).extracting(
                            ReductionRecord::tokensOut).isEqualTo(out.records().stream()
                            .map(ReductionRecord::tokensOut).toList()));
                }
            }
        }
    }

    @Test
    void windowBatchesGiveTheSameLogitsAsOneBatch() {
        Path model = TinySegModels.write(dir.resolve("m"), 4, 1);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            NDArray pixels = randomPixels(m, 96, 112, 3);
            SlidingWindowPredictor.Builder b = SlidingWindowPredictor.builder().setPredictor(p)
                    .setCrop(new ImageSize(64, 64)).setStride(40, 32);
            DensePrediction all = b.build().predict(pixels, Policy.none(), m, 0);
            DensePrediction oneByOne = b.optWindowBatch(1).build().predict(pixels, Policy.none(), m, 0);
            // rows 0, 32 and columns 0, 40, 48
            assertThat(all.windows()).isEqualTo(6);
            assertThat(oneByOne.windows()).isEqualTo(6);
            float[] a = all.logits().toFloatArray();
            float[] o = oneByOne.logits().toFloatArray();
            Tolerance.assertClose(o, a, 1e-5, "one window per forward vs all windows in one");
            assertThat(oneByOne.gridTokens().getShape()).isEqualTo(all.gridTokens().getShape());
        }
    }

    @Test
    void overlapsAreAveragedAndSmallImagesArePaddedToTheCrop() {
        try (NDManager m = NDManager.newBaseManager()) {
            WindowValuePredictor stub = new WindowValuePredictor();
            SlidingWindowPredictor slide = SlidingWindowPredictor.builder().setPredictor(stub)
                    .setCrop(new ImageSize(8, 8)).setStride(4, 4).build();
            // channel 0 holds each pixel's column: window x=0 predicts 0 everywhere, window x=4 predicts 4
            float[] columns = new float[3 * 6 * 12];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = i % 12;
            }
            NDArray pixels = m.create(columns, new Shape(1, 3, 6, 12));
            DensePrediction out = slide.predict(pixels, Policy.none(), m, 0);
            assertThat(out.windows()).isEqualTo(2);
            // 6 rows are fewer than the crop: one row of windows, 6 high, padded to 8 for the model
            assertThat(stub.seen).containsExactly(new Shape(2, 3, 8, 8));
            assertThat(out.logits().getShape()).isEqualTo(new Shape(1, 2, 6, 12));
            float[] l = out.logits().toFloatArray();
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 12; x++) {
                        float expected = x < 4 ? 0f : x < 8 ? 2f : 4f;
                        assertThat(l[(c * 6 + y) * 12 + x]).as("c%d y%d x%d", c, y, x).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void badSettingsAreRejected() {
        WindowValuePredictor stub = new WindowValuePredictor();
        assertThatThrownBy(() -> SlidingWindowPredictor.builder().setPredictor(stub).setCrop(new ImageSize(8, 8))
                .setStride(12, 4).build()).isInstanceOf(InvalidInputException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> SlidingWindowPredictor.builder().setPredictor(stub).setCrop(new ImageSize(8, 8))
                .setStride(0, 4).build()).isInstanceOf(InvalidInputException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> SlidingWindowPredictor.builder().setPredictor(stub).setCrop(new ImageSize(10, 8))
                .setStride(4, 4).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("patch size 4");
        try (NDManager m = NDManager.newBaseManager()) {
            SlidingWindowPredictor slide = SlidingWindowPredictor.builder().setPredictor(stub)
                    .setCrop(new ImageSize(8, 8)).setStride(8, 8).build();
            assertThatThrownBy(() -> slide.predict(m.zeros(new Shape(2, 3, 16, 16)), Policy.none(), m, 0))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("one image");
        }
    }

    /**
     * A stand-in model (patch 4, 2 classes) whose logits are the window's top-left channel-0 pixel everywhere, at
     * the crop's resolution (so the bilinear resize is the identity).
     */
    private static final class WindowValuePredictor implements DensePredictor {
        final List<Shape> seen = new ArrayList<>();

        @Override
        public DensePrediction predict(NDArray pixels, Policy policy, NDManager scope, long seed) {
            seen.add(pixels.getShape());
            long n = pixels.getShape().get(0);
            NDArray corner = pixels.get(":, 0:1, 0:1, 0:1").toType(DataType.FLOAT32, false);
            NDArray logits = corner.broadcast(new Shape(n, 1, pixels.getShape().get(2), pixels.getShape().get(3)))
                    .repeat(1, 2);
            logits.attach(scope);
            NDArray tokens = scope.zeros(new Shape(n, 4, 1));
            return new DensePrediction(logits, tokens, null, List.of(), GridSize.square(2));
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public Normalization normalization() {
            return Normalization.HALF;
        }

        @Override
        public int imageSize() {
            return 8;
        }

        @Override
        public int patchSize() {
            return 4;
        }

        @Override
        public VitShape shape(GridSize grid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FlopCount headFlops(GridSize grid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of();
        }

        @Override
        public void close() {}
    }
}
