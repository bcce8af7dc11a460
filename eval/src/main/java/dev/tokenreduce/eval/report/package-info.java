/**
 * Benchmark reports: one folder per run with {@code report.md}, {@code results.csv}, {@code results.json} (the
 * configuration, versions, machine and seed needed to repeat the run) and PNG charts, plus images of kept tokens
 * and cluster maps. Data model: a {@link dev.tokenreduce.eval.report.BenchmarkResult} per policy and one
 * {@link dev.tokenreduce.eval.report.RunInfo}; {@link dev.tokenreduce.eval.report.ReportWriter} writes them.
 */
package dev.tokenreduce.eval.report;
