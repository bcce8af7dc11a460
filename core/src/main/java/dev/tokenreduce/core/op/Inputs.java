package dev.tokenreduce.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;

/** Input checks shared by operators, each failing with a message that names the operator and the tensor. */
public final class Inputs {

    private Inputs() {}

    /** Fails when {@code array} holds NaN or ±Inf. Usually one device reduction and one scalar copy. */
    public static void requireFinite(NDArray array, String operator, String what) {
        if (!array.getDataType().isFloating()) {
            return;
        }
        // Fast path, one pass: the sum of finite values is finite unless it overflows, and any NaN or Inf makes it
        // NaN or Inf. Only a non-finite sum needs the exact element-wise scan below.
        DataType type = array.getDataType();
        if (type == DataType.FLOAT32 || type == DataType.FLOAT64) {
            try (NDArray sum = array.sum()) {
                double total = type == DataType.FLOAT32 ? sum.getFloat() : sum.getDouble();
                if (Double.isFinite(total)) {
                    return;
                }
            }
        }
        boolean finite;
        // Temporaries are closed here, so repeated checks leave nothing in the caller's manager.
        try (NDArray inf = array.isInfinite();
                NDArray nan = array.isNaN();
                NDArray bad = inf.logicalOr(nan);
                NDArray none = bad.none()) {
            finite = none.getBoolean();
        }
        if (!finite) {
            throw new InvalidInputException(operator + ": " + what + " contains NaN or Inf values");
        }
    }

    /** Fails unless {@code array} has {@code dims} dimensions. */
    public static void requireRank(NDArray array, int dims, String operator, String what) {
        if (array.getShape().dimension() != dims) {
            throw new InvalidInputException(operator + ": " + what + " must have " + dims + " dimensions, got "
                    + array.getShape());
        }
    }

    /** Fails unless {@code array} has exactly {@code expected} (−1 = any size on that axis). */
    public static void requireShape(NDArray array, Shape expected, String operator, String what) {
        Shape s = array.getShape();
        boolean ok = s.dimension() == expected.dimension();
        for (int i = 0; ok && i < s.dimension(); i++) {
            ok = expected.get(i) < 0 || expected.get(i) == s.get(i);
        }
        if (!ok) {
            throw new InvalidInputException(operator + ": " + what + " must have shape " + expected
                    + " (-1 = any), got " + s);
        }
    }
}
