package dev.tokenreduce.datasets.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import java.util.List;

/**
 * Puts per-window logits back together into full-image logits, averaging where windows overlap (the sum of the
 * window logits at each pixel divided by the number of windows covering it).
 *
 * <p>Two forms: an accumulator on float arrays ({@link #add(Window, float[])}, {@link #result()}), which needs only
 * one window's logits at a time, and static functions on float arrays and NDArrays.
 */
public final class LogitStitcher {

    private final int channels;
    private final ImageSize image;
    private final float[] sum;
    private final int[] count;

    /** An empty accumulator for logits of {@code channels} classes over {@code image}. */
    public LogitStitcher(int channels, ImageSize image) {
        if (channels < 1) {
            throw new InvalidInputException("LogitStitcher: channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        this.image = image;
        this.sum = new float[Math.multiplyExact(channels, image.pixels())];
        this.count = new int[image.pixels()];
    }

    /**
     * Adds one window's logits laid out (channels, window height, window width).
     *
     * @throws InvalidInputException when the window leaves the image or the array has the wrong length
     */
    public LogitStitcher add(Window window, float[] logits) {
        checkWindow(window, image);
        long expected = (long) channels * window.width() * window.height();
        if (logits.length != expected) {
            throw new InvalidInputException("LogitStitcher: window " + window + " needs " + channels + "x"
                    + window.height() + "x" + window.width() + " = " + expected + " logits, got " + logits.length
                    + " (crop padded logits back to the window first)");
        }
        int plane = image.pixels();
        int wplane = window.width() * window.height();
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < window.height(); r++) {
                int dst = c * plane + (window.y() + r) * image.width() + window.x();
                int src = c * wplane + r * window.width();
                for (int k = 0; k < window.width(); k++) {
                    sum[dst + k] += logits[src + k];
                }
            }
        }
        for (int r = 0; r < window.height(); r++) {
            int dst = (window.y() + r) * image.width() + window.x();
            for (int k = 0; k < window.width(); k++) {
                count[dst + k]++;
            }
        }
        return this;
    }

    /**
     * The averaged logits (channels, H, W).
     *
     * @throws InvalidInputException when some pixel was covered by no window
     */
    public float[] result() {
        int plane = image.pixels();
        float[] out = new float[sum.length];
        for (int p = 0; p < plane; p++) {
            if (count[p] == 0) {
                throw uncovered(p, image);
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                out[c * plane + p] = sum[c * plane + p] / count[p];
            }
        }
        return out;
    }

    /** Stitches float logits, one (channels, h, w) array per window. */
    public static float[] stitch(List<Window> windows, List<float[]> logits, int channels, ImageSize image) {
        if (windows.size() != logits.size()) {
            throw new InvalidInputException("LogitStitcher: " + windows.size() + " windows but " + logits.size()
                    + " logit arrays");
        }
        LogitStitcher stitcher = new LogitStitcher(channels, image);
        for (int i = 0; i < windows.size(); i++) {
            stitcher.add(windows.get(i), logits.get(i));
        }
        return stitcher.result();
    }

    /**
     * Stitches NDArray logits on their device: {@code logits} is either one (N, C, h, w) batch or is given as a list
     * of (C, h, w) arrays, each matching its window's size. Returns (C, H, W) FLOAT32 in {@code manager}.
     */
    public static NDArray stitch(NDManager manager, List<Window> windows, List<NDArray> logits, ImageSize image) {
        if (windows.isEmpty() || windows.size() != logits.size()) {
            throw new InvalidInputException("LogitStitcher: " + windows.size() + " windows but " + logits.size()
                    + " logit arrays (need at least one of each, paired)");
        }
        long channels = logits.get(0).getShape().get(0);
        float[] counts = new float[image.pixels()];
        NDArray sum = manager.zeros(new Shape(channels, image.height(), image.width()), DataType.FLOAT32);
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            checkWindow(w, image);
            NDArray l = logits.get(i);
            Shape expected = new Shape(channels, w.height(), w.width());
            if (!l.getShape().equals(expected)) {
                throw new InvalidInputException("LogitStitcher: logits of window " + i + " " + w + " have shape "
                        + l.getShape() + ", expected " + expected + " (crop padded logits back to the window first)");
            }
            NDIndex region = new NDIndex(":, {}:{}, {}:{}", w.y(), w.y() + w.height(), w.x(), w.x() + w.width());
            try (NDArray current = sum.get(region);
                    NDArray f = l.toType(DataType.FLOAT32, false);
                    NDArray updated = current.add(f)) {
                sum.set(region, updated);
            }
            for (int r = 0; r < w.height(); r++) {
                int dst = (w.y() + r) * image.width() + w.x();
                for (int k = 0; k < w.width(); k++) {
                    counts[dst + k]++;
                }
            }
        }
        for (int p = 0; p < counts.length; p++) {
            if (counts[p] == 0) {
                sum.close();
                throw uncovered(p, image);
            }
        }
        try (NDArray c = manager.create(counts, new Shape(1, image.height(), image.width()))) {
            NDArray out = sum.div(c);
            sum.close();
            return out;
        }
    }

    /** {@link #stitch(NDManager, List, List, ImageSize)} for a batch (N, C, h, w) whose windows all share one size. */
    public static NDArray stitch(NDManager manager, List<Window> windows, NDArray batch, ImageSize image) {
        if (batch.getShape().dimension() != 4 || batch.getShape().get(0) != windows.size()) {
            throw new InvalidInputException("LogitStitcher: expected a batch (N=" + windows.size()
                    + ", C, h, w) of window logits, got shape " + batch.getShape());
        }
        NDManager scope = manager.newSubManager();
        try (scope) {
            List<NDArray> parts = new java.util.ArrayList<>(windows.size());
            for (int i = 0; i < windows.size(); i++) {
                NDArray part = batch.get(i);
                part.attach(scope);
                parts.add(part);
            }
            return stitch(manager, windows, parts, image);
        }
    }

    private static void checkWindow(Window w, ImageSize image) {
        if ((long) w.x() + w.width() > image.width() || (long) w.y() + w.height() > image.height()) {
            throw new InvalidInputException("LogitStitcher: window " + w + " leaves the image " + image);
        }
    }

    private static InvalidInputException uncovered(int pixel, ImageSize image) {
        return new InvalidInputException("LogitStitcher: pixel (x=" + pixel % image.width() + ", y="
                + pixel / image.width() + ") of " + image + " is covered by no window");
    }
}
