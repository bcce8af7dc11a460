package dev.tokenreduce.pruning.todre;

import ai.djl.ndarray.NDArray;

/**
 * The result of a diversity selection.
 *
 * @param order int64 indices in the order they were chosen, pivot first: (k) for a single sequence input, (B, k)
 *     for a batch
 * @param kept the same indices sorted ascending (what a pruner keeps), same shape as {@code order}
 */
public record DiversitySelection(NDArray order, NDArray kept) {}
