package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Class predictions from scores. Ties go to the lowest class index (as torch.argmax and numpy.argmax do); NaN scores
 * are rejected.
 */
public final class Argmax {

    private Argmax() {}

    /**
     * Per-pixel argmax of logits laid out (channels, pixels), e.g. segmentation logits (C, H, W) flattened.
     *
     * @throws InvalidInputException for a length that is not a multiple of {@code channels}, or NaN
     */
    public static int[] overChannels(float[] chw, int channels) {
        if (channels < 1 || chw.length % channels != 0 || chw.length == 0) {
            throw new InvalidInputException("Argmax.overChannels: " + chw.length + " values are not " + channels
                    + " channel planes");
        }
        checkNaN(chw, "Argmax.overChannels");
        int pixels = chw.length / channels;
        int[] best = new int[pixels];
        float[] bestScore = new float[pixels];
        System.arraycopy(chw, 0, bestScore, 0, pixels);
        for (int c = 1; c < channels; c++) {
            int base = c * pixels;
            for (int p = 0; p < pixels; p++) {
                float v = chw[base + p];
                if (v > bestScore[p]) {
                    bestScore[p] = v;
                    best[p] = c;
                }
            }
        }
        return best;
    }

    /**
     * Per-row argmax of scores laid out (rows, classes), e.g. token or batch logits.
     *
     * @throws InvalidInputException for a length that is not a multiple of {@code classes}, or NaN
     */
    public static int[] overRows(float[] rowsByClass, int classes) {
        if (classes < 1 || rowsByClass.length % classes != 0 || rowsByClass.length == 0) {
            throw new InvalidInputException("Argmax.overRows: " + rowsByClass.length + " values are not rows of "
                    + classes + " classes");
        }
        checkNaN(rowsByClass, "Argmax.overRows");
        int rows = rowsByClass.length / classes;
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (rowsByClass[base + c] > rowsByClass[base + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /**
     * Argmax over the channel axis of segmentation logits shaped (C, H, W) or (1, C, H, W), computed on the array's
     * device; returns H·W class indices, row-major.
     */
    public static int[] overChannels(NDArray logits) {
        Shape s = logits.getShape();
        int axis;
        if (s.dimension() == 3) {
            axis = 0;
        } else if (s.dimension() == 4 && s.get(0) == 1) {
            axis = 1;
        } else {
            throw new InvalidInputException("Argmax.overChannels: expected logits (C, H, W) or (1, C, H, W), got "
                    + s);
        }
        try (NDArray nan = logits.isNaN().any()) {
            if (nan.getBoolean()) {
                throw new InvalidInputException("Argmax.overChannels: logits contain NaN");
            }
        }
        try (NDArray idx = logits.argMax(axis); NDArray ints = idx.toType(DataType.INT32, false)) {
            return ints.toIntArray();
        }
    }

    private static void checkNaN(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                throw new InvalidInputException(what + ": NaN score at index " + i);
            }
        }
    }
}
