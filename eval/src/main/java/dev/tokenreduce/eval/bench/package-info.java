/**
 * The dense-prediction benchmark behind {@code tokenreduce bench}: a segmentation model, a dataset and policies in,
 * accuracy (mIoU), fidelity to the unreduced model, token schedules, GFLOPs and A/B latency out, written as a
 * report folder; a depth model on a depth dataset is scored with AbsRel, RMSE and δ1 instead. {@link dev.tokenreduce.eval.bench.DenseBenchmark} is the entry point;
 * {@link dev.tokenreduce.eval.bench.BuiltinPolicies} are the policies run when none are given;
 * {@link dev.tokenreduce.eval.bench.SlidingWindowPredictor} predicts images larger than the crop window by window
 * (mmseg's {@code slide} test mode).
 */
package dev.tokenreduce.eval.bench;
