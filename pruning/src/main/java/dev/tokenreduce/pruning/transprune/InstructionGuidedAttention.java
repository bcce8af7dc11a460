package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.pruning.AttentionRows;

/**
 * Instruction-guided attention (IGA) at a pruning layer p: how much the instruction attends to each image token,
 * measured with layer p + 1's attention on the hidden states after layer p.
 *
 * <p>x = RMSNorm(h) with layer p + 1's input norm; queries for the instruction rows only (the suffix: every token
 * after the image block), keys for all rows; RoPE at the current position ids; {@code softmax(Q·Kᵀ/√d_head)} with
 * a causal mask over ALL keys in float32; mean over heads; the image-token columns; mean over the instruction
 * queries. Grouped-query models repeat each key head for its query heads. With no instruction token the IGA is all
 * zeros (the score then ranks by TTV alone).
 */
public final class InstructionGuidedAttention {

    private InstructionGuidedAttention() {}

    /**
     * @param hidden (B, L, C) hidden states after layer p
     * @param positionIds (B, L) or (1, L) current position ids; {@code null} = 0..L−1
     * @param layout the current [prefix, image, instruction] layout
     * @param weights layer p + 1's norm and projections
     * @return (B, image tokens) float32
     */
    public static NDArray compute(NDArray hidden, NDArray positionIds, TokenLayout layout, IgaWeights weights) {
        if (hidden.getShape().dimension() != 3 || hidden.getShape().get(1) != layout.total()
                || hidden.getShape().get(2) != weights.normWeight().getShape().get(0)) {
            throw new InvalidInputException("transprune: hidden states must be (B, " + layout.total() + ", "
                    + weights.normWeight().getShape().get(0) + ") for layout " + layout + ", got " + hidden.getShape());
        }
        long batch = hidden.getShape().get(0);
        long length = layout.total();
        int image = layout.visual();
        int text = layout.suffix();
        if (text == 0 || image == 0) {
            return hidden.getManager().zeros(new ai.djl.ndarray.types.Shape(batch, image));
        }
        NDArray positions = positionIds != null ? Tensors.asLong(positionIds)
                : Tensors.arangeLong(hidden.getManager(), 0, length).expandDims(0);
        long firstText = (long) layout.prefix() + image;
        NDArray x = rmsNorm(hidden, weights.normWeight(), weights.normEps());
        long dh = weights.headDim();
        NDArray q = project(x.get(":, {}:, :", firstText), weights.queryProjection(), weights.numHeads(), dh);
        NDArray k = project(x, weights.keyProjection(), weights.numKvHeads(), dh);
        q = RotaryEmbedding.apply(q, positions.get(":, {}:", firstText), weights.ropeTheta());
        k = RotaryEmbedding.apply(k, positions, weights.ropeTheta());
        NDArray probs = AttentionRows.probabilities(q, k, firstText, "transprune IGA");
        // (B, H, T, L) → mean heads → image columns → mean queries.
        return probs.mean(new int[] {1}).get(":, :, {}:{}", layout.prefix(), firstText).mean(new int[] {1});
    }

    /** HuggingFace LlamaRMSNorm in float32: x · rsqrt(mean(x²) + eps) · w. */
    public static NDArray rmsNorm(NDArray hidden, NDArray weight, double eps) {
        NDArray h = hidden.toType(DataType.FLOAT32, false);
        NDArray scale = h.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return h.div(scale).mul(weight.toType(DataType.FLOAT32, false));
    }

    /** (B, L, C)·Wᵀ → (B, heads, L, d_head). */
    private static NDArray project(NDArray x, NDArray weight, int heads, long dh) {
        long batch = x.getShape().get(0);
        long rows = x.getShape().get(1);
        NDArray y = x.matMul(weight.toType(DataType.FLOAT32, false).transpose());
        return y.reshape(batch, rows, heads, dh).transpose(0, 2, 1, 3);
    }
}
