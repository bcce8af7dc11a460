/**
 * Dense heads on top of the {@link dev.tokenreduce.vit.VisionEncoder}: the {@link dev.tokenreduce.vit.head.SegmentationHead}
 * interface with a linear per-token head ({@link dev.tokenreduce.vit.head.LinearSegmentationHead}) and Segmenter's
 * mask-transformer decoder ({@link dev.tokenreduce.vit.head.MaskTransformerHead}, mmseg tensor names in
 * {@link dev.tokenreduce.vit.head.MaskTransformerNames}), a linear depth head with a configurable activation
 * ({@link dev.tokenreduce.vit.head.LinearDepthHead}, a one-channel head in metres), head selection from a model directory
 * ({@link dev.tokenreduce.vit.head.SegmentationHeads}), bilinear upsampling of logit maps
 * ({@link dev.tokenreduce.vit.head.BilinearUpsample}) and an encoder-plus-head model that runs a token-reduction
 * policy and brings the prediction back to the full patch grid — restoring the linear head's logits, or restoring
 * the tokens before the non-linear mask transformer ({@link dev.tokenreduce.vit.head.SegmentationModel}).
 */
package dev.tokenreduce.vit.head;
