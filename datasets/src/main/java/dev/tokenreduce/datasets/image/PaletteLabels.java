package dev.tokenreduce.datasets.image;

import dev.tokenreduce.datasets.DatasetException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Palette (indexed-colour) PNG label maps, as Pascal VOC ships them. OpenCV expands palettes to colours, which loses
 * the class indices, so these files are decoded with the JDK's PNG reader, which keeps the raw indices.
 */
final class PaletteLabels {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int COLOUR_TYPE_OFFSET = 25; // signature (8) + chunk length (4) + "IHDR" (4) + 9 bytes
    private static final int COLOUR_TYPE_PALETTE = 3;

    private PaletteLabels() {}

    /** True for a PNG whose IHDR chunk declares colour type 3 (palette). */
    static boolean isPalettePng(byte[] bytes) {
        if (bytes.length <= COLOUR_TYPE_OFFSET) {
            return false;
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (bytes[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return bytes[12] == 'I' && bytes[13] == 'H' && bytes[14] == 'D' && bytes[15] == 'R'
                && bytes[COLOUR_TYPE_OFFSET] == COLOUR_TYPE_PALETTE;
    }

    /** The palette indices of a palette PNG. */
    static LabelMap decode(byte[] bytes, Path path) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("cannot decode palette PNG label file " + path + ": " + e.getMessage(), e);
        }
        if (image == null || !(image.getColorModel() instanceof IndexColorModel)) {
            throw new DatasetException("cannot decode palette PNG label file " + path
                    + ": the JDK reader returned no indexed image");
        }
        Raster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] indices = raster.getSamples(0, 0, w, h, 0, new int[w * h]);
        return new LabelMap(w, h, indices);
    }
}
