package dev.tokenreduce.datasets.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed image pipeline: optional resize, optional centre crop, optional padding to a multiple, then normalisation
 * to float CHW or an NDArray batch. The same geometry can be applied to label maps (nearest neighbour, padded with the
 * ignore index) so images and labels stay aligned.
 *
 * <pre>{@code
 * Preprocessor clip = Preprocessor.builder()
 *         .optResize(SizeRule.shortestSide(336)).optCenterCrop(new ImageSize(336, 336))
 *         .setNormalization(Normalization.CLIP).build();
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDArray pixels = clip.toNDArray(m, List.of(image)); // (1, 3, 336, 336)
 * }
 * }</pre>
 */
public final class Preprocessor {

    private final SizeRule resize;
    private final Interpolation interpolation;
    private final ImageSize centerCrop;
    private final int padMultiple;
    private final int[] padColour;
    private final Normalization normalization;

    private Preprocessor(Builder b) {
        this.resize = b.resize;
        this.interpolation = b.interpolation;
        this.centerCrop = b.centerCrop;
        this.padMultiple = b.padMultiple;
        this.padColour = b.padColour.clone();
        this.normalization = b.normalization;
    }

    /** A new builder; {@link Builder#setNormalization} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The geometric steps applied to an image (no normalisation). */
    public RgbImage prepare(RgbImage image) {
        RgbImage out = image;
        if (resize != null) {
            out = Resize.resize(out, resize.apply(out.size()), interpolation);
        }
        if (centerCrop != null) {
            out = Crops.centerCrop(out, centerCrop);
        }
        if (padMultiple > 1) {
            out = Crops.pad(out, Crops.roundUpToMultiple(out.size(), padMultiple), padColour[0], padColour[1],
                    padColour[2]);
        }
        return out;
    }

    /** The same geometry on a label map: nearest-neighbour resize, same crop, padding with {@code ignoreIndex}. */
    public LabelMap prepareLabel(LabelMap labels, int ignoreIndex) {
        LabelMap out = labels;
        if (resize != null) {
            out = Resize.nearest(out, resize.apply(out.size()));
        }
        if (centerCrop != null) {
            out = Crops.centerCrop(out, centerCrop);
        }
        if (padMultiple > 1) {
            out = Crops.pad(out, Crops.roundUpToMultiple(out.size(), padMultiple), ignoreIndex);
        }
        return out;
    }

    /** The prepared, normalised image as float (3, H, W). */
    public float[] toChw(RgbImage image) {
        return normalization.toChw(prepare(image));
    }

    /** The prepared, normalised images as one (B, 3, H, W) FLOAT32 NDArray in {@code manager}. */
    public NDArray toNDArray(NDManager manager, List<RgbImage> images) {
        List<RgbImage> prepared = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            prepared.add(prepare(image));
        }
        return normalization.toNDArray(manager, prepared);
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public String toString() {
        return "Preprocessor[resize=" + resize + ", interpolation=" + interpolation + ", centerCrop=" + centerCrop
                + ", padMultiple=" + padMultiple + ", normalization=" + normalization + "]";
    }

    /** Builder of {@link Preprocessor}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private SizeRule resize;
        private Interpolation interpolation = Interpolation.BILINEAR;
        private ImageSize centerCrop;
        private int padMultiple = 1;
        private int[] padColour = {0, 0, 0};
        private Normalization normalization;

        private Builder() {}

        /** Resize by this rule first (default: no resize). */
        public Builder optResize(SizeRule rule) {
            this.resize = rule;
            return this;
        }

        /** Filter of the resize (default bilinear). */
        public Builder optInterpolation(Interpolation interpolation) {
            this.interpolation = interpolation;
            return this;
        }

        /** Centre-crop to this size after resizing (default: none). */
        public Builder optCenterCrop(ImageSize size) {
            this.centerCrop = size;
            return this;
        }

        /** Pad bottom/right so both sides are multiples of {@code multiple}, with a colour (default: no padding). */
        public Builder optPadToMultiple(int multiple, int r, int g, int b) {
            if (multiple < 1) {
                throw new InvalidInputException("Preprocessor: pad multiple must be >= 1, got " + multiple);
            }
            this.padMultiple = multiple;
            this.padColour = new int[] {r, g, b};
            return this;
        }

        /** The normalisation statistics (required). */
        public Builder setNormalization(Normalization normalization) {
            this.normalization = normalization;
            return this;
        }

        /** The pipeline. */
        public Preprocessor build() {
            if (normalization == null) {
                throw new InvalidInputException("Preprocessor: setNormalization is required (e.g. IMAGENET or CLIP)");
            }
            if (interpolation == null) {
                throw new InvalidInputException("Preprocessor: interpolation must not be null");
            }
            return new Preprocessor(this);
        }
    }
}
