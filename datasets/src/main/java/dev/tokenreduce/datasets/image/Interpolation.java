package dev.tokenreduce.datasets.image;

import org.bytedeco.opencv.global.opencv_imgproc;

/** Resampling filters for RGB images (labels always use nearest neighbour). */
public enum Interpolation {
    /** OpenCV INTER_NEAREST. */
    NEAREST(opencv_imgproc.INTER_NEAREST),
    /** OpenCV INTER_LINEAR, half-pixel centres; cv2.resize's default and mmsegmentation's choice. */
    BILINEAR(opencv_imgproc.INTER_LINEAR),
    /** OpenCV INTER_CUBIC (a = −0.75). */
    BICUBIC(opencv_imgproc.INTER_CUBIC),
    /** OpenCV INTER_AREA: pixel-area averaging, the usual choice for strong downscaling. */
    AREA(opencv_imgproc.INTER_AREA);

    private final int cvFlag;

    Interpolation(int cvFlag) {
        this.cvFlag = cvFlag;
    }

    int cvFlag() {
        return cvFlag;
    }
}
