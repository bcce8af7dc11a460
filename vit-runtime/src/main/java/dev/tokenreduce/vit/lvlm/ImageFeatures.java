package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;

/**
 * One image in the language model's embedding space.
 *
 * @param features (B, N, C_text) projector output of the feature layer's selected tokens
 * @param clsAttention (B, N) the feature block's [CLS] attention over those tokens (softmax over all keys, mean over
 *     heads), or {@code null} for towers without [CLS]
 */
public record ImageFeatures(NDArray features, NDArray clsAttention) {}
