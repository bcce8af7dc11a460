package dev.tokenreduce.eval.flops;

/**
 * A number of floating-point operations, split into matrix-product FLOPs (2 per multiply-add) and the small
 * element-wise rest (norms, softmax, activations, bias and residual adds, comparisons).
 *
 * @param matmul FLOPs of matrix products and linear layers, 2 per multiply-add
 * @param other element-wise FLOPs (counted separately because conventions for them differ between papers)
 */
public record FlopCount(long matmul, long other) {

    /** No operations. */
    public static final FlopCount ZERO = new FlopCount(0, 0);

    public FlopCount {
        if (matmul < 0 || other < 0) {
            throw new IllegalArgumentException("FLOP counts must be non-negative, got matmul=" + matmul
                    + " other=" + other);
        }
    }

    /** Only matrix-product FLOPs. */
    public static FlopCount matmul(long flops) {
        return new FlopCount(flops, 0);
    }

    /** Only element-wise FLOPs. */
    public static FlopCount other(long flops) {
        return new FlopCount(0, flops);
    }

    /** The sum of both. */
    public FlopCount plus(FlopCount o) {
        return new FlopCount(Math.addExact(matmul, o.matmul), Math.addExact(other, o.other));
    }

    /** This count repeated {@code times} times. */
    public FlopCount times(long times) {
        return new FlopCount(Math.multiplyExact(matmul, times), Math.multiplyExact(other, times));
    }

    /** matmul + other. */
    public long total() {
        return Math.addExact(matmul, other);
    }

    /** Multiply-adds of the matrix products (matmul / 2), the unit many papers call "FLOPs". */
    public double macs() {
        return matmul / 2.0;
    }

    /** {@link #total()} in units of 10⁹. */
    public double gflops() {
        return total() / 1e9;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f GFLOPs (matmul %.4f, other %.4f)", gflops(), matmul / 1e9,
                other / 1e9);
    }
}
