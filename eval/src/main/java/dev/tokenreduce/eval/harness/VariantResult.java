package dev.tokenreduce.eval.harness;

import java.util.Map;

/**
 * The timings of one variant.
 *
 * @param name variant name
 * @param latency statistics of whole runs
 * @param phases statistics of the phases the workload reported (reducer time, prefill, decode), by name
 * @param samplesNanos the measured durations in execution order
 * @param speedup baseline median / this median (above 1 = faster than the baseline)
 * @param throughput items per second at the median latency and the harness's batch size
 */
public record VariantResult(String name, LatencyStats latency, Map<String, LatencyStats> phases, long[] samplesNanos,
        double speedup, double throughput) {

    public VariantResult {
        phases = Map.copyOf(phases);
        samplesNanos = samplesNanos.clone();
    }

    @Override
    public long[] samplesNanos() {
        return samplesNanos.clone();
    }
}
