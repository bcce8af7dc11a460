package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenLayout;

/**
 * What one pruning stage of a {@link TransPruneSession} did; the decoder continues with {@link #hiddenState},
 * {@link #positionIds} and {@link #layout}.
 *
 * @param layer the 1-based layer after which it pruned
 * @param stage 0-based stage
 * @param keptImageIndices (B, keep) int64, sorted: indices into the image tokens as they were before this stage
 * @param originalImageIndices (B, keep) int64, sorted: the same tokens as indices into the original image tokens
 * @param sequenceIndex (B, L') int64: positions of the previous sequence that remain (gather KV-free state with it)
 * @param hiddenState (B, L', C) the hidden states that remain
 * @param positionIds (B or 1, L') int64 position ids for the following layers
 * @param layout the new layout
 * @param record counts, timing and details for reports
 */
public record TransPruneStep(int layer, int stage, NDArray keptImageIndices, NDArray originalImageIndices,
        NDArray sequenceIndex, NDArray hiddenState, NDArray positionIds, TokenLayout layout, ReductionRecord record) {}
