package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;

/**
 * One LLaMA decoder layer's weights, F32, linear weights (out, in) as torch's {@code linear} takes them. Biases are
 * {@code null} unless the config enables them.
 */
record LlamaLayerWeights(
        NDArray inputNorm,
        NDArray qProj,
        NDArray qBias,
        NDArray kProj,
        NDArray kBias,
        NDArray vProj,
        NDArray vBias,
        NDArray oProj,
        NDArray oBias,
        NDArray postAttentionNorm,
        NDArray gateProj,
        NDArray gateBias,
        NDArray upProj,
        NDArray upBias,
        NDArray downProj,
        NDArray downBias) {}
