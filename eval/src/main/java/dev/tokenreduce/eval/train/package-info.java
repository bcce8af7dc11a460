/**
 * Reproducible training of the embedded default segmentation model (a small ViT plus a linear head on synthetic
 * scenes): {@link dev.tokenreduce.eval.train.TrainDefaultModel} is the command; the forward pass is the runtime's
 * own {@link dev.tokenreduce.vit.encoder.VitForward} and {@link dev.tokenreduce.vit.head.LinearSegmentationHead}
 * on gradient-tracked weights, so the saved model computes exactly what was trained.
 */
package dev.tokenreduce.eval.train;
