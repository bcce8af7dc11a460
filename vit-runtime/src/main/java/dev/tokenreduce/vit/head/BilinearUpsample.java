package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Bilinear resampling of (B, K, h, w) maps with torch's {@code align_corners=False} semantics (half-pixel centres,
 * source coordinates clamped at 0 and at the last row/column), written as two small interpolation matrices so it
 * runs as two batched matmuls ({@code Wy · X · Wxᵀ}) and is differentiable.
 */
public final class BilinearUpsample {

    private BilinearUpsample() {}

    /**
     * The (out, in) interpolation matrix of one axis: row {@code o} holds the two weights of source positions
     * {@code floor(s)} and {@code floor(s)+1} with {@code s = max(0, (o + 0.5)·in/out − 0.5)}.
     */
    public static float[] matrix(int in, int out) {
        if (in < 1 || out < 1) {
            throw new InvalidInputException("bilinear upsample: sizes must be >= 1, got in=" + in + " out=" + out);
        }
        float[] m = new float[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = Math.max(0.0, (o + 0.5) * scale - 0.5);
            int i0 = Math.min((int) Math.floor(s), in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            double frac = s - i0;
            m[o * in + i0] += (float) (1.0 - frac);
            m[o * in + i1] += (float) frac;
        }
        return m;
    }

    /**
     * Resamples {@code maps} (B, K, h, w) to (B, K, height, width); returns {@code maps} itself when the size
     * already matches. The result is attached to {@code out}.
     */
    public static NDArray apply(NDArray maps, int height, int width, NDManager out) {
        Shape s = maps.getShape();
        if (s.dimension() != 4) {
            throw new InvalidInputException("bilinear upsample: maps must be (B, K, h, w), got " + s);
        }
        if (height < 1 || width < 1) {
            throw new InvalidInputException("bilinear upsample: target size must be positive, got " + height + "x"
                    + width);
        }
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        if (h == height && w == width) {
            return maps;
        }
        try (NDManager sub = out.newSubManager()) {
            NDArray wy = sub.create(matrix(h, height), new Shape(height, h));
            NDArray wxT = sub.create(matrix(w, width), new Shape(width, w)).transpose();
            NDArray rows = wy.matMul(maps);           // (B, K, height, w)
            NDArray result = rows.matMul(wxT);        // (B, K, height, width)
            result.attach(out);
            return result;
        }
    }
}
