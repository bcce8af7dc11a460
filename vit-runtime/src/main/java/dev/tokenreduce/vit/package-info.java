/**
 * Vision Transformer encoders on DJL NDArray ops with token-reduction hook points: load a published checkpoint
 * ({@link dev.tokenreduce.vit.VisionEncoder#load}), encode images under a
 * {@link dev.tokenreduce.core.policy.Policy}, read the final, reconstructed and intermediate tokens from an
 * {@link dev.tokenreduce.vit.EncoderOutput}.
 */
package dev.tokenreduce.vit;
