package dev.tokenreduce.vit.encoder;

import dev.tokenreduce.vit.config.PositionResampling;

/**
 * One-dimensional bicubic resampling as a dense (out × in) matrix, matching torch's {@code F.interpolate} with
 * {@code align_corners=False}. A 2-D resample is the separable product of a row and a column matrix.
 */
public final class BicubicWeights {

    private BicubicWeights() {}

    /**
     * Row {@code o} holds the weights of every input sample for output sample {@code o}.
     *
     * @return row-major (out × in) weights
     */
    public static float[] matrix(int in, int out, PositionResampling mode) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("sizes must be >= 1, got " + in + " -> " + out);
        }
        double[] m = mode == PositionResampling.TIMM_ANTIALIAS ? antialiased(in, out) : plain(in, out);
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }

    /**
     * {@code antialias=True}: a filter of support 2·max(scale, 1) centred on each output pixel, Keys a = −0.5
     * (PIL's), evaluated only at input samples inside the image and renormalised to sum to one.
     */
    private static double[] antialiased(int in, int out) {
        double[] m = new double[out * in];
        double scale = (double) in / out;
        double support = scale >= 1.0 ? 2.0 * scale : 2.0;
        double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
        for (int o = 0; o < out; o++) {
            double center = scale * (o + 0.5);
            // torch truncates toward zero here, then clamps to the image
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            for (int j = xmin; j < xmax; j++) {
                double w = keys((j - center + 0.5) * invScale, -0.5);
                m[o * in + j] = w;
                total += w;
            }
            if (total != 0) {
                for (int j = xmin; j < xmax; j++) {
                    m[o * in + j] /= total;
                }
            }
        }
        return m;
    }

    /** {@code antialias=False}: four taps at floor(x)−1 … floor(x)+2, a = −0.75, indices clamped to the edge. */
    private static double[] plain(int in, int out) {
        double[] m = new double[out * in];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double x = scale * (o + 0.5) - 0.5;
            int x0 = (int) Math.floor(x);
            double t = x - x0;
            for (int k = -1; k <= 2; k++) {
                int j = Math.min(Math.max(x0 + k, 0), in - 1);
                m[o * in + j] += keys(t - k, -0.75);
            }
        }
        return m;
    }

    /** The Keys cubic convolution kernel with parameter {@code a}. */
    static double keys(double x, double a) {
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0;
    }
}
