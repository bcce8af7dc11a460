package dev.tokenreduce.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.datasets.DatasetException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    private static RgbImage gradient(int w, int h) {
        byte[] data = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                data[i] = (byte) (x * 255 / Math.max(1, w - 1));
                data[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                data[i + 2] = (byte) 77;
            }
        }
        return new RgbImage(w, h, data);
    }

    @Test
    void pngRoundTripIsExactAndKeepsRgbOrder() {
        RgbImage image = new RgbImage(2, 1, new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 200});
        Path p = dir.resolve("sub/red_blue.png");
        ImageFiles.writeRgb(p, image);
        RgbImage back = ImageFiles.readRgb(p);
        assertThat(back).isEqualTo(image);
        assertThat(back.get(0, 0, 0)).isEqualTo(255);
        assertThat(back.get(1, 0, 2)).isEqualTo(200);
    }

    @Test
    void jpegRoundTripIsClose() {
        RgbImage image = gradient(32, 24);
        Path p = dir.resolve("g.jpg");
        ImageFiles.writeRgb(p, image);
        RgbImage back = ImageFiles.readRgb(p);
        assertThat(back.size()).isEqualTo(new ImageSize(32, 24));
        int maxDiff = 0;
        for (int i = 0; i < image.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((image.data()[i] & 0xFF) - (back.data()[i] & 0xFF)));
        }
        assertThat(maxDiff).isLessThanOrEqualTo(12);
    }

    @Test
    void labelsRoundTripAs8And16Bit() {
        LabelMap small = new LabelMap(3, 2, new int[] {0, 1, 2, 150, 254, 255});
        Path p8 = dir.resolve("l8.png");
        ImageFiles.writeLabel(p8, small);
        assertThat(ImageFiles.readLabel(p8)).isEqualTo(small);

        LabelMap wide = new LabelMap(2, 1, new int[] {3, 1000});
        Path p16 = dir.resolve("l16.png");
        ImageFiles.writeLabel(p16, wide);
        assertThat(ImageFiles.readLabel(p16)).isEqualTo(wide);
    }

    @Test
    void palettePngLabelsGiveIndicesNotColours() throws IOException {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        r[1] = (byte) 128;
        g[2] = (byte) 128;
        r[255] = (byte) 224;
        g[255] = (byte) 224;
        b[255] = (byte) 192;
        IndexColorModel palette = new IndexColorModel(8, 256, r, g, b);
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, palette);
        WritableRaster raster = img.getRaster();
        raster.setSamples(0, 0, 3, 2, 0, new int[] {0, 1, 2, 255, 1, 0});
        Path p = dir.resolve("voc.png");
        assertThat(ImageIO.write(img, "png", p.toFile())).isTrue();

        LabelMap labels = ImageFiles.readLabel(p);
        assertThat(labels.data()).containsExactly(0, 1, 2, 255, 1, 0);
    }

    @Test
    void colourLabelImageIsRejected() {
        Path p = dir.resolve("colour.png");
        ImageFiles.writeRgb(p, gradient(4, 4));
        assertThatThrownBy(() -> ImageFiles.readLabel(p)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("colour.png").hasMessageContaining("3 channel");
    }

    @Test
    void depthRoundTripInMillimetres() {
        DepthMap depth = new DepthMap(2, 2, new float[] {0f, 1.234f, 9.999f, 65.535f});
        Path p = dir.resolve("d.png");
        ImageFiles.writeDepthMillimetres(p, depth);
        DepthMap back = ImageFiles.readDepthMillimetres(p);
        assertThat(back.data()).containsExactly(new float[] {0f, 1.234f, 9.999f, 65.535f},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(ImageFiles.readLabel(p).data()).containsExactly(0, 1234, 9999, 65535);
    }

    @Test
    void eightBitDepthIsRejected() {
        Path p = dir.resolve("d8.png");
        ImageFiles.writeLabel(p, LabelMap.filled(2, 2, 7));
        assertThatThrownBy(() -> ImageFiles.readDepthMillimetres(p)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("16-bit").hasMessageContaining("d8.png");
    }

    @Test
    void missingAndUndecodableFilesGiveClearErrors() throws IOException {
        Path missing = dir.resolve("nope.jpg");
        assertThatThrownBy(() -> ImageFiles.readRgb(missing)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("not found").hasMessageContaining("nope.jpg");
        Path garbage = dir.resolve("garbage.png");
        Files.writeString(garbage, "this is not a png");
        assertThatThrownBy(() -> ImageFiles.readRgb(garbage)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("cannot decode").hasMessageContaining("garbage.png");
        assertThatThrownBy(() -> ImageFiles.readLabel(garbage)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("cannot decode");
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> ImageFiles.readRgb(empty)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void labelsMustBeWrittenAsPng() {
        assertThatThrownBy(() -> ImageFiles.writeLabel(dir.resolve("l.jpg"), LabelMap.filled(1, 1, 0)))
                .isInstanceOf(DatasetException.class).hasMessageContaining(".png");
    }

    @Test
    void repeatedCodecAndResizeCallsReleaseNativeMemory() {
        Path rgb = dir.resolve("leak.png");
        Path label = dir.resolve("leak_label.png");
        Path depth = dir.resolve("leak_depth.png");
        RgbImage image = gradient(64, 48);
        ImageFiles.writeRgb(rgb, image);
        ImageFiles.writeLabel(label, LabelMap.filled(64, 48, 3));
        ImageFiles.writeDepthMillimetres(depth, new DepthMap(2, 2, new float[] {1, 2, 3, 4}));
        long before = org.bytedeco.javacpp.Pointer.totalBytes();
        for (int i = 0; i < 50; i++) {
            ImageFiles.writeRgb(dir.resolve("leak.jpg"), ImageFiles.readRgb(rgb));
            ImageFiles.readLabel(label);
            ImageFiles.readDepthMillimetres(depth);
            Resize.bilinear(image, new ImageSize(32, 20));
        }
        // Every Pointer and Mat is closed explicitly, so nothing is left for the garbage collector.
        assertThat(org.bytedeco.javacpp.Pointer.totalBytes()).isLessThanOrEqualTo(before);
    }

    @Test
    void greyImagesAreExpandedToRgb() {
        Path p = dir.resolve("grey.png");
        ImageFiles.writeLabel(p, new LabelMap(2, 1, new int[] {10, 200}));
        RgbImage rgb = ImageFiles.readRgb(p);
        assertThat(rgb.data()).containsExactly(10, 10, 10, (byte) 200, (byte) 200, (byte) 200);
    }
}
