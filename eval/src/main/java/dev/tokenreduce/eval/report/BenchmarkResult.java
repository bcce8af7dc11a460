package dev.tokenreduce.eval.report;

import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.eval.flops.FlopsBreakdown;
import dev.tokenreduce.eval.flops.TokenSchedule;
import dev.tokenreduce.eval.harness.LatencyStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one policy (or the baseline) achieved in a run.
 *
 * @param name policy name, unique in a report
 * @param schedule tokens per encoder block / decoder layer, or {@code null} when not known
 * @param gflops FLOPs per forward pass (reducer included) in 10⁹, or NaN when not computed
 * @param latency timing statistics, or {@code null} when not timed
 * @param metrics task metrics by name (mIoU, accuracy, AbsRel, ...), insertion-ordered
 * @param fidelity agreement with the unreduced model by name (cosine, prediction agreement), insertion-ordered
 * @param records what the policy's operators did (one entry per step and call kind)
 * @param details anything else worth keeping (FLOPs components, reducer time, throughput, the policy as data)
 */
public record BenchmarkResult(String name, TokenSchedule schedule, double gflops, LatencyStats latency,
        Map<String, Double> metrics, Map<String, Double> fidelity, List<ReductionRecord> records,
        Map<String, Object> details) {

    public BenchmarkResult {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a benchmark result needs a name");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics == null ? Map.of() : metrics));
        fidelity = Collections.unmodifiableMap(new LinkedHashMap<>(fidelity == null ? Map.of() : fidelity));
        records = List.copyOf(records == null ? List.of() : records);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
    }

    /** "1601×10 → 785×14", or "-" without a schedule. */
    public String tokensPerStage() {
        return schedule == null ? "-" : schedule.compact();
    }

    /** A metric, or NaN when absent. */
    public double metric(String key) {
        return metrics.getOrDefault(key, Double.NaN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder: {@code setName} required, the rest optional. */
    public static final class Builder {
        private String name;
        private TokenSchedule schedule;
        private double gflops = Double.NaN;
        private LatencyStats latency;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Double> fidelity = new LinkedHashMap<>();
        private final List<ReductionRecord> records = new ArrayList<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        public Builder optSchedule(TokenSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder optGflops(double gflops) {
            this.gflops = gflops;
            return this;
        }

        /** Schedule, GFLOPs and the FLOPs components (as a detail) from a breakdown. */
        public Builder optFlops(FlopsBreakdown flops) {
            this.schedule = flops.schedule();
            this.gflops = flops.gflops();
            this.details.put("flops", flops.asMap());
            return this;
        }

        public Builder optLatency(LatencyStats latency) {
            this.latency = latency;
            return this;
        }

        public Builder addMetric(String key, double value) {
            metrics.put(key, value);
            return this;
        }

        public Builder addFidelity(String key, double value) {
            fidelity.put(key, value);
            return this;
        }

        public Builder addRecords(List<ReductionRecord> more) {
            records.addAll(more);
            return this;
        }

        public Builder addDetail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        public BenchmarkResult build() {
            return new BenchmarkResult(name, schedule, gflops, latency, metrics, fidelity, records, details);
        }
    }
}
