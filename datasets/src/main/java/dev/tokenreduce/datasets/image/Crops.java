package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;

/**
 * Cropping and padding of images, label maps and depth maps. Padding adds rows and columns at the bottom and right
 * (so pixel coordinates of the original stay valid), the convention of mmsegmentation and of sliding-window
 * inference.
 */
public final class Crops {

    private Crops() {}

    /** The region [x, x+w) × [y, y+h) of an image. */
    public static RgbImage crop(RgbImage image, int x, int y, int w, int h) {
        check(image.size(), x, y, w, h);
        byte[] out = new byte[w * h * 3];
        copyRows(image.data(), image.width(), 3, x, y, out, w, 0, 0, w, h);
        return new RgbImage(w, h, out);
    }

    /** The region [x, x+w) × [y, y+h) of a label map. */
    public static LabelMap crop(LabelMap labels, int x, int y, int w, int h) {
        check(labels.size(), x, y, w, h);
        int[] out = new int[w * h];
        copyRows(labels.data(), labels.width(), 1, x, y, out, w, 0, 0, w, h);
        return new LabelMap(w, h, out);
    }

    /** The region [x, x+w) × [y, y+h) of a depth map. */
    public static DepthMap crop(DepthMap depth, int x, int y, int w, int h) {
        check(depth.size(), x, y, w, h);
        float[] out = new float[w * h];
        copyRows(depth.data(), depth.width(), 1, x, y, out, w, 0, 0, w, h);
        return new DepthMap(w, h, out);
    }

    /**
     * A centred crop; the offset is ⌊(W − w)/2⌋, ⌊(H − h)/2⌋ (Hugging Face image processors' rule).
     *
     * @throws InvalidInputException when the image is smaller than the crop (resize or pad first)
     */
    public static RgbImage centerCrop(RgbImage image, ImageSize size) {
        int[] o = centerOffset(image.size(), size);
        return crop(image, o[0], o[1], size.width(), size.height());
    }

    /** A centred crop of a label map, same rule as for images. */
    public static LabelMap centerCrop(LabelMap labels, ImageSize size) {
        int[] o = centerOffset(labels.size(), size);
        return crop(labels, o[0], o[1], size.width(), size.height());
    }

    /**
     * Pads at the bottom and right to {@code size} with one colour.
     *
     * @throws InvalidInputException when the image is larger than {@code size}
     */
    public static RgbImage pad(RgbImage image, ImageSize size, int r, int g, int b) {
        checkPad(image.size(), size);
        if (image.size().equals(size)) {
            return image;
        }
        RgbImage canvas = RgbImage.filled(size.width(), size.height(), r, g, b);
        copyRows(image.data(), image.width(), 3, 0, 0, canvas.data(), size.width(), 0, 0, image.width(),
                image.height());
        return canvas;
    }

    /** Pads a label map at the bottom and right with {@code fill} (normally the ignore index, 255). */
    public static LabelMap pad(LabelMap labels, ImageSize size, int fill) {
        checkPad(labels.size(), size);
        if (labels.size().equals(size)) {
            return labels;
        }
        int[] out = new int[size.pixels()];
        Arrays.fill(out, fill);
        copyRows(labels.data(), labels.width(), 1, 0, 0, out, size.width(), 0, 0, labels.width(), labels.height());
        return new LabelMap(size.width(), size.height(), out);
    }

    /** Pads a depth map at the bottom and right with 0 (no measurement). */
    public static DepthMap pad(DepthMap depth, ImageSize size) {
        checkPad(depth.size(), size);
        if (depth.size().equals(size)) {
            return depth;
        }
        float[] out = new float[size.pixels()];
        copyRows(depth.data(), depth.width(), 1, 0, 0, out, size.width(), 0, 0, depth.width(), depth.height());
        return new DepthMap(size.width(), size.height(), out);
    }

    /**
     * The image centred on a square canvas of side max(W, H) filled with one colour (LLaVA-1.5's
     * {@code expand2square}, used with {@code image_aspect_ratio: pad}): the offset along the longer-side gap is
     * ⌊(side − short)/2⌋. A square image is returned as is.
     */
    public static RgbImage padToSquare(RgbImage image, int r, int g, int b) {
        int w = image.width();
        int h = image.height();
        if (w == h) {
            return image;
        }
        int side = Math.max(w, h);
        RgbImage canvas = RgbImage.filled(side, side, r, g, b);
        copyRows(image.data(), w, 3, 0, 0, canvas.data(), side, (side - w) / 2, (side - h) / 2, w, h);
        return canvas;
    }

    /** The smallest size ≥ {@code size} whose sides are multiples of {@code divisor} (e.g. the patch size). */
    public static ImageSize roundUpToMultiple(ImageSize size, int divisor) {
        if (divisor < 1) {
            throw new InvalidInputException("pad divisor must be >= 1, got " + divisor);
        }
        return new ImageSize(ceilTo(size.width(), divisor), ceilTo(size.height(), divisor));
    }

    private static int ceilTo(int v, int d) {
        return Math.multiplyExact((v + d - 1) / d, d);
    }

    private static int[] centerOffset(ImageSize image, ImageSize crop) {
        if (crop.width() > image.width() || crop.height() > image.height()) {
            throw new InvalidInputException("center crop " + crop + " is larger than the image " + image
                    + ": resize or pad first");
        }
        return new int[] {(image.width() - crop.width()) / 2, (image.height() - crop.height()) / 2};
    }

    private static void check(ImageSize size, int x, int y, int w, int h) {
        if (w < 1 || h < 1 || x < 0 || y < 0 || (long) x + w > size.width() || (long) y + h > size.height()) {
            throw new InvalidInputException("crop x=" + x + " y=" + y + " w=" + w + " h=" + h
                    + " does not lie inside the image " + size);
        }
    }

    private static void checkPad(ImageSize from, ImageSize to) {
        if (to.width() < from.width() || to.height() < from.height()) {
            throw new InvalidInputException("cannot pad " + from + " to the smaller size " + to);
        }
    }

    /** Copies a w×h block of rows between row-major arrays of any element type (System.arraycopy works on all). */
    private static void copyRows(Object src, int srcWidth, int channels, int sx, int sy, Object dst, int dstWidth,
            int dx, int dy, int w, int h) {
        for (int r = 0; r < h; r++) {
            System.arraycopy(src, ((sy + r) * srcWidth + sx) * channels, dst, ((dy + r) * dstWidth + dx) * channels,
                    w * channels);
        }
    }
}
