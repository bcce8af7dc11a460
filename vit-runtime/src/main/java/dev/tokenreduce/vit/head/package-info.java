/**
 * Dense heads on top of the {@link dev.tokenreduce.vit.VisionEncoder}: a linear per-token segmentation head
 * ({@link dev.tokenreduce.vit.head.LinearSegmentationHead}), bilinear upsampling of logit maps
 * ({@link dev.tokenreduce.vit.head.BilinearUpsample}) and an encoder-plus-head model that runs a token-reduction
 * policy and restores the head's logits to the full patch grid ({@link dev.tokenreduce.vit.head.SegmentationModel}).
 */
package dev.tokenreduce.vit.head;
