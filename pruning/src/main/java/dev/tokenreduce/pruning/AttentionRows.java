package dev.tokenreduce.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;

/**
 * Causal softmax attention probabilities for a contiguous block of query rows only, in float32:
 * {@code softmax(q·kᵀ/√d_head + causal mask)} where query row {@code firstRow + i} sees keys {@code 0..firstRow+i}.
 * Methods that score tokens from one layer's attention (ToDRE stage 2, FastV, TransPrune's IGA) need a few rows of
 * that map, never all of it.
 */
public final class AttentionRows {

    private AttentionRows() {}

    /**
     * Attention probabilities of query rows {@code firstRow .. firstRow + r − 1}.
     *
     * @param queries (B, H, r, d_head) query rows (after the rotary embedding)
     * @param keys (B, H_kv, L, d_head) keys of the whole sequence; H must be a multiple of H_kv (grouped-query
     *     attention: query head h reads key head h / (H / H_kv))
     * @param firstRow sequence index of the first query row; {@code firstRow + r ≤ L}
     * @param who operator name for error messages
     * @return (B, H, r, L) float32 probabilities, exactly 0 at masked (future) keys
     */
    public static NDArray probabilities(NDArray queries, NDArray keys, long firstRow, String who) {
        checkPair(queries, keys, who);
        long rows = queries.getShape().get(2);
        long length = keys.getShape().get(2);
        if (firstRow < 0 || firstRow + rows > length) {
            throw new InvalidInputException(who + ": query rows [" + firstRow + ", " + (firstRow + rows)
                    + ") do not fit a sequence of " + length + " keys");
        }
        long heads = queries.getShape().get(1);
        NDArray q = queries.toType(DataType.FLOAT32, false);
        NDArray k = repeatKvHeads(keys.toType(DataType.FLOAT32, false), heads, who);
        double scale = 1.0 / Math.sqrt(queries.getShape().get(3));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale);
        return scores.add(causalBias(queries.getManager(), firstRow, rows, length)).softmax(-1);
    }

    /**
     * Repeats each key/value head {@code heads / kvHeads} times in place order (head h of the result is input head
     * h / (heads / kvHeads)), as HuggingFace's {@code repeat_kv}.
     */
    public static NDArray repeatKvHeads(NDArray keys, long heads, String who) {
        long kvHeads = keys.getShape().get(1);
        if (kvHeads < 1 || heads % kvHeads != 0) {
            throw new InvalidInputException(who + ": " + heads + " query heads are not a multiple of " + kvHeads
                    + " key heads");
        }
        return kvHeads == heads ? keys : keys.repeat(1, heads / kvHeads);
    }

    /** (rows, length) additive mask: 0 where key j ≤ firstRow + i, −∞ after. */
    static NDArray causalBias(NDManager manager, long firstRow, long rows, long length) {
        NDArray keyIndex = Tensors.arangeLong(manager, 0, length).expandDims(0);
        NDArray rowIndex = Tensors.arangeLong(manager, firstRow, firstRow + rows).expandDims(1);
        NDArray future = keyIndex.gt(rowIndex);
        NDArray blocked = manager.full(new Shape(rows, length), Float.NEGATIVE_INFINITY);
        return NDArrays.where(future, blocked, manager.zeros(new Shape(rows, length)));
    }

    private static void checkPair(NDArray queries, NDArray keys, String who) {
        Shape q = queries.getShape();
        Shape k = keys.getShape();
        if (q.dimension() != 4) {
            throw new InvalidInputException(who + ": queries must be (B, heads, rows, d_head), got " + q);
        }
        if (k.dimension() != 4) {
            throw new InvalidInputException(who + ": keys must be (B, kv_heads, L, d_head), got " + k);
        }
        if (q.get(0) != k.get(0) || q.get(3) != k.get(3)) {
            throw new InvalidInputException(who + ": queries " + q + " and keys " + k
                    + " disagree on batch size or head dimension");
        }
    }
}
