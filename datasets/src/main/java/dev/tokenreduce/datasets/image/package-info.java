/**
 * Image, label and depth maps ({@link dev.tokenreduce.datasets.image.RgbImage},
 * {@link dev.tokenreduce.datasets.image.LabelMap}, {@link dev.tokenreduce.datasets.image.DepthMap}), their file I/O
 * through OpenCV ({@link dev.tokenreduce.datasets.image.ImageFiles}), resizing, cropping, padding and normalisation
 * ({@link dev.tokenreduce.datasets.image.Preprocessor}), and sliding-window inference helpers
 * ({@link dev.tokenreduce.datasets.image.SlidingWindows}, {@link dev.tokenreduce.datasets.image.LogitStitcher}).
 * Every OpenCV Mat is released before a method returns.
 */
package dev.tokenreduce.datasets.image;
