package dev.tokenreduce.eval.report;

/**
 * One policy's line of the report table with the values derived against the baseline.
 *
 * @param result the policy's result
 * @param speedup baseline median latency / this median (NaN when either was not timed)
 * @param primaryMetric the headline metric value (NaN when absent)
 * @param deltaMetric primary metric minus the baseline's (NaN when either is absent)
 */
record ReportRow(BenchmarkResult result, double speedup, double primaryMetric, double deltaMetric) {

    static ReportRow of(BenchmarkResult r, BenchmarkResult baseline, String primaryMetric) {
        double speedup = Double.NaN;
        if (r.latency() != null && baseline.latency() != null && r.latency().medianMs() > 0) {
            speedup = baseline.latency().medianMs() / r.latency().medianMs();
        }
        double metric = primaryMetric == null ? Double.NaN : r.metric(primaryMetric);
        double base = primaryMetric == null ? Double.NaN : baseline.metric(primaryMetric);
        return new ReportRow(r, speedup, metric, metric - base);
    }

    double medianMs() {
        return result.latency() == null ? Double.NaN : result.latency().medianMs();
    }

    double p90Ms() {
        return result.latency() == null ? Double.NaN : result.latency().p90Ms();
    }

    double meanMs() {
        return result.latency() == null ? Double.NaN : result.latency().meanMs();
    }
}
