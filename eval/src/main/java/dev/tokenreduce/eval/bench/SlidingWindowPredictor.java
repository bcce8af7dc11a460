package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.LogitStitcher;
import dev.tokenreduce.datasets.image.SlidingWindows;
import dev.tokenreduce.datasets.image.Window;
import dev.tokenreduce.vit.head.BilinearUpsample;
import java.util.ArrayList;
import java.util.List;

/**
 * Sliding-window inference of a {@link DensePredictor} on an image larger than its crop, with mmsegmentation's
 * {@code slide} semantics: windows of the crop size every stride pixels, the last row and column moved back to end
 * at the image border ({@link SlidingWindows#plan}); every window's logits are upsampled bilinearly to the crop
 * ({@code align_corners=False}) and the windows are stitched at pixel resolution, overlaps averaged
 * ({@link LogitStitcher}).
 *
 * <p>The policy runs on every window: windows are stacked into batches of {@link Builder#optWindowBatch} (default:
 * all windows of the image in one forward), and each batch row keeps its own reduction state. The prediction carries
 * every window's records so FLOPs per image are the sum over its windows. Deterministic reductions give the same
 * tokens batched or one window at a time; a seeded random reduction draws per batch row, so its choices depend on
 * the window batch (one window per forward repeats a single-crop run exactly).
 *
 * <p>An image smaller than the crop along an axis gets one window of the image's extent there (as in mmseg). mmseg
 * then runs that smaller crop as it is; here it is padded at the bottom/right with zeros in normalised space (the
 * normalisation mean colour) up to the crop, so every forward runs at the crop size the model was set up for and the
 * windows stack into one batch, and the padded part of the logits is cut off before stitching. With the usual
 * keep-ratio resize of the short side to the crop this only happens for extreme aspect ratios.
 *
 * <pre>{@code
 * SlidingWindowPredictor slide = SlidingWindowPredictor.builder().setPredictor(model)
 *         .setCrop(new ImageSize(512, 512)).setStride(341, 341).build();
 * DensePrediction p = slide.predict(pixels, policy, scope, seed); // pixels (1, 3, H, W) -> logits (1, K, H, W)
 * }</pre>
 */
public final class SlidingWindowPredictor {

    private final DensePredictor predictor;
    private final ImageSize crop;
    private final int strideX;
    private final int strideY;
    private final int windowBatch;

    private SlidingWindowPredictor(Builder b) {
        this.predictor = b.predictor;
        this.crop = b.crop;
        this.strideX = b.strideX;
        this.strideY = b.strideY;
        this.windowBatch = b.windowBatch;
    }

    /** A new builder; predictor, crop and stride are required. */
    public static Builder builder() {
        return new Builder();
    }

    public ImageSize crop() {
        return crop;
    }

    public int strideX() {
        return strideX;
    }

    public int strideY() {
        return strideY;
    }

    /** Windows per forward pass; 0 = all windows of an image at once. */
    public int windowBatch() {
        return windowBatch;
    }

    /** The windows over an image of {@code size}, row-major. */
    public List<Window> windows(ImageSize size) {
        return SlidingWindows.plan(size, crop, strideX, strideY);
    }

    /**
     * Sliding-window prediction of one image.
     *
     * @param pixels (1, 3, H, W) normalised with the predictor's normalisation, any H and W
     * @param scope receives every array of the result
     * @return logits (1, K, H, W) at pixel resolution, grid tokens (windows, cells, C), the first forward's state and
     *     records, the crop's grid and every window's records
     * @throws InvalidInputException for a batch of more than one image or a non-4-D input
     */
    public DensePrediction predict(NDArray pixels, Policy policy, NDManager scope, long seed) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(0) != 1) {
            throw new InvalidInputException("sliding-window inference: pixels must be one image (1, 3, H, W), got "
                    + s + " (images of different sizes cannot share a batch; windows are batched instead)");
        }
        ImageSize image = new ImageSize((int) s.get(3), (int) s.get(2));
        List<Window> windows = windows(image);
        int perForward = windowBatch == 0 ? windows.size() : windowBatch;
        List<NDArray> logits = new ArrayList<>(windows.size());
        List<NDArray> tokens = new ArrayList<>(windows.size());
        List<List<ReductionRecord>> records = new ArrayList<>(windows.size());
        DensePrediction first = null;
        for (int from = 0; from < windows.size(); from += perForward) {
            List<Window> chunk = windows.subList(from, Math.min(from + perForward, windows.size()));
            // the first forward's arrays stay in the caller's scope (its token state is returned); later ones are
            // freed once their logits and tokens are taken
            NDManager pass = first == null ? scope : scope.newSubManager();
            try {
                NDArray crops = crops(pixels, chunk, pass);
                DensePrediction p = predictor.predict(crops, policy, pass, seed);
                if (first == null) {
                    first = p;
                }
                NDArray up = BilinearUpsample.apply(p.logits().toType(DataType.FLOAT32, false), crop.height(),
                        crop.width(), pass);
                Window w0 = chunk.get(0);
                NDArray cut = up.get(new NDIndex(":, :, 0:{}, 0:{}", w0.height(), w0.width()));
                cut.attach(scope);
                NDArray t = p.gridTokens();
                t.attach(scope);
                tokens.add(t);
                for (int i = 0; i < chunk.size(); i++) {
                    NDArray one = cut.get(i);
                    one.attach(scope);
                    logits.add(one);
                    records.add(p.records());
                }
            } finally {
                if (pass != scope) {
                    pass.close();
                }
            }
        }
        NDArray stitched = LogitStitcher.stitch(scope, windows, logits, image).expandDims(0);
        NDArray allTokens = tokens.size() == 1 ? tokens.get(0) : NDArrays.concat(new NDList(tokens), 0);
        TokenState state = first.state();
        return new DensePrediction(stitched, allTokens, state, first.records(), first.grid(), records);
    }

    /** The windows' pixels stacked to (n, 3, crop height, crop width), zero-padded bottom/right when smaller. */
    private NDArray crops(NDArray pixels, List<Window> chunk, NDManager pass) {
        NDList parts = new NDList(chunk.size());
        for (Window w : chunk) {
            NDArray part = pixels.get(new NDIndex(":, :, {}:{}, {}:{}", w.y(), w.y() + w.height(), w.x(),
                    w.x() + w.width()));
            part.attach(pass);
            parts.add(part);
        }
        NDArray stacked = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        Window w0 = chunk.get(0);
        if (w0.width() == crop.width() && w0.height() == crop.height()) {
            return stacked;
        }
        NDArray padded = pass.zeros(new Shape(chunk.size(), pixels.getShape().get(1), crop.height(), crop.width()),
                stacked.getDataType());
        padded.set(new NDIndex(":, :, 0:{}, 0:{}", w0.height(), w0.width()), stacked);
        return padded;
    }

    /** DJL-style builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private DensePredictor predictor;
        private ImageSize crop;
        private int strideX;
        private int strideY;
        private int windowBatch;

        private Builder() {}

        /** The model run on every window (required). */
        public Builder setPredictor(DensePredictor predictor) {
            this.predictor = predictor;
            return this;
        }

        /** The window size in pixels (required); both sides multiples of the model's patch size. */
        public Builder setCrop(ImageSize crop) {
            this.crop = crop;
            return this;
        }

        /** Pixels between window starts (required); positive and at most the crop. */
        public Builder setStride(int strideX, int strideY) {
            this.strideX = strideX;
            this.strideY = strideY;
            return this;
        }

        /** Windows stacked into one forward pass (default 0 = all windows of an image). */
        public Builder optWindowBatch(int windows) {
            this.windowBatch = windows;
            return this;
        }

        /**
         * The predictor.
         *
         * @throws InvalidInputException for a missing predictor, crop or stride, a stride outside 1..crop, a crop
         *     that is not a multiple of the patch size or a negative window batch
         */
        public SlidingWindowPredictor build() {
            if (predictor == null) {
                throw new InvalidInputException("sliding-window inference: setPredictor is required");
            }
            if (crop == null) {
                throw new InvalidInputException("sliding-window inference: setCrop is required");
            }
            if (strideX < 1 || strideY < 1) {
                throw new InvalidInputException("sliding-window inference: stride must be positive (setStride is"
                        + " required), got " + strideX + "x" + strideY);
            }
            if (strideX > crop.width() || strideY > crop.height()) {
                throw new InvalidInputException("sliding-window inference: stride " + strideX + "x" + strideY
                        + " exceeds the crop " + crop + " (pixels between windows would be skipped)");
            }
            int patch = predictor.patchSize();
            if (crop.width() % patch != 0 || crop.height() % patch != 0) {
                throw new InvalidInputException("sliding-window inference: crop " + crop
                        + " is not a multiple of the model's patch size " + patch);
            }
            if (windowBatch < 0) {
                throw new InvalidInputException("sliding-window inference: window batch must be >= 0 (0 = all), got "
                        + windowBatch);
            }
            return new SlidingWindowPredictor(this);
        }
    }
}
