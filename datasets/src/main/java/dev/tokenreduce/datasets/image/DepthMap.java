package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;

/**
 * Per-pixel depth in metres, row-major; 0 marks a pixel without a measurement (the convention of NYU Depth v2 and
 * KITTI depth PNGs).
 *
 * <p>The backing array is shared, not copied: treat {@link #data()} as read-only unless you own the map.
 */
public final class DepthMap {

    private final int width;
    private final int height;
    private final float[] depth;

    /**
     * Wraps a row-major depth array in metres.
     *
     * @throws InvalidInputException when the length is not width·height or a value is negative or NaN
     */
    public DepthMap(int width, int height, float[] depth) {
        ImageSize size = new ImageSize(width, height);
        if (depth == null || depth.length != size.pixels()) {
            throw new InvalidInputException("DepthMap " + size + ": expected " + size.pixels() + " values, got "
                    + (depth == null ? "null" : depth.length));
        }
        for (int i = 0; i < depth.length; i++) {
            if (!(depth[i] >= 0)) {
                throw new InvalidInputException("DepthMap " + size + ": depth must be >= 0 (0 = no measurement),"
                        + " got " + depth[i] + " at pixel " + i);
            }
        }
        this.width = width;
        this.height = height;
        this.depth = depth;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public ImageSize size() {
        return new ImageSize(width, height);
    }

    /** The row-major depths in metres, shared with this map. */
    public float[] data() {
        return depth;
    }

    /** Depth at column x, row y, in metres. */
    public float get(int x, int y) {
        return depth[y * width + x];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepthMap other && other.width == width && other.height == height
                && Arrays.equals(other.depth, depth);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(depth);
    }

    @Override
    public String toString() {
        return "DepthMap[" + width + "x" + height + "]";
    }
}
