package dev.tokenreduce.vit.lvlm;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.pruning.PositionIds;
import java.util.Arrays;

/**
 * Per-call options of {@link VisionLanguageModel#generate}: how many tokens to decode, when to stop, greedy or
 * sampled decoding, and what of the prefill to keep for inspection. Built with {@link #builder()} (all optional).
 */
public final class GenerateOptions {

    private static final GenerateOptions DEFAULTS = builder().build();

    private final int maxNewTokens;
    private final long[] stopTokens;
    private final double temperature;
    private final int topK;
    private final long seed;
    private final boolean recordHidden;
    private final boolean allLogits;
    private final boolean checkInputs;
    private final PositionIds visionOutputPositions;

    private GenerateOptions(Builder b) {
        this.maxNewTokens = b.maxNewTokens;
        this.stopTokens = b.stopTokens.clone();
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.seed = b.seed;
        this.recordHidden = b.recordHidden;
        this.allLogits = b.allLogits;
        this.checkInputs = b.checkInputs;
        this.visionOutputPositions = b.visionOutputPositions;
    }

    /** 16 new tokens, greedy, no stop token, nothing recorded, inputs checked. */
    public static GenerateOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    public long[] stopTokens() {
        return stopTokens.clone();
    }

    boolean isStop(long token) {
        for (long s : stopTokens) {
            if (s == token) {
                return true;
            }
        }
        return false;
    }

    /** 0 = greedy (argmax). */
    public double temperature() {
        return temperature;
    }

    /** 0 = sample from the whole vocabulary. */
    public int topK() {
        return topK;
    }

    /** Seed of sampling and of operators with randomness. */
    public long seed() {
        return seed;
    }

    public boolean recordHidden() {
        return recordHidden;
    }

    public boolean allLogits() {
        return allLogits;
    }

    public boolean checkInputs() {
        return checkInputs;
    }

    /** Position ids of the sequence after vision-output steps reduced it (default: renumbered). */
    public PositionIds visionOutputPositions() {
        return visionOutputPositions;
    }

    @Override
    public String toString() {
        return "max-new-tokens " + maxNewTokens + ", stop " + Arrays.toString(stopTokens)
                + (temperature > 0 ? ", temperature " + temperature + ", top-k " + topK + ", seed " + seed : ", greedy");
    }

    /** Builder in DJL style (every option optional). */
    public static final class Builder {
        private int maxNewTokens = 16;
        private long[] stopTokens = new long[0];
        private double temperature;
        private int topK;
        private long seed;
        private boolean recordHidden;
        private boolean allLogits;
        private boolean checkInputs = true;
        private PositionIds visionOutputPositions = PositionIds.RENUMBER;

        private Builder() {}

        /** Tokens to decode after the prompt (0 = prefill only); default 16. */
        public Builder optMaxNewTokens(int n) {
            if (n < 0) {
                throw new InvalidInputException("generate: max-new-tokens must be >= 0, got " + n);
            }
            this.maxNewTokens = n;
            return this;
        }

        /** Token ids that end decoding (the stop token is returned as the last token). */
        public Builder optStopTokens(long... ids) {
            this.stopTokens = ids == null ? new long[0] : ids.clone();
            return this;
        }

        /** Sampling temperature; 0 (default) decodes greedily. */
        public Builder optTemperature(double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new InvalidInputException("generate: temperature must be >= 0 and finite, got " + t);
            }
            this.temperature = t;
            return this;
        }

        /** Sample only among the k most likely tokens (0 = all; only with a temperature). */
        public Builder optTopK(int k) {
            if (k < 0) {
                throw new InvalidInputException("generate: top-k must be >= 0, got " + k);
            }
            this.topK = k;
            return this;
        }

        /** Seed of sampling and of policy operators with randomness (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Keep every decoder layer's prefill output ({@code decoder.layer.i}) in the result. */
        public Builder optRecordHidden(boolean record) {
            this.recordHidden = record;
            return this;
        }

        /** Keep the prefill logits of every position, not only the last. */
        public Builder optAllLogits(boolean all) {
            this.allLogits = all;
            return this;
        }

        /** Check pixels and operator inputs for NaN/Inf (on by default). */
        public Builder optCheckInputs(boolean check) {
            this.checkInputs = check;
            return this;
        }

        /**
         * Position ids after vision-output steps: {@code RENUMBER} (default) gives the reduced sequence
         * contiguous ids 0..L'−1, as if the prompt had held fewer image tokens (what LLaVA-style pruners before
         * the language model do); {@code KEEP} leaves each token its id in the unreduced prompt.
         */
        public Builder optVisionOutputPositions(PositionIds positions) {
            this.visionOutputPositions = java.util.Objects.requireNonNull(positions, "positions");
            return this;
        }

        public GenerateOptions build() {
            return new GenerateOptions(this);
        }
    }
}
