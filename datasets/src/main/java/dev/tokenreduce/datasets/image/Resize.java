package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Resizing of images (OpenCV filters), label and depth maps (nearest neighbour, so no invented classes or depths),
 * and float CHW arrays such as logits (bilinear, half-pixel centres).
 */
public final class Resize {

    private Resize() {}

    /** Bilinear resize of an RGB image to {@code size} (OpenCV INTER_LINEAR, as cv2.resize). */
    public static RgbImage bilinear(RgbImage image, ImageSize size) {
        return resize(image, size, Interpolation.BILINEAR);
    }

    /** Resize of an RGB image by a size rule with bilinear filtering. */
    public static RgbImage bilinear(RgbImage image, SizeRule rule) {
        return resize(image, rule.apply(image.size()), Interpolation.BILINEAR);
    }

    /** Resize of an RGB image with the given filter. Same size returns the image itself. */
    public static RgbImage resize(RgbImage image, ImageSize size, Interpolation interpolation) {
        if (image.size().equals(size)) {
            return image;
        }
        try (Mat src = Mats.rgbMat(image); Mat dst = new Mat(); Size dsize = new Size(size.width(), size.height())) {
            opencv_imgproc.resize(src, dst, dsize, 0, 0, interpolation.cvFlag());
            return Mats.rgbFromRgbMat(dst);
        }
    }

    /**
     * Nearest-neighbour resize of a label map with OpenCV's INTER_NEAREST rule (source index = ⌊dst · src/dst⌋),
     * computed in Java so that it works for any label value.
     */
    public static LabelMap nearest(LabelMap labels, ImageSize size) {
        if (labels.size().equals(size)) {
            return labels;
        }
        int[] xs = nearestIndex(labels.width(), size.width());
        int[] ys = nearestIndex(labels.height(), size.height());
        int[] src = labels.data();
        int[] out = new int[size.pixels()];
        for (int y = 0; y < size.height(); y++) {
            int row = ys[y] * labels.width();
            int o = y * size.width();
            for (int x = 0; x < size.width(); x++) {
                out[o + x] = src[row + xs[x]];
            }
        }
        return new LabelMap(size.width(), size.height(), out);
    }

    /** Nearest-neighbour resize of a depth map (same rule as labels, so invalid zeros are not smeared). */
    public static DepthMap nearest(DepthMap depth, ImageSize size) {
        if (depth.size().equals(size)) {
            return depth;
        }
        int[] xs = nearestIndex(depth.width(), size.width());
        int[] ys = nearestIndex(depth.height(), size.height());
        float[] src = depth.data();
        float[] out = new float[size.pixels()];
        for (int y = 0; y < size.height(); y++) {
            int row = ys[y] * depth.width();
            int o = y * size.width();
            for (int x = 0; x < size.width(); x++) {
                out[o + x] = src[row + xs[x]];
            }
        }
        return new DepthMap(size.width(), size.height(), out);
    }

    /**
     * Bilinear resize of a float array laid out (channels, height, width), with half-pixel centres and edge
     * clamping: the same sampling as PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} without
     * antialiasing. Used to bring logits to label resolution before the argmax.
     *
     * @throws InvalidInputException when the array length does not match channels·height·width
     */
    public static float[] bilinear(float[] chw, int channels, ImageSize from, ImageSize to) {
        if (channels < 1 || chw.length != (long) channels * from.pixels()) {
            throw new InvalidInputException("Resize.bilinear: expected " + channels + "x" + from.height() + "x"
                    + from.width() + " = " + (long) channels * from.pixels() + " floats, got " + chw.length);
        }
        int[] x0 = new int[to.width()];
        int[] x1 = new int[to.width()];
        float[] fx = new float[to.width()];
        sampling(from.width(), to.width(), x0, x1, fx);
        int[] y0 = new int[to.height()];
        int[] y1 = new int[to.height()];
        float[] fy = new float[to.height()];
        sampling(from.height(), to.height(), y0, y1, fy);
        int inPlane = from.pixels();
        int outPlane = to.pixels();
        float[] out = new float[channels * outPlane];
        for (int c = 0; c < channels; c++) {
            int base = c * inPlane;
            int obase = c * outPlane;
            for (int y = 0; y < to.height(); y++) {
                int r0 = base + y0[y] * from.width();
                int r1 = base + y1[y] * from.width();
                float wy = fy[y];
                int o = obase + y * to.width();
                for (int x = 0; x < to.width(); x++) {
                    float top = chw[r0 + x0[x]] * (1 - fx[x]) + chw[r0 + x1[x]] * fx[x];
                    float bottom = chw[r1 + x0[x]] * (1 - fx[x]) + chw[r1 + x1[x]] * fx[x];
                    out[o + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return out;
    }

    private static void sampling(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int d = 0; d < out; d++) {
            double s = Math.max(0.0, (d + 0.5) * scale - 0.5);
            int lo = Math.min((int) s, in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            frac[d] = (float) (s - lo);
        }
    }

    private static int[] nearestIndex(int in, int out) {
        double inverse = 1.0 / ((double) out / in);
        int[] idx = new int[out];
        for (int d = 0; d < out; d++) {
            idx[d] = Math.min((int) Math.floor(d * inverse), in - 1);
        }
        return idx;
    }
}
