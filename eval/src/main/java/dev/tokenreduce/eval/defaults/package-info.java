/**
 * The embedded default benchmark: a small segmentation model trained on synthetic scenes and a bundled evaluation
 * split, shipped as class-path resources and extracted on demand ({@link dev.tokenreduce.eval.defaults.EmbeddedDefault}).
 */
package dev.tokenreduce.eval.defaults;
