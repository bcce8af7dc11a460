package dev.tokenreduce.datasets.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Copies between OpenCV Mats and Java arrays. Every Mat returned here is owned by the caller, who must close it
 * (try-with-resources) so native memory is released at once rather than at garbage collection.
 */
final class Mats {

    private Mats() {}

    /** An RGB image as a new BGR Mat (OpenCV's channel order). */
    static Mat bgrFrom(RgbImage image) {
        try (Mat rgb = new Mat(image.height(), image.width(), CV_8UC3)) {
            rgb.data().put(image.data());
            Mat bgr = new Mat();
            cvtColor(rgb, bgr, COLOR_RGB2BGR);
            return bgr;
        }
    }

    /** A continuous 8-bit 3-channel BGR Mat as an RGB image. */
    static RgbImage rgbFrom(Mat bgr) {
        checkType(bgr, CV_8UC3, "8-bit 3-channel");
        try (Mat rgb = new Mat()) {
            cvtColor(bgr, rgb, COLOR_BGR2RGB);
            byte[] data = new byte[rgb.rows() * rgb.cols() * 3];
            continuous(rgb).data().get(data);
            return new RgbImage(rgb.cols(), rgb.rows(), data);
        }
    }

    /** An RGB image as a new RGB Mat (no channel swap; for operations that do not care about order). */
    static Mat rgbMat(RgbImage image) {
        Mat rgb = new Mat(image.height(), image.width(), CV_8UC3);
        rgb.data().put(image.data());
        return rgb;
    }

    /** A continuous 8-bit 3-channel Mat copied verbatim (channel order preserved). */
    static RgbImage rgbFromRgbMat(Mat rgb) {
        checkType(rgb, CV_8UC3, "8-bit 3-channel");
        byte[] data = new byte[rgb.rows() * rgb.cols() * 3];
        continuous(rgb).data().get(data);
        return new RgbImage(rgb.cols(), rgb.rows(), data);
    }

    /** Unsigned values of an 8-bit or 16-bit single-channel Mat. */
    static int[] unsignedValues(Mat mat) {
        int n = mat.rows() * mat.cols();
        int[] out = new int[n];
        if (mat.type() == CV_8UC1) {
            byte[] b = new byte[n];
            mat.data().get(b);
            for (int i = 0; i < n; i++) {
                out[i] = b[i] & 0xFF;
            }
        } else if (mat.type() == CV_16UC1) {
            short[] s = new short[n];
            try (ShortPointer p = new ShortPointer(mat.data())) {
                p.get(s);
            }
            for (int i = 0; i < n; i++) {
                out[i] = s[i] & 0xFFFF;
            }
        } else {
            throw new IllegalArgumentException("expected CV_8UC1 or CV_16UC1, got type " + mat.type());
        }
        return out;
    }

    /** A new 8-bit (max ≤ 255) or 16-bit single-channel Mat holding the values. */
    static Mat unsignedMat(int width, int height, int[] values, boolean sixteenBit) {
        if (sixteenBit) {
            Mat mat = new Mat(height, width, CV_16UC1);
            short[] s = new short[values.length];
            for (int i = 0; i < values.length; i++) {
                s[i] = (short) values[i];
            }
            try (ShortPointer p = new ShortPointer(mat.data())) {
                p.put(s);
            }
            return mat;
        }
        Mat mat = new Mat(height, width, CV_8UC1);
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        mat.data().put(b);
        return mat;
    }

    /** A new single-channel float Mat holding the values. */
    static Mat floatMat(int width, int height, float[] values, int offset) {
        Mat mat = new Mat(height, width, CV_32FC1);
        try (FloatPointer p = new FloatPointer(mat.data())) {
            p.put(values, offset, width * height);
        }
        return mat;
    }

    /** Values of a continuous single-channel float Mat copied into {@code out} at {@code offset}. */
    static void floatValues(Mat mat, float[] out, int offset) {
        checkType(mat, CV_32FC1, "32-bit float single-channel");
        try (FloatPointer p = new FloatPointer(continuous(mat).data())) {
            p.get(out, offset, mat.rows() * mat.cols());
        }
    }

    private static Mat continuous(Mat mat) {
        if (!mat.isContinuous()) {
            // Every Mat this class reads is freshly allocated by OpenCV and therefore continuous.
            throw new IllegalStateException("non-continuous Mat");
        }
        return mat;
    }

    private static void checkType(Mat mat, int type, String what) {
        if (mat.type() != type) {
            throw new IllegalStateException("expected a " + what + " Mat, got type " + mat.type());
        }
    }
}
