package dev.tokenreduce.eval.bench;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.eval.flops.FlopsBreakdown;
import dev.tokenreduce.eval.flops.RecordedRunFlops;
import dev.tokenreduce.eval.flops.VitFlops;
import dev.tokenreduce.eval.metrics.ConfusionMatrix;
import dev.tokenreduce.eval.metrics.DepthMetrics;
import dev.tokenreduce.eval.metrics.FidelityAccumulator;
import java.util.List;

/** Everything accumulated for one variant (the baseline or a policy) over the evaluated images. */
final class PolicyTally {

    final String name;
    /** Segmentation accuracy; null for a depth benchmark. */
    final ConfusionMatrix confusion;
    /** Depth errors; null for a segmentation benchmark. */
    final DepthMetrics depth;
    private double depthRelDiffSum;
    private long depthRelDiffPixels;
    final FidelityAccumulator fidelity = new FidelityAccumulator();
    private FlopsBreakdown firstFlops;
    private List<ReductionRecord> firstRecords = List.of();
    private double gflopsSum;
    private double gflopsMin = Double.POSITIVE_INFINITY;
    private double gflopsMax = Double.NEGATIVE_INFINITY;
    private int images;
    private int windowsMin = Integer.MAX_VALUE;
    private int windowsMax;

    PolicyTally(String name, ConfusionMatrix confusion) {
        this(name, confusion, null);
    }

    private PolicyTally(String name, ConfusionMatrix confusion, DepthMetrics depth) {
        this.name = name;
        this.confusion = confusion;
        this.depth = depth;
    }

    /** A tally of a depth benchmark. */
    static PolicyTally forDepth(String name, DepthMetrics depth) {
        return new PolicyTally(name, null, depth);
    }

    /** Fidelity of a depth map: adds |d − b| / b over the pixels where the baseline b is positive. */
    void addDepthDifference(float[] reduced, float[] baseline) {
        for (int i = 0; i < baseline.length; i++) {
            if (baseline[i] > 0) {
                depthRelDiffSum += Math.abs((double) reduced[i] - baseline[i]) / baseline[i];
                depthRelDiffPixels++;
            }
        }
    }

    /** Mean relative difference to the baseline's depth (NaN before any pixel). */
    double depthRelativeDifference() {
        return depthRelDiffPixels == 0 ? Double.NaN : depthRelDiffSum / depthRelDiffPixels;
    }

    /** Counts one image's FLOPs from its records (the encoder under the recorded schedule, reducers, the head). */
    void addRun(DensePredictor predictor, GridSize grid, List<ReductionRecord> records) {
        addWindows(predictor, grid, List.of(records));
    }

    /**
     * Counts one image's FLOPs as the sum over its forward windows (one for a whole-image pass; every window of a
     * sliding-window run, each under its own records). The breakdown kept for the report is the first window's.
     */
    void addRun(DensePredictor predictor, DensePrediction prediction) {
        addWindows(predictor, prediction.grid(), prediction.windowRecords());
    }

    private void addWindows(DensePredictor predictor, GridSize grid, List<List<ReductionRecord>> windows) {
        double g = 0;
        for (List<ReductionRecord> records : windows) {
            FlopsBreakdown f = records.isEmpty() ? VitFlops.baseline(predictor.shape(grid))
                    : RecordedRunFlops.flops(predictor.shape(grid), records);
            f = f.plus("head", predictor.headFlops(grid));
            if (firstFlops == null) {
                firstFlops = f;
                firstRecords = List.copyOf(records);
            }
            g += f.gflops();
        }
        windowsMin = Math.min(windowsMin, windows.size());
        windowsMax = Math.max(windowsMax, windows.size());
        gflopsSum += g;
        gflopsMin = Math.min(gflopsMin, g);
        gflopsMax = Math.max(gflopsMax, g);
        images++;
    }

    /** Fewest and most forward windows of one image so far ({0, 0} before any image). */
    int[] windowRange() {
        return images == 0 ? new int[] {0, 0} : new int[] {windowsMin, windowsMax};
    }

    /** The first image's (first window's) FLOPs breakdown (schedule and components), or null before any image. */
    FlopsBreakdown flops() {
        return firstFlops;
    }

    List<ReductionRecord> records() {
        return firstRecords;
    }

    double meanGflops() {
        return images == 0 ? Double.NaN : gflopsSum / images;
    }

    /** Whether FLOPs differed between images (data-dependent reductions). */
    boolean flopsVary() {
        return images > 0 && gflopsMax - gflopsMin > 1e-9;
    }

    double minGflops() {
        return gflopsMin;
    }

    double maxGflops() {
        return gflopsMax;
    }
}
