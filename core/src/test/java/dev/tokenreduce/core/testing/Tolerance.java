package dev.tokenreduce.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

/** The fixtures' tolerance rule: max|a − b| ≤ tol · max(1, max|b|), per tensor. */
public final class Tolerance {

    private Tolerance() {}

    /** Largest absolute difference, failing on length mismatch. */
    public static double maxAbsDiff(float[] actual, float[] expected) {
        assertThat(actual.length).as("element count").isEqualTo(expected.length);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** Asserts the rule and returns the measured max difference. */
    public static double assertClose(float[] actual, float[] expected, double tol, String what) {
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double diff = maxAbsDiff(actual, expected);
        assertThat(diff).as("%s: max|a-b| = %g, limit %g", what, diff, tol * scale).isLessThanOrEqualTo(tol * scale);
        return diff;
    }

    /** Same for NDArrays (shapes must match). */
    public static double assertClose(NDArray actual, NDArray expected, double tol, String what) {
        assertThat(actual.getShape()).as("%s shape", what).isEqualTo(expected.getShape());
        return assertClose(actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                expected.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), tol, what);
    }
}
