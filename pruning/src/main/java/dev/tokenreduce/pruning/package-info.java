/**
 * Token pruning for vision-language models: ToDRE (diversity after the projector, relevance inside the decoder),
 * TransPrune (token transition variation inside the decoder) and the reference pruners every method is compared
 * against ({@code random}, {@code cls-attention}, {@code divprune}, {@code fastv}).
 *
 * <p>This package holds what several methods share: lower-index-first top-k ({@link dev.tokenreduce.pruning.TopK}),
 * attention probabilities for a few query rows ({@link dev.tokenreduce.pruning.AttentionRows}), the decoder
 * signals hosts hand to decoder-side operators ({@link dev.tokenreduce.pruning.DecoderSignals}) and the sequence
 * surgery that removes visual tokens from a decoder sequence ({@link dev.tokenreduce.pruning.SequenceSurgery}).
 */
package dev.tokenreduce.pruning;
