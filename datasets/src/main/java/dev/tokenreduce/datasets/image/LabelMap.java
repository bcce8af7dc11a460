package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;

/**
 * Per-pixel class indices, row-major. Values are kept exactly as stored in the annotation file (8-bit or 16-bit);
 * the ignore value (255 by convention) is an ordinary value here and is interpreted by the metrics.
 *
 * <p>The backing array is shared, not copied: treat {@link #data()} as read-only unless you own the map.
 */
public final class LabelMap {

    private final int width;
    private final int height;
    private final int[] labels;

    /**
     * Wraps a row-major label array.
     *
     * @throws InvalidInputException when the length is not width·height or a value is negative
     */
    public LabelMap(int width, int height, int[] labels) {
        ImageSize size = new ImageSize(width, height);
        if (labels == null || labels.length != size.pixels()) {
            throw new InvalidInputException("LabelMap " + size + ": expected " + size.pixels() + " labels, got "
                    + (labels == null ? "null" : labels.length));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new InvalidInputException("LabelMap " + size + ": negative label " + labels[i] + " at pixel "
                        + i);
            }
        }
        this.width = width;
        this.height = height;
        this.labels = labels;
    }

    /** A map with one value everywhere. */
    public static LabelMap filled(int width, int height, int value) {
        int[] data = new int[Math.multiplyExact(width, height)];
        Arrays.fill(data, value);
        return new LabelMap(width, height, data);
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

    /** The row-major labels, shared with this map. */
    public int[] data() {
        return labels;
    }

    /** The label at column x, row y. */
    public int get(int x, int y) {
        return labels[y * width + x];
    }

    /**
     * ADE20K's reduce-zero-label convention as a new map: 0 becomes {@code ignoreIndex}, every other value v becomes
     * v − 1, and values equal to {@code ignoreIndex} stay ignored.
     */
    public LabelMap reduceZeroLabel(int ignoreIndex) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            out[i] = (v == 0 || v == ignoreIndex) ? ignoreIndex : v - 1;
        }
        return new LabelMap(width, height, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap other && other.width == width && other.height == height
                && Arrays.equals(other.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabelMap[" + width + "x" + height + "]";
    }
}
