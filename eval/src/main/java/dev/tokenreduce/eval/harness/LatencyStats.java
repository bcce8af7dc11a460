package dev.tokenreduce.eval.harness;

import java.util.Arrays;

/**
 * Summary of repeated timings, in milliseconds. Percentiles interpolate linearly between order statistics
 * (p = q·(n−1), the common "linear" definition), so the median of an even count is the mean of the middle two.
 *
 * @param count number of samples
 * @param medianMs 50th percentile
 * @param p90Ms 90th percentile
 * @param meanMs arithmetic mean
 * @param minMs fastest
 * @param maxMs slowest
 * @param stdDevMs sample standard deviation (n−1), 0 for one sample
 */
public record LatencyStats(int count, double medianMs, double p90Ms, double meanMs, double minMs, double maxMs,
        double stdDevMs) {

    /** Statistics of durations in nanoseconds. */
    public static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        return ofMillis(ms);
    }

    /** Statistics of durations in milliseconds. */
    public static LatencyStats ofMillis(double[] millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = millis.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        double mean = sum / s.length;
        double sq = 0;
        for (double v : s) {
            sq += (v - mean) * (v - mean);
        }
        double sd = s.length > 1 ? Math.sqrt(sq / (s.length - 1)) : 0;
        return new LatencyStats(s.length, percentile(s, 0.5), percentile(s, 0.9), mean, s[0], s[s.length - 1], sd);
    }

    /** The q-quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly. */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
