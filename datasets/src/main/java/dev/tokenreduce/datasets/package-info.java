/**
 * Images and datasets for evaluating token reduction: decoding and preprocessing ({@code image}), dataset readers for
 * the common dense-prediction benchmarks in their distributed folder layouts ({@code readers}) and seeded synthetic
 * scenes used as the embedded default and as test data ({@code synthetic}).
 */
package dev.tokenreduce.datasets;
