package dev.tokenreduce.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Synthetic visual-token features like an LVLM projector's output: every row is i.i.d. Gaussian noise plus one
 * component shared by all rows, {@code x_i = z_i + a·u} with z_i, u ~ N(0, I_d) and a = {@value #SHARED_SCALE}, so
 * pairwise cosine similarities sit around a²/(1+a²) ≈ 0.5 instead of 0 (projector outputs are strongly anisotropic;
 * isotropic noise is the hardest case for the selector's lookahead and is not what it sees in practice).
 */
public final class Features {

    /** Scale a of the shared component. */
    public static final float SHARED_SCALE = 1.0f;

    private Features() {}

    /** (n, d) float32 features from {@code seed}. */
    public static NDArray projectorLike(NDManager manager, int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] shared = new float[d];
        for (int j = 0; j < d; j++) {
            shared[j] = (float) (SHARED_SCALE * gaussian(r));
        }
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) gaussian(r) + shared[j];
            }
        }
        return manager.create(v, new Shape(n, d)).toType(DataType.FLOAT32, false);
    }

    /** (n, d) i.i.d. N(0, 1) float32 values from {@code seed}. */
    public static NDArray gaussian(NDManager manager, long n, long d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) (n * d)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) gaussian(r);
        }
        return manager.create(v, new Shape(n, d));
    }

    /** Box–Muller from a splittable source (one value per call; the second is dropped, speed does not matter). */
    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
