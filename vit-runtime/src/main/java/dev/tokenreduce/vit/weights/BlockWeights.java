package dev.tokenreduce.vit.weights;

import ai.djl.ndarray.NDArray;

/**
 * One transformer block's weights in the encoder's layout: linear weights (out, in) as torch's {@code linear}
 * takes them, q/k/v fused into one (3C, C) projection. Nullable: {@code qkvBias}, {@code ls1}, {@code ls2}.
 */
public record BlockWeights(
        NDArray norm1Weight,
        NDArray norm1Bias,
        NDArray qkvWeight,
        NDArray qkvBias,
        NDArray projWeight,
        NDArray projBias,
        NDArray ls1,
        NDArray norm2Weight,
        NDArray norm2Bias,
        NDArray fc1Weight,
        NDArray fc1Bias,
        NDArray fc2Weight,
        NDArray fc2Bias,
        NDArray ls2) {}
