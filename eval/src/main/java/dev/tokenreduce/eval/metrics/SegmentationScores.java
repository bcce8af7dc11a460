package dev.tokenreduce.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Segmentation scores of a {@link ConfusionMatrix}.
 *
 * @param meanIoU mean IoU over classes present in ground truth or prediction
 * @param pixelAccuracy correct over evaluated pixels ("aAcc")
 * @param meanClassAccuracy mean recall over classes present in the ground truth ("mAcc")
 * @param iou per-class IoU, NaN for absent classes
 * @param classesPresent classes with a defined IoU
 * @param images images accumulated
 * @param pixels pixels evaluated
 */
public record SegmentationScores(double meanIoU, double pixelAccuracy, double meanClassAccuracy, double[] iou,
        int classesPresent, int images, long pixels) {

    public SegmentationScores {
        iou = iou.clone();
    }

    @Override
    public double[] iou() {
        return iou.clone();
    }

    /** Headline numbers under stable keys (mIoU, aAcc, mAcc), for reports. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mIoU", meanIoU);
        m.put("aAcc", pixelAccuracy);
        m.put("mAcc", meanClassAccuracy);
        return m;
    }

    @Override
    public String toString() {
        return String.format("mIoU=%.4f aAcc=%.4f mAcc=%.4f (%d classes present, %d images, %d pixels)", meanIoU,
                pixelAccuracy, meanClassAccuracy, classesPresent, images, pixels);
    }
}
