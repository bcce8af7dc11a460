package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sliding-window inference plans: crops of a fixed size placed every {@code stride} pixels, the last row and column
 * shifted back so they end at the image border (mmsegmentation's {@code slide} mode). Every pixel is covered at least
 * once; an image smaller than the crop gets one window equal to the image (pad it to the crop size for the model and
 * cut the logits back to the window before stitching).
 */
public final class SlidingWindows {

    private SlidingWindows() {}

    /**
     * The windows over {@code image}, row-major (top to bottom, left to right).
     *
     * @throws InvalidInputException for a non-positive stride, or a stride larger than the crop (pixels would be
     *     skipped)
     */
    public static List<Window> plan(ImageSize image, ImageSize crop, int strideX, int strideY) {
        if (strideX < 1 || strideY < 1) {
            throw new InvalidInputException("sliding windows need positive strides, got " + strideX + "x" + strideY);
        }
        if (strideX > crop.width() || strideY > crop.height()) {
            throw new InvalidInputException("sliding-window stride " + strideX + "x" + strideY
                    + " exceeds the crop " + crop + ": some pixels would never be covered");
        }
        int[] ys = starts(image.height(), crop.height(), strideY);
        int[] xs = starts(image.width(), crop.width(), strideX);
        int h = Math.min(crop.height(), image.height());
        int w = Math.min(crop.width(), image.width());
        List<Window> windows = new ArrayList<>(ys.length * xs.length);
        for (int y : ys) {
            for (int x : xs) {
                windows.add(new Window(x, y, w, h));
            }
        }
        return List.copyOf(windows);
    }

    /** {@link #plan(ImageSize, ImageSize, int, int)} with one stride for both axes. */
    public static List<Window> plan(ImageSize image, ImageSize crop, int stride) {
        return plan(image, crop, stride, stride);
    }

    private static int[] starts(int length, int crop, int stride) {
        int count = Math.max(length - crop + stride - 1, 0) / stride + 1;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int end = Math.min(i * stride + crop, length);
            out[i] = Math.max(end - crop, 0);
        }
        return out;
    }
}
