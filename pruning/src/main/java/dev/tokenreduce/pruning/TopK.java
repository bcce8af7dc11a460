package dev.tokenreduce.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;

/**
 * Top-k selection with a deterministic tie rule, on the device: the {@code k} largest scores per row, where among
 * equal scores the lower index wins, returned as indices sorted ascending (the order pruned tokens keep).
 *
 * <p>PyTorch's {@code topk} and unstable sorts leave the order of ties unspecified, so the rule is built from
 * comparisons: every score above the k-th largest value is kept, and of the scores equal to it the first ones
 * (by index) fill the remaining places.
 */
public final class TopK {

    private TopK() {}

    /**
     * Indices of the {@code k} largest scores per row, lower index first among ties, sorted ascending.
     *
     * @param scores (B, n) floating scores without NaN
     * @param k 1 ≤ k ≤ n
     * @return (B, k) int64
     */
    public static NDArray largest(NDArray scores, int k) {
        if (scores.getShape().dimension() != 2) {
            throw new InvalidInputException("top-k: scores must be (B, n), got " + scores.getShape());
        }
        long n = scores.getShape().get(1);
        if (k < 1 || k > n) {
            throw new InvalidInputException("top-k: k must be in [1, " + n + "], got " + k);
        }
        NDArray s = scores.getDataType().isFloating() ? scores : scores.toType(DataType.FLOAT32, false);
        // The k-th largest value per row; sorting ascending puts it at n - k.
        NDArray kth = s.sort(1).get(":, {}:{}", n - k, n - k + 1);
        NDArray above = s.gt(kth);
        NDArray equal = s.eq(kth);
        NDArray missing = above.toType(DataType.INT64, false).sum(new int[] {1}, true).neg().add(k);
        NDArray equalRank = equal.toType(DataType.INT64, false).cumSum(1);
        NDArray keep = above.logicalOr(equal.logicalAnd(equalRank.lte(missing)));
        // Kept tokens sort by their own index, the others after every kept one.
        NDArray index = Tensors.arangeLong(scores.getManager(), 0, n).expandDims(0);
        NDArray key = index.add(keep.logicalNot().toType(DataType.INT64, false).mul(n));
        return key.sort(1).get(":, :{}", k);
    }
}
