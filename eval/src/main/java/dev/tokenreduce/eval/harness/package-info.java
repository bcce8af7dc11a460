/**
 * A/B timing in one process: named variants (the baseline and each policy) warmed up, then repeated in
 * round-robin order so machine drift cancels; latency statistics per variant, ratios to the baseline, process
 * memory and threads, and a progress bar on stderr that stays quiet when stderr is not a terminal.
 */
package dev.tokenreduce.eval.harness;
