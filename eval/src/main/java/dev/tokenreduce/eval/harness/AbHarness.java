package dev.tokenreduce.eval.harness;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.TokenReduceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times named variants (a baseline and policies) against each other in one process. Every variant is warmed up
 * (default 3 runs, interleaved), then each repeat runs every variant once in round-robin order, starting one
 * variant later each repeat (A B C, B C A, C A B, …), so slow drifts of the machine (thermal, other load, JIT)
 * fall on every variant alike and the ratios to the baseline are what to report.
 *
 * <pre>{@code
 * AbResult r = AbHarness.builder()
 *         .addVariant("baseline", Workload.of(() -> encoder.encode(pixels, Policy.none())))
 *         .addVariant("expedit", Workload.of(() -> encoder.encode(pixels, expedit)))
 *         .optRepeats(20)
 *         .build()
 *         .run();
 * double speedup = r.variant("expedit").speedup();
 * }</pre>
 */
public final class AbHarness {

    /** The spec's minimum warm-up runs per variant. */
    public static final int MIN_WARMUP = 3;
    /** The spec's minimum timed runs per variant. */
    public static final int MIN_REPEATS = 10;

    private final List<String> names;
    private final List<Workload> workloads;
    private final String baseline;
    private final int warmup;
    private final int repeats;
    private final int batchSize;
    private final ProgressReporter progress;
    private final NanoClock clock;

    private AbHarness(Builder b) {
        this.names = List.copyOf(b.names);
        this.workloads = List.copyOf(b.workloads);
        this.baseline = b.baseline != null ? b.baseline : b.names.get(0);
        this.warmup = b.warmup;
        this.repeats = b.repeats;
        this.batchSize = b.batchSize;
        this.progress = b.progress;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The order of the variants (indices) in round {@code round}: rotated by one each round. */
    static int[] roundOrder(int variants, int round) {
        int[] order = new int[variants];
        for (int i = 0; i < variants; i++) {
            order[i] = (round + i) % variants;
        }
        return order;
    }

    /**
     * Runs the warm-up and the timed repeats.
     *
     * @throws TokenReduceException naming the variant and run when a workload fails
     */
    public AbResult run() {
        int k = names.size();
        MemorySnapshot before = MemorySnapshot.now();
        progress.start("benchmark", (warmup + repeats) * k);
        long[][] samples = new long[k][repeats];
        List<Map<String, long[]>> phaseSamples = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            phaseSamples.add(new LinkedHashMap<>());
        }
        List<String> executionOrder = new ArrayList<>(repeats * k);
        try {
            for (int w = 0; w < warmup; w++) {
                for (int v : roundOrder(k, w)) {
                    runOnce(v, "warm-up " + (w + 1), PhaseRecorder.ignoring());
                    progress.step(names.get(v) + " (warm-up)");
                }
            }
            for (int r = 0; r < repeats; r++) {
                for (int v : roundOrder(k, r)) {
                    Map<String, Long> phases = new HashMap<>();
                    samples[v][r] = runOnce(v, "repeat " + (r + 1), (phase, nanos) -> phases.merge(phase, nanos, Long::sum));
                    for (Map.Entry<String, Long> e : phases.entrySet()) {
                        phaseSamples.get(v).computeIfAbsent(e.getKey(), key -> new long[repeats])[r] = e.getValue();
                    }
                    executionOrder.add(names.get(v));
                    progress.step(names.get(v));
                }
            }
        } finally {
            progress.finish();
        }
        MemorySnapshot after = MemorySnapshot.now();
        int baselineIndex = names.indexOf(baseline);
        double baselineMedian = LatencyStats.ofNanos(samples[baselineIndex]).medianMs();
        List<VariantResult> results = new ArrayList<>();
        for (int v = 0; v < k; v++) {
            LatencyStats stats = LatencyStats.ofNanos(samples[v]);
            Map<String, LatencyStats> phases = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : phaseSamples.get(v).entrySet()) {
                phases.put(e.getKey(), LatencyStats.ofNanos(e.getValue()));
            }
            double speedup = stats.medianMs() > 0 ? baselineMedian / stats.medianMs() : Double.NaN;
            double throughput = stats.medianMs() > 0 ? batchSize * 1000.0 / stats.medianMs() : Double.NaN;
            results.add(new VariantResult(names.get(v), stats, phases, samples[v], speedup, throughput));
        }
        return new AbResult(baseline, results, executionOrder, warmup, repeats, batchSize, before, after,
                ThreadUsage.now());
    }

    private long runOnce(int variant, String which, PhaseRecorder phases) {
        long start = clock.nanoTime();
        try {
            workloads.get(variant).run(phases);
        } catch (TokenReduceException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenReduceException("benchmark interrupted in variant '" + names.get(variant) + "' (" + which + ")", e);
        } catch (Exception e) {
            throw new TokenReduceException("variant '" + names.get(variant) + "' failed in " + which + ": " + e, e);
        }
        return clock.nanoTime() - start;
    }

    /** DJL-style builder: at least one {@code addVariant} required; everything else optional. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<Workload> workloads = new ArrayList<>();
        private String baseline;
        private int warmup = MIN_WARMUP;
        private int repeats = MIN_REPEATS;
        private int batchSize = 1;
        private boolean allowShortRuns;
        private ProgressReporter progress = ProgressReporter.quiet();
        private NanoClock clock = NanoClock.system();

        private Builder() {}

        /** Adds a variant; the first one added is the baseline unless {@link #optBaseline} says otherwise. */
        public Builder addVariant(String name, Workload workload) {
            if (name == null || name.isBlank()) {
                throw new InvalidInputException("a benchmark variant needs a name");
            }
            if (names.contains(name)) {
                throw new InvalidInputException("benchmark variant '" + name + "' added twice");
            }
            names.add(name);
            workloads.add(workload);
            return this;
        }

        /** The variant the ratios are relative to (default: the first added). */
        public Builder optBaseline(String name) {
            this.baseline = name;
            return this;
        }

        /** Warm-up runs per variant (default and minimum {@value AbHarness#MIN_WARMUP}). */
        public Builder optWarmup(int warmup) {
            this.warmup = warmup;
            return this;
        }

        /** Timed runs per variant (default and minimum {@value AbHarness#MIN_REPEATS}). */
        public Builder optRepeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        /** Items per run, for throughput (default 1). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Allows fewer than the minimum warm-up and timed runs (smoke tests, huge models). Results record the
         * counts actually used.
         */
        public Builder optAllowShortRuns(boolean allow) {
            this.allowShortRuns = allow;
            return this;
        }

        /** Where progress goes (default quiet; {@link ProgressReporter#forStderr()} for a CLI). */
        public Builder optProgress(ProgressReporter progress) {
            this.progress = progress;
            return this;
        }

        /** The clock (default {@link System#nanoTime()}). */
        public Builder optClock(NanoClock clock) {
            this.clock = clock;
            return this;
        }

        /** Validates the configuration. */
        public AbHarness build() {
            if (names.isEmpty()) {
                throw new InvalidInputException("a benchmark needs at least one variant");
            }
            if (baseline != null && !names.contains(baseline)) {
                throw new InvalidInputException("baseline '" + baseline + "' is not one of the variants " + names);
            }
            int minWarmup = allowShortRuns ? 0 : MIN_WARMUP;
            int minRepeats = allowShortRuns ? 1 : MIN_REPEATS;
            if (warmup < minWarmup) {
                throw new InvalidInputException("warm-up runs must be at least " + minWarmup + ", got " + warmup);
            }
            if (repeats < minRepeats) {
                throw new InvalidInputException("repeats must be at least " + minRepeats + ", got " + repeats);
            }
            if (batchSize < 1) {
                throw new InvalidInputException("batch size must be at least 1, got " + batchSize);
            }
            if (progress == null || clock == null) {
                throw new InvalidInputException("progress reporter and clock must not be null");
            }
            return new AbHarness(this);
        }
    }
}
