package dev.tokenreduce.pruning.transprune;

import dev.tokenreduce.core.InvalidInputException;

/**
 * FLOPs of a TransPrune prefill (paper eq. 7):
 * {@code Σ_i k_i (4 n_i d² + 2 n_i² d + 3 n_i d m) + Σ_{i<s} l · n_i · d}, for stages i = 0 … s (stage 0 runs
 * before the first pruning, stage i after the i-th), with k_i decoder layers and n_i tokens in stage i, hidden size
 * d, FFN intermediate size m, and l instruction tokens: the second sum is the extra cost of the instruction-guided
 * attention scores computed before each of the s prunings (l query rows against the n_i tokens). The TTV itself
 * (norms and cosines, O(n·d) per accumulated layer) is of lower order and not counted, as in the paper.
 */
public final class TransPruneCost {

    private TransPruneCost() {}

    /**
     * @param layersPerStage k_0 … k_s
     * @param tokensPerStage n_0 … n_s (whole sequence length in each stage)
     * @param hidden d
     * @param intermediate m
     * @param instructionTokens l
     * @return the total, including {@link #extra}
     */
    public static double flops(int[] layersPerStage, long[] tokensPerStage, long hidden, long intermediate,
            long instructionTokens) {
        check(layersPerStage, tokensPerStage);
        double total = 0;
        double d = hidden;
        for (int i = 0; i < layersPerStage.length; i++) {
            double n = tokensPerStage[i];
            total += layersPerStage[i] * (4 * n * d * d + 2 * n * n * d + 3 * n * d * intermediate);
        }
        return total + extra(tokensPerStage, hidden, instructionTokens);
    }

    /** The extra term {@code Σ_{i<s} l · n_i · d} alone (the scoring's own cost). */
    public static double extra(long[] tokensPerStage, long hidden, long instructionTokens) {
        double extra = 0;
        for (int i = 0; i + 1 < tokensPerStage.length; i++) {
            extra += (double) instructionTokens * tokensPerStage[i] * hidden;
        }
        return extra;
    }

    private static void check(int[] layers, long[] tokens) {
        if (layers.length == 0 || layers.length != tokens.length) {
            throw new InvalidInputException("transprune cost: " + layers.length + " stage layer counts but "
                    + tokens.length + " token counts");
        }
    }
}
