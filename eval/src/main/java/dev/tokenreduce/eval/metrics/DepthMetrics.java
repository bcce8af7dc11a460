package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.DepthMap;
import java.util.Arrays;

/**
 * Accumulates monocular depth metrics image by image.
 *
 * <p>Valid pixels: ground truth finite and &gt; 0; with a minimum depth also &gt; min, with a maximum also &lt; max;
 * with a crop also inside it. Per image, optionally scale the prediction by median(gt)/median(pred) over the valid
 * pixels (for scale-ambiguous models), then clamp it to [min, max] where those are set (the BTS / Monodepth2
 * protocol), then compute the errors over the valid pixels. The result is the mean over images.
 */
public final class DepthMetrics {

    private final double minDepth;
    private final double maxDepth;
    private final DepthCrop crop;
    private final boolean medianScaling;

    private final double[] sums = new double[7];
    private int images;
    private int skipped;
    private long validPixels;

    private DepthMetrics(Builder b) {
        this.minDepth = b.minDepth;
        this.maxDepth = b.maxDepth;
        this.crop = b.crop;
        this.medianScaling = b.medianScaling;
    }

    /** A new builder (defaults: no range, no crop, no median scaling). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one image: predicted and ground-truth depth, row-major, {@code width}×{@code height}, same units.
     *
     * @throws InvalidInputException for wrong lengths, NaN or infinite predictions at valid pixels, or a prediction
     *     ≤ 0 at a valid pixel when no minimum depth clamps it
     */
    public DepthMetrics add(float[] prediction, float[] groundTruth, int width, int height) {
        long n = (long) width * height;
        if (width < 1 || height < 1 || prediction.length != n || groundTruth.length != n) {
            throw new InvalidInputException("DepthMetrics: expected " + width + "x" + height + " = " + n
                    + " values, got prediction " + prediction.length + " and ground truth " + groundTruth.length
                    + " (predict at ground-truth resolution)");
        }
        int[] rows = {0, height, 0, width};
        if (crop != null) {
            rows = crop.bounds(width, height);
        }
        int count = 0;
        double[] gt = new double[(int) n];
        double[] pred = new double[(int) n];
        for (int y = rows[0]; y < rows[1]; y++) {
            for (int x = rows[2]; x < rows[3]; x++) {
                int p = y * width + x;
                double g = groundTruth[p];
                if (!(g > 0) || Double.isInfinite(g) || (hasMin() && !(g > minDepth))
                        || (hasMax() && !(g < maxDepth))) {
                    continue;
                }
                double d = prediction[p];
                if (!Double.isFinite(d)) {
                    throw new InvalidInputException("DepthMetrics: prediction " + d + " at pixel (" + x + ", " + y
                            + ") is not finite");
                }
                gt[count] = g;
                pred[count] = d;
                count++;
            }
        }
        if (count == 0) {
            skipped++;
            return this;
        }
        if (medianScaling) {
            double medPred = median(Arrays.copyOf(pred, count));
            if (!(medPred > 0)) {
                throw new InvalidInputException("DepthMetrics: median prediction is " + medPred
                        + ", median scaling needs positive predictions");
            }
            double ratio = median(Arrays.copyOf(gt, count)) / medPred;
            for (int i = 0; i < count; i++) {
                pred[i] *= ratio;
            }
        }
        int nonPositive = 0;
        for (int i = 0; i < count; i++) {
            if (hasMin() && pred[i] < minDepth) {
                pred[i] = minDepth;
            }
            if (hasMax() && pred[i] > maxDepth) {
                pred[i] = maxDepth;
            }
            if (!(pred[i] > 0)) {
                nonPositive++;
            }
        }
        if (nonPositive > 0) {
            throw new InvalidInputException("DepthMetrics: " + nonPositive + " valid pixels have a prediction <= 0,"
                    + " which ln and ratios cannot take; set a minimum depth to clamp predictions, as the standard"
                    + " protocols do");
        }
        double absRel = 0;
        double sqRel = 0;
        double sq = 0;
        double sqLog = 0;
        int d1 = 0;
        int d2 = 0;
        int d3 = 0;
        for (int i = 0; i < count; i++) {
            double g = gt[i];
            double d = pred[i];
            double diff = d - g;
            absRel += Math.abs(diff) / g;
            sqRel += diff * diff / g;
            sq += diff * diff;
            double logDiff = Math.log(d) - Math.log(g);
            sqLog += logDiff * logDiff;
            double ratio = Math.max(d / g, g / d);
            if (ratio < 1.25) {
                d1++;
            }
            if (ratio < 1.25 * 1.25) {
                d2++;
            }
            if (ratio < 1.25 * 1.25 * 1.25) {
                d3++;
            }
        }
        sums[0] += absRel / count;
        sums[1] += sqRel / count;
        sums[2] += Math.sqrt(sq / count);
        sums[3] += Math.sqrt(sqLog / count);
        sums[4] += (double) d1 / count;
        sums[5] += (double) d2 / count;
        sums[6] += (double) d3 / count;
        images++;
        validPixels += count;
        return this;
    }

    /** {@link #add(float[], float[], int, int)} against a ground-truth depth map (metres). */
    public DepthMetrics add(float[] prediction, DepthMap groundTruth) {
        return add(prediction, groundTruth.data(), groundTruth.width(), groundTruth.height());
    }

    /** {@link #add(float[], float[], int, int)} from NDArrays whose last two axes are (H, W) (leading axes of 1). */
    public DepthMetrics add(NDArray prediction, NDArray groundTruth) {
        ai.djl.ndarray.types.Shape shape = prediction.getShape();
        int dims = shape.dimension();
        long h = dims < 2 ? 0 : shape.get(dims - 2);
        long w = dims < 2 ? 0 : shape.get(dims - 1);
        if (!shape.equals(groundTruth.getShape()) || dims < 2 || shape.size() != h * w) {
            throw new InvalidInputException("DepthMetrics: prediction " + shape + " and ground truth "
                    + groundTruth.getShape() + " must share one shape (..., H, W) holding a single image");
        }
        try (NDArray p = prediction.toType(DataType.FLOAT32, false);
                NDArray g = groundTruth.toType(DataType.FLOAT32, false)) {
            return add(p.toFloatArray(), g.toFloatArray(), (int) w, (int) h);
        }
    }

    /** Adds another accumulator's images (same settings). */
    public DepthMetrics merge(DepthMetrics other) {
        if (Double.compare(other.minDepth, minDepth) != 0 || Double.compare(other.maxDepth, maxDepth) != 0
                || other.medianScaling != medianScaling
                || !java.util.Objects.equals(other.crop, crop)) {
            throw new InvalidInputException("DepthMetrics.merge: accumulators differ in settings");
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        images += other.images;
        skipped += other.skipped;
        validPixels += other.validPixels;
        return this;
    }

    /** Means over the images so far (NaN when no image had valid pixels). */
    public DepthScores result() {
        double[] m = new double[7];
        for (int i = 0; i < 7; i++) {
            m[i] = images == 0 ? Double.NaN : sums[i] / images;
        }
        return new DepthScores(m[0], m[1], m[2], m[3], m[4], m[5], m[6], images, skipped, validPixels);
    }

    private boolean hasMin() {
        return !Double.isNaN(minDepth);
    }

    private boolean hasMax() {
        return !Double.isNaN(maxDepth);
    }

    /** numpy's median: the middle value, or the mean of the two middle values. */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    /** Builder of {@link DepthMetrics}; every setting is optional. */
    public static final class Builder {

        private double minDepth = Double.NaN;
        private double maxDepth = Double.NaN;
        private DepthCrop crop;
        private boolean medianScaling;

        private Builder() {}

        /** Evaluate only ground truth &gt; min, and clamp predictions below it (NYU: 1e-3). */
        public Builder optMinDepth(double minDepth) {
            this.minDepth = minDepth;
            return this;
        }

        /** Evaluate only ground truth &lt; max, and clamp predictions above it (NYU: 10, KITTI: 80). */
        public Builder optMaxDepth(double maxDepth) {
            this.maxDepth = maxDepth;
            return this;
        }

        /** Evaluate only inside this crop (e.g. {@link DepthCrop#nyuEigen()}). */
        public Builder optCrop(DepthCrop crop) {
            this.crop = crop;
            return this;
        }

        /** Scale each prediction by median(gt)/median(pred) first (default false). */
        public Builder optMedianScaling(boolean medianScaling) {
            this.medianScaling = medianScaling;
            return this;
        }

        /** The empty accumulator. */
        public DepthMetrics build() {
            if (!Double.isNaN(minDepth) && !(minDepth >= 0)) {
                throw new InvalidInputException("DepthMetrics: minimum depth must be >= 0, got " + minDepth);
            }
            if (!Double.isNaN(maxDepth) && !(maxDepth > 0 && (Double.isNaN(minDepth) || maxDepth > minDepth))) {
                throw new InvalidInputException("DepthMetrics: maximum depth must be > 0 and > the minimum, got "
                        + maxDepth);
            }
            return new DepthMetrics(this);
        }
    }
}
