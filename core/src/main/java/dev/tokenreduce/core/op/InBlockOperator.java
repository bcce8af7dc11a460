package dev.tokenreduce.core.op;

/**
 * An operator that runs at {@link dev.tokenreduce.core.policy.HookPoint.EveryBlock} (inside every encoder block,
 * between attention and MLP) and keeps its own per-block schedule, such as ToMe's r per block. Hosts ask it two
 * things the plain {@link TokenOperator} contract cannot express.
 */
public interface InBlockOperator extends TokenOperator {

    /**
     * Checks the per-block schedule against the model before anything runs (called through
     * {@link dev.tokenreduce.core.policy.Policy#checkEncoderDepth}).
     *
     * @param depth the encoder's number of blocks
     * @throws dev.tokenreduce.core.policy.PolicyException naming the field when the schedule does not fit
     */
    default void checkDepth(int depth) {}

    /**
     * Whether the host adds log(size) of every key (from {@link dev.tokenreduce.core.token.TokenState#sizes()}) to
     * the attention logits of the following blocks (ToMe's proportional attention).
     */
    default boolean proportionalAttention() {
        return false;
    }
}
