/**
 * Token Merging (ToMe, Bolya et al., ICLR 2023): bipartite soft matching of similar tokens inside every ViT block,
 * size-weighted averaging of the matched pairs, and the source map that unmerges the result back to the full grid.
 *
 * <p>{@link dev.tokenreduce.clustering.tome.BipartiteSoftMatching} and
 * {@link dev.tokenreduce.clustering.tome.TokenMatching} are plain NDArray functions usable on their own;
 * {@link dev.tokenreduce.clustering.tome.TomeOperator} (policy id {@code tome}, hook point {@code blocks}) runs them
 * inside a host model's blocks.
 */
package dev.tokenreduce.clustering.tome;
