package dev.tokenreduce.datasets.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import dev.tokenreduce.datasets.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads and writes images, label maps and depth maps with OpenCV.
 *
 * <ul>
 *   <li>Images: any format OpenCV decodes (JPEG, PNG, BMP, ...), converted to 8-bit RGB. EXIF orientation is
 *       ignored on purpose: annotation maps are aligned with the stored pixels, not with the rotated view.</li>
 *   <li>Labels: single-channel 8-bit or 16-bit PNGs are read as stored; palette (indexed-colour) PNGs such as Pascal
 *       VOC's {@code SegmentationClass} are read as their palette indices, not as colours.</li>
 *   <li>Depth: single-channel 16-bit PNGs, scaled to metres (NYU Depth v2 and KITTI store millimetres, 1/1000;
 *       KITTI's depth benchmark stores 1/256 m).</li>
 * </ul>
 * Files are read into memory and decoded from there, so a missing file, an I/O failure and undecodable content each
 * give their own clear {@link DatasetException} naming the path.
 */
public final class ImageFiles {

    /** Metres per unit of a millimetre depth PNG. */
    public static final double MILLIMETRES = 0.001;

    private static final int JPEG_QUALITY = 95;

    private ImageFiles() {}

    /**
     * Decodes an image file to 8-bit RGB (grey images are expanded to three channels, alpha is dropped, 16-bit is
     * reduced to 8-bit).
     *
     * @throws DatasetException for a missing, unreadable or undecodable file
     */
    public static RgbImage readRgb(Path path) {
        byte[] bytes = readBytes(path, "image");
        try (Mat bgr = decode(bytes, IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION, path, "image")) {
            return Mats.rgbFrom(bgr);
        }
    }

    /**
     * Decodes a label map: single-channel 8-bit or 16-bit values as stored, or the indices of a palette PNG.
     *
     * @throws DatasetException for a missing or undecodable file, or a multi-channel (colour) label image
     */
    public static LabelMap readLabel(Path path) {
        byte[] bytes = readBytes(path, "label");
        if (PaletteLabels.isPalettePng(bytes)) {
            return PaletteLabels.decode(bytes, path);
        }
        try (Mat mat = decode(bytes, IMREAD_UNCHANGED, path, "label")) {
            if (mat.type() != CV_8UC1 && mat.type() != CV_16UC1) {
                throw new DatasetException("label file " + path + " has " + mat.channels() + " channel(s) of "
                        + depthName(mat.depth()) + ": expected a single-channel 8-bit or 16-bit image of class"
                        + " indices (or a palette PNG); colour-coded annotations must be converted to indices first");
            }
            return new LabelMap(mat.cols(), mat.rows(), Mats.unsignedValues(mat));
        }
    }

    /**
     * Decodes a 16-bit single-channel depth PNG and scales it to metres ({@code metresPerUnit}, e.g.
     * {@link #MILLIMETRES}). Zero stays zero (no measurement).
     *
     * @throws DatasetException for a missing or undecodable file, or anything but single-channel 16-bit
     */
    public static DepthMap readDepth(Path path, double metresPerUnit) {
        if (!(metresPerUnit > 0) || Double.isInfinite(metresPerUnit)) {
            throw new DatasetException("depth scale must be a positive number of metres per unit, got "
                    + metresPerUnit + " for " + path);
        }
        byte[] bytes = readBytes(path, "depth");
        try (Mat mat = decode(bytes, IMREAD_UNCHANGED, path, "depth")) {
            if (mat.type() != CV_16UC1) {
                throw new DatasetException("depth file " + path + " has " + mat.channels() + " channel(s) of "
                        + depthName(mat.depth()) + ": expected a single-channel 16-bit PNG (e.g. millimetres);"
                        + " 8-bit depth images carry no metric scale and are not supported");
            }
            int[] raw = Mats.unsignedValues(mat);
            float[] metres = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                metres[i] = (float) (raw[i] * metresPerUnit);
            }
            return new DepthMap(mat.cols(), mat.rows(), metres);
        }
    }

    /** {@link #readDepth(Path, double)} for millimetre PNGs. */
    public static DepthMap readDepthMillimetres(Path path) {
        return readDepth(path, MILLIMETRES);
    }

    /**
     * Encodes an RGB image; the format follows the file extension (.png lossless, .jpg/.jpeg at quality 95, any
     * other extension OpenCV knows). Parent folders are created.
     */
    public static void writeRgb(Path path, RgbImage image) {
        boolean jpeg = isJpeg(path);
        try (Mat bgr = Mats.bgrFrom(image)) {
            write(path, bgr, jpeg ? new int[] {IMWRITE_JPEG_QUALITY, JPEG_QUALITY} : new int[0]);
        }
    }

    /**
     * Encodes a label map as a single-channel PNG: 8-bit when every value fits, otherwise 16-bit.
     *
     * @throws DatasetException for a non-PNG path (lossy formats would corrupt class indices) or values above 65535
     */
    public static void writeLabel(Path path, LabelMap labels) {
        requirePng(path, "label");
        int max = 0;
        for (int v : labels.data()) {
            max = Math.max(max, v);
        }
        if (max > 0xFFFF) {
            throw new DatasetException("label value " + max + " does not fit a 16-bit PNG: " + path);
        }
        try (Mat mat = Mats.unsignedMat(labels.width(), labels.height(), labels.data(), max > 0xFF)) {
            write(path, mat, new int[0]);
        }
    }

    /**
     * Encodes a depth map as a 16-bit PNG in units of {@code metresPerUnit} (rounded; values beyond the 16-bit range
     * are clamped to 65535).
     */
    public static void writeDepth(Path path, DepthMap depth, double metresPerUnit) {
        requirePng(path, "depth");
        float[] m = depth.data();
        int[] units = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            units[i] = (int) Math.min(0xFFFF, Math.round(m[i] / metresPerUnit));
        }
        try (Mat mat = Mats.unsignedMat(depth.width(), depth.height(), units, true)) {
            write(path, mat, new int[0]);
        }
    }

    /** {@link #writeDepth(Path, DepthMap, double)} in millimetres. */
    public static void writeDepthMillimetres(Path path, DepthMap depth) {
        writeDepth(path, depth, MILLIMETRES);
    }

    private static byte[] readBytes(Path path, String kind) {
        try {
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length == 0) {
                throw new DatasetException(kind + " file is empty: " + path);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new DatasetException(kind + " file not found: " + path, e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + kind + " file " + path + ": " + e.getMessage(), e);
        }
    }

    private static Mat decode(byte[] bytes, int flags, Path path, String kind) {
        Mat decoded;
        try (BytePointer data = new BytePointer(bytes); Mat buffer = new Mat(1, bytes.length, CV_8UC1, data)) {
            decoded = imdecode(buffer, flags);
        } catch (RuntimeException e) {
            throw new DatasetException("cannot decode " + kind + " file " + path + ": " + e.getMessage(), e);
        }
        if (decoded == null || decoded.empty()) {
            if (decoded != null) {
                decoded.close();
            }
            throw new DatasetException("cannot decode " + kind + " file " + path + " (" + bytes.length
                    + " bytes): not an image format OpenCV can read, or the file is truncated");
        }
        return decoded;
    }

    private static void write(Path path, Mat mat, int[] params) {
        String ext = extension(path);
        if (ext.isEmpty()) {
            throw new DatasetException("cannot choose an image format for " + path + ": the name has no extension");
        }
        byte[] encoded;
        try (BytePointer out = new BytePointer(); IntPointer p = new IntPointer(params)) {
            boolean ok = imencode("." + ext, mat, out, p);
            if (!ok) {
                throw new DatasetException("OpenCV could not encode " + path + " as ." + ext);
            }
            encoded = new byte[(int) out.limit()];
            out.get(encoded);
        } catch (RuntimeException e) {
            if (e instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException("cannot encode " + path + ": " + e.getMessage(), e);
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(path, encoded);
        } catch (IOException e) {
            throw new DatasetException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void requirePng(Path path, String kind) {
        if (!extension(path).equals("png")) {
            throw new DatasetException(kind + " maps must be written as .png (lossless), got " + path);
        }
    }

    private static boolean isJpeg(Path path) {
        String ext = extension(path);
        return ext.equals("jpg") || ext.equals("jpeg");
    }

    static String extension(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String depthName(int depth) {
        return switch (depth) {
            case 0 -> "8-bit unsigned";
            case 1 -> "8-bit signed";
            case 2 -> "16-bit unsigned";
            case 3 -> "16-bit signed";
            case 4 -> "32-bit integer";
            case 5 -> "32-bit float";
            case 6 -> "64-bit float";
            default -> "depth code " + depth;
        };
    }
}
