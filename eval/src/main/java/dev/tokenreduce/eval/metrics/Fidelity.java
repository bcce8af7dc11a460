package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;

/**
 * How closely a reduced model's outputs follow the unreduced model's, without labels: per-token cosine similarity
 * and relative error of output features, and agreement of argmax predictions.
 *
 * <p>Conventions: cosine of two zero vectors is 1, of a zero and a non-zero vector 0; the relative error of a token
 * is ‖a − b‖ / ‖b‖, and 0 when both are zero (infinite when only the reference is zero).
 */
public final class Fidelity {

    private Fidelity() {}

    /**
     * Cosine similarity per token of features laid out (tokens, dim).
     *
     * @throws InvalidInputException for different lengths or a length that is not a multiple of {@code dim}
     */
    public static double[] cosinePerToken(float[] reduced, float[] reference, int dim) {
        int tokens = tokens(reduced, reference, dim, "cosinePerToken");
        double[] out = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = t * dim; i < (t + 1) * dim; i++) {
                dot += (double) reduced[i] * reference[i];
                na += (double) reduced[i] * reduced[i];
                nb += (double) reference[i] * reference[i];
            }
            out[t] = cosine(dot, na, nb);
        }
        return out;
    }

    /** Relative error ‖a − b‖ / ‖b‖ per token of features laid out (tokens, dim). */
    public static double[] relativeErrorPerToken(float[] reduced, float[] reference, int dim) {
        int tokens = tokens(reduced, reference, dim, "relativeErrorPerToken");
        double[] out = new double[tokens];
        for (int t = 0; t < tokens; t++) {
            double diff = 0;
            double nb = 0;
            for (int i = t * dim; i < (t + 1) * dim; i++) {
                double d = (double) reduced[i] - reference[i];
                diff += d * d;
                nb += (double) reference[i] * reference[i];
            }
            out[t] = relative(diff, nb);
        }
        return out;
    }

    /** Relative error of the whole output, ‖a − b‖_F / ‖b‖_F. */
    public static double relativeError(float[] reduced, float[] reference) {
        if (reduced.length != reference.length) {
            throw new InvalidInputException("Fidelity.relativeError: " + reduced.length + " vs " + reference.length
                    + " values");
        }
        double diff = 0;
        double nb = 0;
        for (int i = 0; i < reduced.length; i++) {
            double d = (double) reduced[i] - reference[i];
            diff += d * d;
            nb += (double) reference[i] * reference[i];
        }
        return relative(diff, nb);
    }

    /** Fraction of positions where the two predictions agree. */
    public static double agreement(int[] reduced, int[] reference) {
        if (reduced.length != reference.length || reduced.length == 0) {
            throw new InvalidInputException("Fidelity.agreement: " + reduced.length + " vs " + reference.length
                    + " predictions (need the same, non-zero count)");
        }
        long same = 0;
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i] == reference[i]) {
                same++;
            }
        }
        return (double) same / reduced.length;
    }

    /**
     * Cosine per token computed on the device for features shaped (..., dim); the leading axes are flattened.
     */
    public static double[] cosinePerToken(NDArray reduced, NDArray reference) {
        checkShapes(reduced, reference, "cosinePerToken");
        try (NDArray a = reduced.toType(DataType.FLOAT64, false);
                NDArray b = reference.toType(DataType.FLOAT64, false);
                NDArray dot = a.mul(b).sum(new int[] {-1});
                NDArray na = a.mul(a).sum(new int[] {-1});
                NDArray nb = b.mul(b).sum(new int[] {-1})) {
            double[] d = dot.toDoubleArray();
            double[] x = na.toDoubleArray();
            double[] y = nb.toDoubleArray();
            double[] out = new double[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = cosine(d[i], x[i], y[i]);
            }
            return out;
        }
    }

    /** Relative error per token computed on the device for features shaped (..., dim). */
    public static double[] relativeErrorPerToken(NDArray reduced, NDArray reference) {
        checkShapes(reduced, reference, "relativeErrorPerToken");
        try (NDArray a = reduced.toType(DataType.FLOAT64, false);
                NDArray b = reference.toType(DataType.FLOAT64, false);
                NDArray diff = a.sub(b);
                NDArray dd = diff.mul(diff).sum(new int[] {-1});
                NDArray nb = b.mul(b).sum(new int[] {-1})) {
            double[] d = dd.toDoubleArray();
            double[] y = nb.toDoubleArray();
            double[] out = new double[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = relative(d[i], y[i]);
            }
            return out;
        }
    }

    static double cosine(double dot, double na, double nb) {
        if (na == 0 && nb == 0) {
            return 1.0;
        }
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(na * nb)));
    }

    static double relative(double diffSquared, double refSquared) {
        if (refSquared == 0) {
            return diffSquared == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(diffSquared / refSquared);
    }

    private static int tokens(float[] a, float[] b, int dim, String what) {
        if (dim < 1 || a.length != b.length || a.length % dim != 0) {
            throw new InvalidInputException("Fidelity." + what + ": reduced has " + a.length + " values, reference "
                    + b.length + ", dim " + dim + " (need equal lengths, a multiple of dim)");
        }
        return a.length / dim;
    }

    private static void checkShapes(NDArray a, NDArray b, String what) {
        if (!a.getShape().equals(b.getShape()) || a.getShape().dimension() < 1) {
            throw new InvalidInputException("Fidelity." + what + ": shapes differ or are scalar: " + a.getShape()
                    + " vs " + b.getShape() + " (restore reduced tokens to the full layout first)");
        }
    }
}
