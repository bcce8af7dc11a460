/**
 * Expedit token clustering and reconstruction (Liang et al., NeurIPS 2022) for dense prediction without
 * fine-tuning: {@link dev.tokenreduce.clustering.expedit.ExpeditClustering} (usable alone on NDArrays),
 * {@link dev.tokenreduce.clustering.expedit.ExpeditReconstruction} and
 * {@link dev.tokenreduce.clustering.expedit.NaiveUnpooling}, the windowed (SAM/Swin) variant, and the
 * {@code expedit-cluster} / {@code expedit-reconstruct} policy operators.
 */
package dev.tokenreduce.clustering.expedit;
