package dev.tokenreduce.eval.harness;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The outcome of an A/B run.
 *
 * @param baseline name of the baseline variant
 * @param variants results in the order the variants were added
 * @param executionOrder the timed (non-warm-up) runs in the order they happened, by variant name
 * @param warmup warm-up runs per variant
 * @param repeats timed runs per variant
 * @param batchSize items per run (for throughput)
 * @param memoryBefore process memory before the first run
 * @param memoryAfter process memory after the last run
 * @param threads threads the run used
 */
public record AbResult(String baseline, List<VariantResult> variants, List<String> executionOrder, int warmup,
        int repeats, int batchSize, MemorySnapshot memoryBefore, MemorySnapshot memoryAfter, ThreadUsage threads) {

    public AbResult {
        variants = List.copyOf(variants);
        executionOrder = List.copyOf(executionOrder);
    }

    /** The result of a variant by name. */
    public VariantResult variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no variant '" + name + "'"));
    }

    /** The baseline's result. */
    public VariantResult baselineResult() {
        return variant(baseline);
    }
}
