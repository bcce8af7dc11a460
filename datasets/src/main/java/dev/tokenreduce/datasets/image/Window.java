package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;

/**
 * A rectangular window of an image: columns [x, x + width), rows [y, y + height).
 *
 * @param x left column
 * @param y top row
 * @param width columns, at least 1
 * @param height rows, at least 1
 */
public record Window(int x, int y, int width, int height) {

    public Window {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new InvalidInputException("window needs x, y >= 0 and a positive size, got x=" + x + " y=" + y
                    + " w=" + width + " h=" + height);
        }
    }

    /** The window's pixels of an image. */
    public RgbImage crop(RgbImage image) {
        return Crops.crop(image, x, y, width, height);
    }

    /** The window's pixels of a label map. */
    public LabelMap crop(LabelMap labels) {
        return Crops.crop(labels, x, y, width, height);
    }

    /** Width and height. */
    public ImageSize size() {
        return new ImageSize(width, height);
    }
}
