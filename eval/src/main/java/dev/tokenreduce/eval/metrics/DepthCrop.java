package dev.tokenreduce.eval.metrics;

import dev.tokenreduce.core.InvalidInputException;

/**
 * An evaluation crop for depth, as fractions of image height and width (so it scales with the image). Pixel bounds
 * are rounded to the nearest integer: rows [round(top·H), round(bottom·H)), columns [round(left·W), round(right·W)).
 *
 * @param top first row fraction
 * @param bottom end row fraction (exclusive)
 * @param left first column fraction
 * @param right end column fraction (exclusive)
 */
public record DepthCrop(double top, double bottom, double left, double right) {

    public DepthCrop {
        if (!(0 <= top && top < bottom && bottom <= 1 && 0 <= left && left < right && right <= 1)) {
            throw new InvalidInputException("depth crop fractions must satisfy 0 <= top < bottom <= 1 and"
                    + " 0 <= left < right <= 1, got " + top + ", " + bottom + ", " + left + ", " + right);
        }
    }

    /** NYU Depth v2's Eigen crop: rows 45..471, columns 41..601 of 480×640. */
    public static DepthCrop nyuEigen() {
        return new DepthCrop(45.0 / 480, 471.0 / 480, 41.0 / 640, 601.0 / 640);
    }

    /** KITTI's Garg crop. */
    public static DepthCrop kittiGarg() {
        return new DepthCrop(0.40810811, 0.99189189, 0.03594771, 0.96405229);
    }

    /** KITTI's Eigen crop. */
    public static DepthCrop kittiEigen() {
        return new DepthCrop(0.3324324, 0.91351351, 0.0359477, 0.96405229);
    }

    /** Pixel bounds {rowStart, rowEnd, colStart, colEnd} for an image of the given size. */
    public int[] bounds(int width, int height) {
        return new int[] {(int) Math.round(top * height), (int) Math.round(bottom * height),
            (int) Math.round(left * width), (int) Math.round(right * width)};
    }
}
