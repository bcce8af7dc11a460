package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.LabelMap;
import java.util.Arrays;

/**
 * Accumulates a segmentation confusion matrix over images: rows are ground-truth classes, columns predicted classes,
 * long counts. Pixels whose ground truth equals the ignore index (255 by default) are skipped. With
 * reduce-zero-label (ADE20K), ground-truth 0 is ignored and every other ground-truth value v counts as class v − 1;
 * predictions are always in the reduced class space 0..numClasses−1.
 *
 * <p>Scores: IoU per class = TP / (TP + FP + FN), NaN for a class absent from both ground truth and prediction;
 * mIoU = mean over the classes that are not NaN; pixel accuracy = Σ TP / evaluated pixels.
 */
public final class ConfusionMatrix {

    private final int numClasses;
    private final int ignoreIndex;
    private final boolean reduceZeroLabel;
    private final long[] counts;
    private long ignored;
    private int images;

    private ConfusionMatrix(Builder b) {
        this.numClasses = b.numClasses;
        this.ignoreIndex = b.ignoreIndex;
        this.reduceZeroLabel = b.reduceZeroLabel;
        this.counts = new long[Math.multiplyExact(numClasses, numClasses)];
    }

    /** A matrix for {@code numClasses} classes, ignore index 255, no reduce-zero-label. */
    public static ConfusionMatrix of(int numClasses) {
        return builder().setNumClasses(numClasses).build();
    }

    /** A new builder; {@link Builder#setNumClasses} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one image: predicted classes and raw ground-truth labels, row-major, same length.
     *
     * @throws InvalidInputException for different lengths, a prediction outside 0..numClasses−1, or a ground-truth
     *     value that is neither a class nor ignored (the message counts them and suggests reduce-zero-label when it
     *     fits)
     */
    public ConfusionMatrix add(int[] prediction, int[] groundTruth) {
        if (prediction.length != groundTruth.length) {
            throw new InvalidInputException("ConfusionMatrix: prediction has " + prediction.length
                    + " pixels but ground truth has " + groundTruth.length + " (predict at label resolution)");
        }
        long[] local = new long[counts.length];
        long localIgnored = 0;
        long badGt = 0;
        int firstBadGt = 0;
        for (int p = 0; p < prediction.length; p++) {
            int pred = prediction[p];
            if (pred < 0 || pred >= numClasses) {
                throw new InvalidInputException("ConfusionMatrix: prediction " + pred + " at pixel " + p
                        + " is outside 0.." + (numClasses - 1));
            }
            int gt = groundTruth[p];
            if (gt == ignoreIndex) {
                localIgnored++;
                continue;
            }
            if (reduceZeroLabel) {
                if (gt == 0) {
                    localIgnored++;
                    continue;
                }
                gt--;
            }
            if (gt < 0 || gt >= numClasses) {
                if (badGt++ == 0) {
                    firstBadGt = groundTruth[p];
                }
                continue;
            }
            local[gt * numClasses + pred]++;
        }
        if (badGt > 0) {
            String hint = !reduceZeroLabel && firstBadGt == numClasses
                    ? " (labels look 1-based: does this dataset need reduce-zero-label?)" : "";
            throw new InvalidInputException("ConfusionMatrix: " + badGt + " ground-truth pixels hold values outside "
                    + "0.." + (numClasses - 1) + " that are not the ignore index " + ignoreIndex + ", first "
                    + firstBadGt + (reduceZeroLabel ? " (reduce-zero-label on)" : "") + hint);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += local[i];
        }
        ignored += localIgnored;
        images++;
        return this;
    }

    /** {@link #add(int[], int[])} with a label map as ground truth. */
    public ConfusionMatrix add(int[] prediction, LabelMap groundTruth) {
        return add(prediction, groundTruth.data());
    }

    /** {@link #add(int[], int[])} from integer NDArrays of the same shape (any integer type). */
    public ConfusionMatrix add(NDArray prediction, NDArray groundTruth) {
        if (!prediction.getShape().equals(groundTruth.getShape())) {
            throw new InvalidInputException("ConfusionMatrix: prediction shape " + prediction.getShape()
                    + " differs from ground truth " + groundTruth.getShape());
        }
        try (NDArray p = prediction.toType(DataType.INT32, false);
                NDArray g = groundTruth.toType(DataType.INT32, false)) {
            return add(p.toIntArray(), g.toIntArray());
        }
    }

    /** Adds another matrix's counts (same classes and conventions), e.g. from another thread. */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (other.numClasses != numClasses || other.ignoreIndex != ignoreIndex
                || other.reduceZeroLabel != reduceZeroLabel) {
            throw new InvalidInputException("ConfusionMatrix.merge: matrices differ in classes or conventions");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        ignored += other.ignored;
        images += other.images;
        return this;
    }

    public int numClasses() {
        return numClasses;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    public boolean reduceZeroLabel() {
        return reduceZeroLabel;
    }

    /** Images added. */
    public int images() {
        return images;
    }

    /** Pixels skipped as ignored. */
    public long ignoredPixels() {
        return ignored;
    }

    /** Pixels counted. */
    public long evaluatedPixels() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Pixels of ground-truth class {@code gt} predicted as {@code predicted}. */
    public long count(int gt, int predicted) {
        return counts[gt * numClasses + predicted];
    }

    /** A copy of the matrix, [ground truth][prediction]. */
    public long[][] counts() {
        long[][] out = new long[numClasses][];
        for (int g = 0; g < numClasses; g++) {
            out[g] = Arrays.copyOfRange(counts, g * numClasses, (g + 1) * numClasses);
        }
        return out;
    }

    /** IoU per class; NaN for classes absent from both ground truth and prediction. */
    public double[] iou() {
        double[] out = new double[numClasses];
        long[] rows = rowSums();
        long[] cols = colSums();
        for (int c = 0; c < numClasses; c++) {
            long tp = counts[c * numClasses + c];
            long union = rows[c] + cols[c] - tp;
            out[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return out;
    }

    /** Mean IoU over classes present in ground truth or prediction; NaN before any pixel was counted. */
    public double meanIoU() {
        return nanMean(iou());
    }

    /** Correct pixels over evaluated pixels; NaN before any pixel was counted. */
    public double pixelAccuracy() {
        long total = evaluatedPixels();
        if (total == 0) {
            return Double.NaN;
        }
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += counts[c * numClasses + c];
        }
        return (double) correct / total;
    }

    /** Recall per class (TP / ground-truth pixels); NaN for classes absent from the ground truth. */
    public double[] classAccuracy() {
        double[] out = new double[numClasses];
        long[] rows = rowSums();
        for (int c = 0; c < numClasses; c++) {
            out[c] = rows[c] == 0 ? Double.NaN : (double) counts[c * numClasses + c] / rows[c];
        }
        return out;
    }

    /** Mean class accuracy over classes present in the ground truth. */
    public double meanClassAccuracy() {
        return nanMean(classAccuracy());
    }

    /** All scores at once. */
    public SegmentationScores scores() {
        double[] iou = iou();
        int present = 0;
        for (double v : iou) {
            if (!Double.isNaN(v)) {
                present++;
            }
        }
        return new SegmentationScores(nanMean(iou), pixelAccuracy(), meanClassAccuracy(), iou, present, images,
                evaluatedPixels());
    }

    private long[] rowSums() {
        long[] rows = new long[numClasses];
        for (int g = 0; g < numClasses; g++) {
            long s = 0;
            for (int p = 0; p < numClasses; p++) {
                s += counts[g * numClasses + p];
            }
            rows[g] = s;
        }
        return rows;
    }

    private long[] colSums() {
        long[] cols = new long[numClasses];
        for (int g = 0; g < numClasses; g++) {
            for (int p = 0; p < numClasses; p++) {
                cols[p] += counts[g * numClasses + p];
            }
        }
        return cols;
    }

    static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Builder of {@link ConfusionMatrix}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {

        private int numClasses;
        private int ignoreIndex = 255;
        private boolean reduceZeroLabel;

        private Builder() {}

        /** Number of evaluated classes (after reduce-zero-label). Required. */
        public Builder setNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Ground-truth value to skip (default 255). */
        public Builder optIgnoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** ADE20K's convention: ground-truth 0 is ignored and v counts as v − 1 (default false). */
        public Builder optReduceZeroLabel(boolean reduceZeroLabel) {
            this.reduceZeroLabel = reduceZeroLabel;
            return this;
        }

        /** The empty matrix. */
        public ConfusionMatrix build() {
            if (numClasses < 1) {
                throw new InvalidInputException("ConfusionMatrix: setNumClasses(n >= 1) is required, got "
                        + numClasses);
            }
            if (ignoreIndex >= 0 && ignoreIndex < numClasses) {
                throw new InvalidInputException("ConfusionMatrix: ignore index " + ignoreIndex
                        + " is a valid class of " + numClasses);
            }
            return new ConfusionMatrix(this);
        }
    }
}
