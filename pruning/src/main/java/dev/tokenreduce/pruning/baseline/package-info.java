/**
 * The reference pruners every method is compared against, measured in the same run: after the vision encoder
 * ({@code random}, {@code cls-attention} (FasterVLM), {@code divprune}) and inside the language-model decoder
 * ({@code fastv}). All take a {@link dev.tokenreduce.core.Budget} and are deterministic for a seed.
 */
package dev.tokenreduce.pruning.baseline;
