package dev.tokenreduce.vit.weights;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * All encoder weights, F32, owned by the model's NDManager (closing that manager frees them).
 *
 * @param patchWeight (C, channels, p, p)
 * @param patchBias (C) or {@code null}
 * @param prefixTokens (1, prefix, C): [CLS], distillation and register tokens in sequence order, or {@code null}
 * @param positions (1, positionPrefixRows + grid cells, C)
 * @param preNormWeight (C) or {@code null}
 * @param preNormBias (C) or {@code null}
 * @param blocks one entry per block
 * @param normWeight (C) or {@code null} when the model has no final norm
 * @param normBias (C) or {@code null}
 */
public record VitWeights(
        NDArray patchWeight,
        NDArray patchBias,
        NDArray prefixTokens,
        NDArray positions,
        NDArray preNormWeight,
        NDArray preNormBias,
        List<BlockWeights> blocks,
        NDArray normWeight,
        NDArray normBias) {

    public VitWeights {
        blocks = List.copyOf(blocks);
    }
}
