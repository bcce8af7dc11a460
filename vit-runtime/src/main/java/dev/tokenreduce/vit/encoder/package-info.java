/**
 * The ViT forward pass on plain DJL NDArray ops: patch embedding, prefix tokens, resampled position embeddings,
 * pre-norm, blocks split at the in-block hook (attention half, MLP half) and the final norm. Weights are read
 * from {@link dev.tokenreduce.vit.weights.VitWeights}; every temporary lives in a per-step sub-manager.
 */
package dev.tokenreduce.vit.encoder;
