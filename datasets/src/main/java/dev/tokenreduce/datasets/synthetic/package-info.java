/**
 * Seeded synthetic scenes ({@link dev.tokenreduce.datasets.synthetic.SceneGenerator}): textured shapes with
 * classes, occlusion and depth order, deterministic per (seed, index), and a writer that stores a split on disk in the
 * layout the {@code synthetic} dataset reader reads.
 */
package dev.tokenreduce.datasets.synthetic;
