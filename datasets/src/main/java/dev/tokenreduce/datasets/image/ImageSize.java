package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;

/**
 * Width and height of an image in pixels (width first, as image libraries print it).
 *
 * @param width columns, at least 1
 * @param height rows, at least 1
 */
public record ImageSize(int width, int height) {

    public ImageSize {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("image size must be at least 1x1, got " + width + "x" + height);
        }
    }

    /** Number of pixels. */
    public int pixels() {
        return Math.multiplyExact(width, height);
    }

    /** The shorter side. */
    public int shortSide() {
        return Math.min(width, height);
    }

    /** The longer side. */
    public int longSide() {
        return Math.max(width, height);
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
