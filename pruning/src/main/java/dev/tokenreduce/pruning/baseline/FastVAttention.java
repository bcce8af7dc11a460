package dev.tokenreduce.pruning.baseline;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.pruning.AttentionRows;

/** FastV's ranking signal: the attention the last prompt token pays every key in one layer, averaged over heads. */
public final class FastVAttention {

    private FastVAttention() {}

    /**
     * @param queries (B, H, L, d_head) the layer's queries (only the last row is used) or (B, H, 1, d_head) just
     *     the last row; after RoPE
     * @param keys (B, H_kv, L, d_head) after RoPE
     * @return (B, L) float32: softmax(q_last·Kᵀ/√d_head) averaged over heads (the last row sees every key)
     */
    public static NDArray lastTokenAttention(NDArray queries, NDArray keys) {
        if (queries.getShape().dimension() != 4 || keys.getShape().dimension() != 4) {
            throw new InvalidInputException("fastv: queries and keys must be (B, heads, L, d_head), got "
                    + queries.getShape() + " and " + keys.getShape());
        }
        long length = keys.getShape().get(2);
        long rows = queries.getShape().get(2);
        if (rows != 1 && rows != length) {
            throw new InvalidInputException("fastv: queries must hold all " + length + " rows or only the last one, got "
                    + rows);
        }
        NDArray last = rows == 1 ? queries : queries.get(":, :, {}:, :", length - 1);
        return AttentionRows.probabilities(last, keys, length - 1, "fastv").mean(new int[] {1}).squeeze(1);
    }
}
