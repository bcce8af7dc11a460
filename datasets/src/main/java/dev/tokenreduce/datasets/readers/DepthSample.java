package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.image.DepthMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.nio.file.Path;

/**
 * One image with its ground-truth depth, the same size.
 *
 * @param name sample name
 * @param image the RGB image
 * @param depth metres, 0 where there is no measurement
 * @param imagePath source of the image (null for generated data)
 * @param depthPath source of the depth map (null for generated data)
 */
public record DepthSample(String name, RgbImage image, DepthMap depth, Path imagePath, Path depthPath) {}
