package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.image.DepthMap;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.LabelMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny images, labels and depth maps for reader tests (through OpenCV, except palette PNGs). */
final class TestFiles {

    private TestFiles() {}

    /** A flat w×h image whose red channel is {@code tag} (flat, so JPEG keeps it within a grey level or two). */
    static void image(Path path, int w, int h, int tag) {
        ImageFiles.writeRgb(path, RgbImage.filled(w, h, tag, 60, 100));
    }

    /** A w×h label map: pixel i has value values[i % values.length]. */
    static LabelMap label(Path path, int w, int h, int... values) {
        int[] data = new int[w * h];
        for (int i = 0; i < data.length; i++) {
            data[i] = values[i % values.length];
        }
        LabelMap map = new LabelMap(w, h, data);
        ImageFiles.writeLabel(path, map);
        return map;
    }

    /** A w×h millimetre depth PNG with the given millimetre values cycled. */
    static void depthMm(Path path, int w, int h, int... mm) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = mm[i % mm.length] / 1000f;
        }
        ImageFiles.writeDepthMillimetres(path, new DepthMap(w, h, d));
    }

    /** A palette PNG (as VOC ships) whose indices cycle through {@code values}. */
    static void paletteLabel(Path path, int w, int h, int... values) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 37);
            g[i] = (byte) (i * 91);
            b[i] = (byte) (i * 13);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g,
                b));
        int[] data = new int[w * h];
        for (int i = 0; i < data.length; i++) {
            data[i] = values[i % values.length];
        }
        img.getRaster().setSamples(0, 0, w, h, 0, data);
        try {
            Files.createDirectories(path.getParent());
            if (!ImageIO.write(img, "png", path.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void text(Path path, String content) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
