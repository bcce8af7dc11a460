package dev.tokenreduce.clustering.tome;

import ai.djl.ndarray.NDArray;

/**
 * The result of a size-weighted merge.
 *
 * @param tokens (B, M, C) merged tokens: the size-weighted mean of the tokens each one holds
 * @param sizes (B, M, 1) how many original tokens each merged token holds
 */
public record WeightedMerge(NDArray tokens, NDArray sizes) {}
