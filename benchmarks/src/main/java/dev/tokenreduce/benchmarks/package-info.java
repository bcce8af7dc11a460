/**
 * Benchmarks of tokenreduce: JMH micro-benchmarks of single operators against a matrix-product or ViT-block
 * reference ({@link dev.tokenreduce.benchmarks.TodreDiversityBenchmark},
 * {@link dev.tokenreduce.benchmarks.TomeMergeBenchmark}, ratios printed by
 * {@link dev.tokenreduce.benchmarks.RatioReport}), and plain-main end-to-end benchmarks that alternate variants in
 * one process ({@link dev.tokenreduce.benchmarks.VitLatencyBenchmark},
 * {@link dev.tokenreduce.benchmarks.ExpeditBenchmark}). Models use random weights written as timm-layout model
 * directories ({@link dev.tokenreduce.benchmarks.RandomVit}). How to run them: {@code docs/benchmarks.md}.
 */
package dev.tokenreduce.benchmarks;
