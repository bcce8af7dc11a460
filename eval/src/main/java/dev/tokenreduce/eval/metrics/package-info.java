/**
 * Evaluation metrics on plain arrays (and NDArrays where convenient): segmentation confusion matrices (mIoU, pixel
 * accuracy, with ignore index and reduce-zero-label), depth error metrics (AbsRel, SqRel, RMSE, RMSE log, δ
 * thresholds; validity masks, Eigen crop, median scaling), top-k classification accuracy, and fidelity of a reduced
 * model against the unreduced one (per-token cosine and relative error, argmax agreement). Accumulators are not
 * thread-safe; accumulate per thread and {@code merge}.
 */
package dev.tokenreduce.eval.metrics;
