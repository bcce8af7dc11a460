package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.image.LabelMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.nio.file.Path;

/**
 * One image with its label map, the same size.
 *
 * @param name sample name
 * @param image the RGB image
 * @param label class indices exactly as stored (see {@link SegmentationDataset#reduceZeroLabel()})
 * @param imagePath source of the image (null for generated data)
 * @param labelPath source of the label map (null for generated data)
 */
public record SegmentationSample(String name, RgbImage image, LabelMap label, Path imagePath, Path labelPath) {}
