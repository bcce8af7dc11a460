package dev.tokenreduce.eval.flops;

/**
 * The reducers' own cost, per call on one image, so that a policy's FLOPs are never flattered by leaving the
 * method out. Each function takes only the sizes it needs. Add the result to an encoder's breakdown under
 * {@code "reducer:" + op id} with {@link FlopsBreakdown#plus}.
 */
public final class ReducerFlops {

    private ReducerFlops() {}

    /**
     * Expedit token clustering of {@code n} grid tokens into {@code m} centres of width {@code c}: an adaptive
     * average pool to initialise the centres, then per iteration the distances of every token to its λ² candidate
     * centres (2·n·λ²·c) and the soft-assignment update of the centres (2·n·λ²·c), i.e. O(κ·n·λ²·c). Squared norms,
     * the softmax over candidates and the normalisation of the centres are "other".
     *
     * @param window λ, the side of each token's window of candidate centres; 0 or a window covering all centres
     *     means every token compares with all m centres (global)
     */
    public static FlopCount expeditClustering(long n, long m, long c, int iterations, int window) {
        requirePositive("expedit-cluster", n, m, c);
        if (iterations < 0) {
            throw new IllegalArgumentException("expedit-cluster: iterations must be >= 0, got " + iterations);
        }
        long candidates = window <= 0 ? m : Math.min(m, (long) window * window);
        FlopCount init = Flops.adds(n * c).plus(FlopCount.other(m * c));
        FlopCount perIteration = new FlopCount(Flops.mul(4, n, candidates, c),
                Flops.mul(2, n + m, c) + Flops.mul(Flops.SOFTMAX_PER_ELEMENT, n, candidates) + m * c);
        return init.plus(perIteration.times(iterations));
    }

    /**
     * Expedit reconstruction: distances from the {@code n} tokens (width {@code c}) to the {@code m} centres
     * (2·n·m·c), top-k and softmax ("other"), then each output token as a weighted sum of {@code k} reduced tokens
     * of width {@code cOut} (2·n·k·cOut). An implementation that multiplies by a dense masked n×m weight matrix does
     * 2·n·m·cOut instead: pass {@code k ≤ 0} to count that (all weights kept).
     */
    public static FlopCount expeditReconstruction(long n, long m, long c, long cOut, int k) {
        requirePositive("expedit-reconstruct", n, m, c, cOut);
        long kEff = k <= 0 ? m : Math.min(k, m);
        long distances = Flops.mul(2, n, m, c);
        long apply = Flops.mul(2, n, kEff, cOut);
        long other = Flops.mul(2, n + m, c) + n * m + Flops.mul(Flops.SOFTMAX_PER_ELEMENT, n, kEff);
        return new FlopCount(distances + apply, other);
    }

    /**
     * Applying a reconstruction whose weights are already known (e.g. a second tensor restored with the same
     * weights): 2·n·k·cOut.
     */
    public static FlopCount reconstructionApply(long n, long k, long cOut) {
        requirePositive("reconstruction", n, k, cOut);
        return FlopCount.matmul(Flops.mul(2, n, k, cOut));
    }

    /**
     * One ToMe bipartite soft matching and merge of {@code n} tokens (metric width {@code metricDim}, token width
     * {@code c}) removing {@code r}: cosine similarity of the two alternating halves (2·⌈n/2⌉·⌊n/2⌋·d), row maxima
     * and the sort ("other"), and the size-weighted average of merged tokens (≈3·n·c "other").
     */
    public static FlopCount tomeMerge(long n, long r, long metricDim, long c) {
        requirePositive("tome", n, metricDim, c);
        long a = (n + 1) / 2;
        long b = n / 2;
        long sim = Flops.mul(2, a, b, metricDim);
        long sortCost = a * Math.max(1, 64 - Long.numberOfLeadingZeros(a));
        long other = Flops.mul(3, n, metricDim) + a * b + sortCost + Flops.mul(3, n, c) + r * c;
        return new FlopCount(sim, other);
    }

    /**
     * ToDRE greedy diversity selection of {@code k} out of {@code n} tokens of width {@code d}, computed
     * incrementally: normalisation (3·n·d), then for each selected token its similarity to all n tokens
     * (2·n·d) and the running min/max update (2·n).
     */
    public static FlopCount todreDiversity(long n, long k, long d) {
        requirePositive("todre-diversity", n, k, d);
        return new FlopCount(Flops.mul(2, k, n, d), Flops.mul(3, n, d) + Flops.mul(2, k, n));
    }

    /** Average pooling of {@code n} tokens of width {@code c} into fewer: n·c adds (plus the division). */
    public static FlopCount pool(long n, long m, long c) {
        requirePositive("pool", n, m, c);
        return FlopCount.other(n * c + m * c);
    }

    /** Top-k selection over {@code n} scores (CLS attention, FastV): about n·log₂n comparisons. */
    public static FlopCount topK(long n) {
        requirePositive("top-k", n);
        return FlopCount.other(n * Math.max(1, 64 - Long.numberOfLeadingZeros(n)));
    }

    private static void requirePositive(String op, long... sizes) {
        for (long s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException(op + ": sizes must be >= 1, got " + java.util.Arrays.toString(sizes));
            }
        }
    }
}
