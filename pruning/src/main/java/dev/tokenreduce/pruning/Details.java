package dev.tokenreduce.pruning;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/** Record-detail values from device arrays (one host copy each, at the end of a step). */
public final class Details {

    private Details() {}

    /**
     * A (B, k) or (k) integer array as record detail: {@code int[]} for one sequence (B = 1 or no batch axis),
     * {@code int[][]} (one row per batch element) otherwise.
     */
    public static Object indices(NDArray array) {
        long[] flat = array.toLongArray();
        if (array.getShape().dimension() < 2 || array.getShape().get(0) == 1) {
            return Arrays.stream(flat).mapToInt(Math::toIntExact).toArray();
        }
        int rows = (int) array.getShape().get(0);
        int cols = flat.length / Math.max(1, rows);
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.stream(flat, r * cols, (r + 1) * cols).mapToInt(Math::toIntExact).toArray();
        }
        return out;
    }

    /** A (B) float array as detail: a {@code double} for B = 1, else {@code double[]}. */
    public static Object perBatch(double[] values) {
        return values.length == 1 ? (Object) values[0] : values.clone();
    }
}
