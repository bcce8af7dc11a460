package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.datasets.readers.DepthDataset;
import dev.tokenreduce.eval.metrics.DepthCrop;
import dev.tokenreduce.eval.metrics.DepthMetrics;
import dev.tokenreduce.eval.metrics.DepthScores;
import dev.tokenreduce.eval.report.BenchmarkResult;
import dev.tokenreduce.vit.head.BilinearUpsample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The depth side of {@link DenseBenchmark}: the evaluation protocol (valid pixels, depth caps, crop) taken from the
 * dataset unless overridden, predictions brought to the ground truth's resolution, and the metrics a result
 * carries (AbsRel first, the headline; RMSE and δ1 with their change against the baseline).
 */
final class DepthEvaluation {

    /** Headline depth metric key (mean absolute relative error; lower is better). */
    static final String ABS_REL = "AbsRel";
    static final String RMSE = "RMSE";
    static final String DELTA1 = "δ1";

    private final double minDepth;
    private final double maxDepth;
    private final boolean eigenCrop;

    /**
     * @param dataset supplies the conventional caps and crop
     * @param minDepth overrides the dataset's minimum (NaN: the dataset's)
     * @param maxDepth overrides the dataset's maximum (NaN: the dataset's)
     */
    DepthEvaluation(DepthDataset dataset, double minDepth, double maxDepth) {
        this.minDepth = Double.isNaN(minDepth) ? dataset.minDepth() : minDepth;
        this.maxDepth = Double.isNaN(maxDepth) ? dataset.maxDepth() : maxDepth;
        this.eigenCrop = dataset.eigenCrop();
        newMetrics(); // validates the range now, not after the first image
    }

    /** An empty accumulator with this protocol: GT in (min, max), predictions clamped to [min, max]. */
    DepthMetrics newMetrics() {
        DepthMetrics.Builder b = DepthMetrics.builder().optMinDepth(minDepth).optMaxDepth(maxDepth);
        if (eigenCrop) {
            b.optCrop(DepthCrop.nyuEigen());
        }
        return b.build();
    }

    /** The protocol, for results.json. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minDepth", minDepth);
        m.put("maxDepth", maxDepth);
        m.put("eigenCrop", eigenCrop);
        m.put("valid", "ground truth > 0 and inside (minDepth, maxDepth); predictions clamped to that range");
        return m;
    }

    /** (1, 1, gh, gw) depth in metres → row-major depth at ground-truth resolution (bilinear). */
    static float[] atResolution(NDArray depthMap, int height, int width, NDManager scope) {
        return BilinearUpsample.apply(depthMap, height, width, scope).toType(DataType.FLOAT32, false)
                .toFloatArray();
    }

    /** Adds one variant's depth metrics and fidelity; {@code base} is the baseline's scores. */
    static void addMetrics(BenchmarkResult.Builder b, PolicyTally t, DepthScores base) {
        DepthScores s = t.depth.result();
        b.addMetric(ABS_REL, s.absRel());
        b.addMetric(RMSE, s.rmse());
        b.addMetric(DELTA1, s.delta1());
        // the headline's change is the report's Δ column; RMSE and δ1 get theirs here
        b.addMetric("Δ" + RMSE, s.rmse() - base.rmse());
        b.addMetric("Δ" + DELTA1, s.delta1() - base.delta1());
        b.addMetric("SqRel", s.sqRel());
        b.addMetric("RMSElog", s.rmseLog());
        b.addMetric("δ2", s.delta2());
        b.addMetric("δ3", s.delta3());
        b.addFidelity("depth_rel_diff", t.depthRelativeDifference());
        b.addDetail("evaluatedPixels", s.validPixels());
        b.addDetail("imagesWithoutValidPixels", s.skippedImages());
    }
}
