package dev.tokenreduce.eval.report;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Small pictures of what a reduction did, over the input image: a cluster map (each token's cluster as a colour,
 * with cluster borders) and kept tokens (dropped patches dimmed). Inputs are plain arrays so any host can use
 * them: an RGB image as interleaved bytes (H·W·3, row-major) and a label per grid cell.
 */
public final class TokenMapImages {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private TokenMapImages() {}

    /** The RGB bytes (H·W·3, row-major, interleaved) as an image. */
    public static BufferedImage fromRgb(byte[] rgb, int width, int height) {
        checkRgb(rgb, width, height);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                img.setRGB(x, y, ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff));
            }
        }
        return img;
    }

    /** The image's pixels as RGB bytes (H·W·3, row-major, interleaved): the inverse of {@link #fromRgb}. */
    public static byte[] toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = image.getRGB(x, y);
                int i = 3 * (y * width + x);
                rgb[i] = (byte) (v >> 16);
                rgb[i + 1] = (byte) (v >> 8);
                rgb[i + 2] = (byte) v;
            }
        }
        return rgb;
    }

    /**
     * Each grid cell coloured by its cluster label, blended over the image, with a dark line where neighbouring
     * cells belong to different clusters.
     *
     * @param labels one label per grid cell (row-major), e.g. Expedit's hard labels
     * @param grid the token grid the labels are on
     * @param alpha weight of the label colour, 0–1
     */
    public static BufferedImage clusterMap(int[] labels, GridSize grid, byte[] rgb, int width, int height, float alpha) {
        checkLabels(labels, grid);
        checkAlpha(alpha);
        BufferedImage img = fromRgb(rgb, width, height);
        for (int y = 0; y < height; y++) {
            int gy = cellRow(y, height, grid);
            for (int x = 0; x < width; x++) {
                int gx = cellCol(x, width, grid);
                int label = labels[gy * grid.width() + gx];
                int rgbValue = blend(img.getRGB(x, y), palette(label), alpha);
                boolean border = (x + 1 < width && labels[gy * grid.width() + cellCol(x + 1, width, grid)] != label)
                        || (y + 1 < height && labels[cellRow(y + 1, height, grid) * grid.width() + gx] != label);
                img.setRGB(x, y, border ? 0x202020 : rgbValue);
            }
        }
        return img;
    }

    /**
     * The image with the patches of dropped tokens dimmed to 25 % and kept patches unchanged.
     *
     * @param keptIndices indices (row-major) of the kept grid cells
     */
    public static BufferedImage keptTokens(int[] keptIndices, GridSize grid, byte[] rgb, int width, int height) {
        boolean[] kept = new boolean[grid.cells()];
        for (int k : keptIndices) {
            if (k < 0 || k >= kept.length) {
                throw new InvalidInputException("kept token index " + k + " is outside the " + grid + " grid");
            }
            kept[k] = true;
        }
        BufferedImage img = fromRgb(rgb, width, height);
        for (int y = 0; y < height; y++) {
            int gy = cellRow(y, height, grid);
            for (int x = 0; x < width; x++) {
                if (!kept[gy * grid.width() + cellCol(x, width, grid)]) {
                    img.setRGB(x, y, blend(img.getRGB(x, y), 0x000000, 0.75f));
                }
            }
        }
        return img;
    }

    /** Writes {@code image} as PNG, creating parent folders. */
    public static void writePng(BufferedImage image, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image " + file, e);
        }
    }

    /** A distinct colour per label: hues spaced by the golden ratio. */
    static int palette(int label) {
        float hue = (float) ((label * 0.6180339887498949) % 1.0);
        return Color.HSBtoRGB(hue < 0 ? hue + 1 : hue, 0.75f, 0.95f) & 0xffffff;
    }

    private static int blend(int base, int over, float alpha) {
        int r = Math.round(((base >> 16) & 0xff) * (1 - alpha) + ((over >> 16) & 0xff) * alpha);
        int g = Math.round(((base >> 8) & 0xff) * (1 - alpha) + ((over >> 8) & 0xff) * alpha);
        int b = Math.round((base & 0xff) * (1 - alpha) + (over & 0xff) * alpha);
        return (r << 16) | (g << 8) | b;
    }

    private static int cellRow(int y, int height, GridSize grid) {
        return (int) ((long) y * grid.height() / height);
    }

    private static int cellCol(int x, int width, GridSize grid) {
        return (int) ((long) x * grid.width() / width);
    }

    private static void checkRgb(byte[] rgb, int width, int height) {
        if (width < 1 || height < 1) {
            throw new InvalidInputException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new InvalidInputException("RGB bytes: expected " + 3L * width * height + " for " + width + "x"
                    + height + ", got " + rgb.length);
        }
    }

    private static void checkLabels(int[] labels, GridSize grid) {
        if (labels.length != grid.cells()) {
            throw new InvalidInputException("cluster labels: expected " + grid.cells() + " for the " + grid
                    + " grid, got " + labels.length);
        }
    }

    private static void checkAlpha(float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new InvalidInputException("overlay alpha must be in [0, 1], got " + alpha);
        }
    }
}
