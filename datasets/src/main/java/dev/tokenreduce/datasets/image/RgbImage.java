package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;

/**
 * An 8-bit RGB image, stored row-major as interleaved R, G, B bytes (HWC). Channel order is always RGB, whatever the
 * decoder's native order was.
 *
 * <p>The backing array is shared, not copied, for speed: treat {@link #data()} as read-only unless you own the image.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final byte[] rgb;

    /**
     * Wraps interleaved RGB bytes.
     *
     * @throws InvalidInputException when the array length is not width·height·3
     */
    public RgbImage(int width, int height, byte[] rgb) {
        ImageSize size = new ImageSize(width, height);
        if (rgb == null || rgb.length != (long) size.pixels() * 3) {
            throw new InvalidInputException("RgbImage " + size + ": expected " + (long) size.pixels() * 3
                    + " bytes (HWC), got " + (rgb == null ? "null" : rgb.length));
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** An image of one colour. */
    public static RgbImage filled(int width, int height, int r, int g, int b) {
        byte[] data = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        for (int i = 0; i < data.length; i += 3) {
            data[i] = (byte) r;
            data[i + 1] = (byte) g;
            data[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, data);
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

    /** The interleaved RGB bytes (unsigned; mask with 0xFF), shared with this image. */
    public byte[] data() {
        return rgb;
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) at column x, row y, as 0..255. */
    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
