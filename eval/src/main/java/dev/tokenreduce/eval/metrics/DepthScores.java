package dev.tokenreduce.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Depth errors averaged over images (each image's metric over its valid pixels, then the mean over images, as the
 * BTS / Monodepth evaluation scripts do).
 *
 * @param absRel mean |d − g| / g (d prediction, g ground truth)
 * @param sqRel mean (d − g)² / g
 * @param rmse sqrt(mean (d − g)²)
 * @param rmseLog sqrt(mean (ln d − ln g)²)
 * @param delta1 fraction with max(d / g, g / d) &lt; 1.25
 * @param delta2 same below 1.25²
 * @param delta3 same below 1.25³
 * @param images images that had valid pixels
 * @param skippedImages images without any valid pixel (not in the means)
 * @param validPixels valid pixels over all images
 */
public record DepthScores(double absRel, double sqRel, double rmse, double rmseLog, double delta1, double delta2,
        double delta3, int images, int skippedImages, long validPixels) {

    /** The metrics under their customary keys (abs_rel, sq_rel, rmse, rmse_log, d1, d2, d3). */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("abs_rel", absRel);
        m.put("sq_rel", sqRel);
        m.put("rmse", rmse);
        m.put("rmse_log", rmseLog);
        m.put("d1", delta1);
        m.put("d2", delta2);
        m.put("d3", delta3);
        return m;
    }

    @Override
    public String toString() {
        return String.format("AbsRel=%.4f SqRel=%.4f RMSE=%.4f RMSElog=%.4f d1=%.4f d2=%.4f d3=%.4f (%d images,"
                + " %d skipped, %d pixels)", absRel, sqRel, rmse, rmseLog, delta1, delta2, delta3, images,
                skippedImages, validPixels);
    }
}
