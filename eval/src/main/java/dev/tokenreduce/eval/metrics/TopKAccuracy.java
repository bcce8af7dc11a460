package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Top-1 and top-5 (or any k) classification accuracy. A sample counts as correct at k when its label's rank is below
 * k, the rank being the number of classes scored strictly higher plus the lower-indexed classes scored equally (a
 * stable descending sort), so ties are resolved deterministically.
 */
public final class TopKAccuracy {

    private long samples;
    private long top1;
    private long top5;

    /**
     * Adds a batch of logits laid out (batch, classes) with one label per row.
     *
     * @throws InvalidInputException for mismatched sizes, labels outside 0..classes−1, or NaN scores
     */
    public TopKAccuracy add(float[] logits, int classes, int[] labels) {
        if (classes < 1 || logits.length != (long) labels.length * classes) {
            throw new InvalidInputException("TopKAccuracy: " + logits.length + " logits are not " + labels.length
                    + " rows of " + classes + " classes");
        }
        for (int r = 0; r < labels.length; r++) {
            int label = labels[r];
            if (label < 0 || label >= classes) {
                throw new InvalidInputException("TopKAccuracy: label " + label + " of row " + r + " is outside 0.."
                        + (classes - 1));
            }
            int rank = rank(logits, r * classes, classes, label, r);
            if (rank < 1) {
                top1++;
            }
            if (rank < 5) {
                top5++;
            }
            samples++;
        }
        return this;
    }

    /** {@link #add(float[], int, int[])} from logits (B, C) and integer labels (B). */
    public TopKAccuracy add(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != 2 || labels.getShape().dimension() != 1
                || labels.getShape().get(0) != logits.getShape().get(0)) {
            throw new InvalidInputException("TopKAccuracy: expected logits (B, C) and labels (B), got "
                    + logits.getShape() + " and " + labels.getShape());
        }
        try (NDArray f = logits.toType(DataType.FLOAT32, false); NDArray l = labels.toType(DataType.INT32, false)) {
            return add(f.toFloatArray(), (int) logits.getShape().get(1), l.toIntArray());
        }
    }

    /** Adds another accumulator's counts. */
    public TopKAccuracy merge(TopKAccuracy other) {
        samples += other.samples;
        top1 += other.top1;
        top5 += other.top5;
        return this;
    }

    /** Samples seen. */
    public long samples() {
        return samples;
    }

    /** Fraction whose top-scored class is the label (NaN before any sample). */
    public double top1() {
        return samples == 0 ? Double.NaN : (double) top1 / samples;
    }

    /** Fraction whose label is among the five top-scored classes (NaN before any sample). */
    public double top5() {
        return samples == 0 ? Double.NaN : (double) top5 / samples;
    }

    /** The rank of {@code label} in one row (0 = best). */
    static int rank(float[] logits, int offset, int classes, int label, int row) {
        float target = logits[offset + label];
        if (Float.isNaN(target)) {
            throw new InvalidInputException("TopKAccuracy: NaN score in row " + row);
        }
        int rank = 0;
        for (int c = 0; c < classes; c++) {
            float v = logits[offset + c];
            if (Float.isNaN(v)) {
                throw new InvalidInputException("TopKAccuracy: NaN score in row " + row);
            }
            if (v > target || (v == target && c < label)) {
                rank++;
            }
        }
        return rank;
    }

    @Override
    public String toString() {
        return String.format("top1=%.4f top5=%.4f (%d samples)", top1(), top5(), samples);
    }
}
