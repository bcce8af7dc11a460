package dev.tokenreduce.datasets.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-channel normalisation of RGB pixels: {@code (pixel / 255 − mean) / std}, producing float CHW arrays or NDArrays
 * shaped (B, 3, H, W). Immutable.
 */
public final class Normalization {

    /** ImageNet statistics (torchvision, timm, DeiT, most segmentation backbones). */
    public static final Normalization IMAGENET = new Normalization("imagenet",
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** OpenAI CLIP statistics (CLIP towers, LLaVA). */
    public static final Normalization CLIP = new Normalization("clip",
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});

    /** Mean 0.5, std 0.5 (original Google ViT, SigLIP): maps pixels to [−1, 1]. */
    public static final Normalization HALF = new Normalization("half",
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

    private final String name;
    private final float[] mean;
    private final float[] std;

    private Normalization(String name, float[] mean, float[] std) {
        this.name = name;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Custom statistics on the 0..1 scale, R, G, B order.
     *
     * @throws InvalidInputException for arrays that are not of length 3, or a std that is not positive
     */
    public static Normalization of(float[] mean, float[] std) {
        if (mean == null || std == null || mean.length != 3 || std.length != 3) {
            throw new InvalidInputException("normalisation needs 3 means and 3 stds (R, G, B), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0) || !Float.isFinite(mean[c]) || Float.isInfinite(std[c])) {
                throw new InvalidInputException("normalisation: std must be positive and values finite, got mean "
                        + Arrays.toString(mean) + " std " + Arrays.toString(std));
            }
        }
        return new Normalization("custom", mean.clone(), std.clone());
    }

    /**
     * Custom statistics as a model config lists them (e.g. {@code image_mean}, {@code image_std}).
     *
     * @throws InvalidInputException as {@link #of(float[], float[])}, or for a missing list
     */
    public static Normalization of(List<Double> mean, List<Double> std) {
        if (mean == null || std == null) {
            throw new InvalidInputException("normalisation needs 3 means and 3 stds (R, G, B), got " + mean + " and "
                    + std);
        }
        return of(floats(mean), floats(std));
    }

    private static float[] floats(List<Double> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).floatValue();
        }
        return f;
    }

    /**
     * A preset by name: {@code imagenet}, {@code clip} or {@code half}.
     *
     * @throws InvalidInputException for any other name
     */
    public static Normalization preset(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "imagenet" -> IMAGENET;
            case "clip", "openai_clip" -> CLIP;
            case "half", "inception" -> HALF;
            default -> throw new InvalidInputException("unknown normalisation preset '" + name
                    + "': expected imagenet, clip or half");
        };
    }

    /** Channel means (0..1 scale), copied. */
    public float[] mean() {
        return mean.clone();
    }

    /** Channel standard deviations (0..1 scale), copied. */
    public float[] std() {
        return std.clone();
    }

    /** The normalised image as a float array laid out (3, H, W). */
    public float[] toChw(RgbImage image) {
        float[] out = new float[3 * image.size().pixels()];
        fill(image, out, 0);
        return out;
    }

    /** One image as an NDArray of shape (1, 3, H, W), FLOAT32, owned by {@code manager}. */
    public NDArray toNDArray(NDManager manager, RgbImage image) {
        return manager.create(toChw(image), new Shape(1, 3, image.height(), image.width()));
    }

    /**
     * A batch as an NDArray of shape (B, 3, H, W), FLOAT32, owned by {@code manager}.
     *
     * @throws InvalidInputException for an empty batch or images of different sizes
     */
    public NDArray toNDArray(NDManager manager, List<RgbImage> images) {
        if (images == null || images.isEmpty()) {
            throw new InvalidInputException("normalisation: the batch is empty");
        }
        ImageSize size = images.get(0).size();
        for (int i = 1; i < images.size(); i++) {
            if (!images.get(i).size().equals(size)) {
                throw new InvalidInputException("normalisation: batch images must share one size, image 0 is "
                        + size + " but image " + i + " is " + images.get(i).size() + " (resize or pad first)");
            }
        }
        int plane = 3 * size.pixels();
        float[] out = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            fill(images.get(i), out, i * plane);
        }
        return manager.create(out, new Shape(images.size(), 3, size.height(), size.width()));
    }

    /**
     * The inverse of {@link #toChw}: normalised floats laid out (3, H, W) back to 8-bit RGB, rounded and clamped to
     * 0..255 (to show what a model was given; values a pipeline pushed out of range are clipped, NaN becomes 0).
     *
     * @throws InvalidInputException when the array length is not 3·width·height
     */
    public RgbImage toRgb(float[] chw, int width, int height) {
        ImageSize size = new ImageSize(width, height);
        int n = size.pixels();
        if (chw == null || chw.length != 3L * n) {
            throw new InvalidInputException("normalisation: expected " + 3L * n + " values (3, " + height + ", "
                    + width + "), got " + (chw == null ? "null" : chw.length));
        }
        byte[] rgb = new byte[3 * n];
        for (int c = 0; c < 3; c++) {
            int base = c * n;
            for (int p = 0; p < n; p++) {
                float v = (chw[base + p] * std[c] + mean[c]) * 255f;
                // NaN fails both comparisons and lands on 0
                int b = v >= 255f ? 255 : v > 0f ? Math.round(v) : 0;
                rgb[p * 3 + c] = (byte) b;
            }
        }
        return new RgbImage(width, height, rgb);
    }

    private void fill(RgbImage image, float[] out, int offset) {
        byte[] rgb = image.data();
        int n = image.size().pixels();
        // Precompute the 256 possible outputs per channel: exact same float result as the formula, no division per pixel.
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        for (int c = 0; c < 3; c++) {
            float[] table = lut[c];
            int base = offset + c * n;
            for (int p = 0; p < n; p++) {
                out[base + p] = table[rgb[p * 3 + c] & 0xFF];
            }
        }
    }

    @Override
    public String toString() {
        return name + "(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
