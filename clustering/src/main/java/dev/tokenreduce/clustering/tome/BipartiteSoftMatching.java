package dev.tokenreduce.clustering.tome;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.Inputs;

/**
 * ToMe's bipartite soft matching ({@code tome/merge.py}, {@code bipartite_soft_matching}): decides which r tokens
 * merge into which partners, from a similarity metric (the attention keys averaged over heads).
 *
 * <p>Tokens alternate between set A (even sequence positions) and set B (odd ones); each A token finds its most
 * similar B token (cosine similarity of the metric rows); the r A tokens with the highest best similarity merge into
 * their match. The first {@code protectedPrefix} tokens (CLS, distillation token, registers) never merge and are
 * never merge targets; parity still follows the full sequence positions, as in the reference where CLS sits in A
 * (its row is −∞) and a distillation token in B (its column is −∞). r is clipped to (N − protected) / 2 like the
 * reference does every block.
 *
 * <p>Ties in the best similarity (which the reference leaves to an unstable sort) are broken by the lower A index, so
 * the result is deterministic.
 *
 * <pre>{@code
 * TokenMatching m = BipartiteSoftMatching.builder().setR(8).optProtectedPrefix(1).build().match(metric);
 * WeightedMerge merged = m.mergeWeighted(x, sizes);   // (B, N - 8, C), (B, N - 8, 1)
 * NDArray full = m.unmerge(merged.tokens());          // (B, N, C)
 * }</pre>
 */
public final class BipartiteSoftMatching {

    static final String NAME = "tome";

    private final int r;
    private final int protectedPrefix;

    private BipartiteSoftMatching(Builder b) {
        this.r = b.r;
        this.protectedPrefix = b.protectedPrefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The requested number of merges (before clipping). */
    public int r() {
        return r;
    }

    /** Leading tokens that never merge. */
    public int protectedPrefix() {
        return protectedPrefix;
    }

    /** The largest r ToMe applies to {@code tokens} tokens of which {@code protectedPrefix} are protected. */
    public static int maxR(int tokens, int protectedPrefix) {
        return Math.max(0, (tokens - protectedPrefix) / 2);
    }

    /**
     * Matches the tokens of one sequence.
     *
     * @param metric (B, N, c) similarity features of the whole sequence, protected prefix included
     * @return the matching, which merges and unmerges tensors aligned with {@code metric}
     */
    public TokenMatching match(NDArray metric) {
        Inputs.requireRank(metric, 3, NAME, "metric");
        int n = (int) metric.getShape().get(1);
        if (n < protectedPrefix) {
            throw new InvalidInputException(NAME + ": metric has " + n + " tokens, fewer than the "
                    + protectedPrefix + " protected prefix tokens");
        }
        if (!metric.getDataType().isFloating()) {
            throw new InvalidInputException(NAME + ": metric must be floating point, got " + metric.getDataType());
        }
        int span = n - protectedPrefix;
        int applied = Math.min(r, maxR(n, protectedPrefix));
        // The first span token sits at sequence position protectedPrefix: it is in A when that position is even.
        int aStart = protectedPrefix % 2;
        if (applied <= 0) {
            return TokenMatching.identity(metric.getManager(), metric.getShape().get(0), protectedPrefix, span, r);
        }
        NDArray spanMetric = protectedPrefix == 0 ? metric : metric.get(new NDIndex(":, {}:", protectedPrefix));
        NDArray normed = spanMetric.div(spanMetric.square().sum(new int[] {2}, true).sqrt());
        NDArray a = normed.get(new NDIndex(":, {}::2", aStart));
        NDArray b = normed.get(new NDIndex(":, {}::2", 1 - aStart));
        NDArray scores = a.matMul(b.transpose(0, 2, 1)); // (B, nA, nB)
        NDArray nodeIdx = scores.argMax(2); // first maximum on ties, like torch.max
        NDArray nodeMax = scores.max(new int[] {2});
        NDArray edgeOrder = descendingStableOrder(nodeMax);
        NDArray srcIdx = edgeOrder.get(new NDIndex(":, :{}", applied));
        NDArray unmIdx = edgeOrder.get(new NDIndex(":, {}:", applied));
        if (protectedPrefix > 0) {
            // reference: with a class token the unmerged A tokens are put back in sequence order
            unmIdx = unmIdx.sort(1);
        }
        NDArray dstIdx = nodeIdx.gather(srcIdx, 1);
        return new TokenMatching(protectedPrefix, span, aStart, r, applied, unmIdx, srcIdx, dstIdx);
    }

    /**
     * Indices that sort each row of {@code values} (B, n) in descending order, equal values by ascending index.
     * Computed as ranks (how many values come before each one), which are unique, so the final sort has no ties.
     */
    static NDArray descendingStableOrder(NDArray values) {
        NDManager manager = values.getManager();
        int n = (int) values.getShape().get(1);
        NDArray row = values.expandDims(2); // value i
        NDArray col = values.expandDims(1); // value j
        NDArray idx = Tensors.arangeLong(manager, 0, n);
        NDArray earlier = idx.reshape(1, 1, n).lt(idx.reshape(1, n, 1)); // j < i
        NDArray before = col.gt(row).logicalOr(col.eq(row).logicalAnd(earlier));
        NDArray rank = before.toType(DataType.INT32, false).sum(new int[] {2});
        return rank.argSort(1).toType(DataType.INT64, false);
    }

    /** Builder: {@code setR} required, {@code optProtectedPrefix} optional (default 0). */
    public static final class Builder {
        private int r = -1;
        private int protectedPrefix;

        private Builder() {}

        /** Tokens to merge away (r ≥ 0; clipped to (N − protected) / 2 at match time). */
        public Builder setR(int r) {
            if (r < 0) {
                throw new InvalidInputException(NAME + ": r must be >= 0, got " + r);
            }
            this.r = r;
            return this;
        }

        /** Leading tokens that never merge: 1 for a CLS token, 2 with a distillation token, more with registers. */
        public Builder optProtectedPrefix(int protectedPrefix) {
            if (protectedPrefix < 0) {
                throw new InvalidInputException(NAME + ": protected prefix must be >= 0, got " + protectedPrefix);
            }
            this.protectedPrefix = protectedPrefix;
            return this;
        }

        public BipartiteSoftMatching build() {
            if (r < 0) {
                throw new InvalidInputException(NAME + ": r is required (setR)");
            }
            return new BipartiteSoftMatching(this);
        }
    }
}
