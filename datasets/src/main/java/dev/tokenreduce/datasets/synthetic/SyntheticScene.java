package dev.tokenreduce.datasets.synthetic;

import dev.tokenreduce.datasets.image.DepthMap;
import dev.tokenreduce.datasets.image.LabelMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.util.List;

/**
 * One generated scene: image, class labels, depth and instance ids, all the same size.
 *
 * @param index scene index within its generator
 * @param image 8-bit RGB rendering
 * @param label class per pixel ({@link ShapeClass#label()}), background 0
 * @param depth metres per pixel, quantised to whole millimetres (so a 16-bit millimetre PNG stores it exactly)
 * @param instances 0 for background, order + 1 of the front-most shape elsewhere
 * @param shapes the shapes in drawing order (back to front)
 */
public record SyntheticScene(long index, RgbImage image, LabelMap label, DepthMap depth, LabelMap instances,
        List<PlacedShape> shapes) {

    public SyntheticScene {
        shapes = List.copyOf(shapes);
    }

    /** File stem used when the scene is written to disk, e.g. {@code synthetic_000042}. */
    public String name() {
        return String.format("synthetic_%06d", index);
    }
}
