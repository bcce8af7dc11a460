package dev.tokenreduce.core.token;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tokens between two hook points and everything needed to interpret or undo their reduction. Immutable: every
 * operator returns a new state; the arrays belong to the forward pass's NDManager scope.
 */
public final class TokenState {

    private final NDArray tokens;
    private final TokenLayout layout;
    private final NDArray positionIds;
    private final NDArray visualIndex;
    private final NDArray sizes;
    private final Restoration restoration;
    private final boolean merged;
    private final List<ReductionRecord> records;

    private TokenState(Builder b) {
        this.tokens = b.tokens;
        this.layout = b.layout;
        this.positionIds = b.positionIds;
        this.visualIndex = b.visualIndex;
        this.sizes = b.sizes;
        this.restoration = b.restoration;
        this.merged = b.merged;
        this.records = Collections.unmodifiableList(new ArrayList<>(b.records));
        validate();
    }

    /** A fresh state: nothing reduced yet. */
    public static TokenState of(NDArray tokens, TokenLayout layout) {
        return builder().setTokens(tokens).setLayout(layout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this state's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tokens = tokens;
        b.layout = layout;
        b.positionIds = positionIds;
        b.visualIndex = visualIndex;
        b.sizes = sizes;
        b.restoration = restoration;
        b.merged = merged;
        b.records.addAll(records);
        return b;
    }

    private void validate() {
        if (tokens == null || layout == null) {
            throw new InvalidInputException("a token state needs tokens and a layout");
        }
        if (tokens.getShape().dimension() != 3) {
            throw new InvalidInputException("tokens must be (B, L, C), got " + tokens.getShape());
        }
        if (tokens.getShape().get(1) != layout.total()) {
            throw new InvalidInputException("tokens have " + tokens.getShape().get(1) + " positions but the layout ("
                    + layout + ") describes " + layout.total());
        }
        if (restoration != null && restoration.reducedTokens() != layout.visual()) {
            throw new InvalidInputException("restoration expects " + restoration.reducedTokens()
                    + " visual tokens but the state has " + layout.visual());
        }
    }

    /** All tokens, (B, prefix + visual + suffix, C). */
    public NDArray tokens() {
        return tokens;
    }

    public TokenLayout layout() {
        return layout;
    }

    public long batchSize() {
        return tokens.getShape().get(0);
    }

    public long channels() {
        return tokens.getShape().get(2);
    }

    /** The prefix tokens (B, prefix, C). */
    public NDArray prefixTokens() {
        return tokens.get(new NDIndex(":, :{}", layout.prefix()));
    }

    /** The reducible tokens (B, visual, C). */
    public NDArray visualTokens() {
        return tokens.get(new NDIndex(":, {}:{}", layout.prefix(), layout.prefix() + layout.visual()));
    }

    /** The suffix tokens (B, suffix, C). */
    public NDArray suffixTokens() {
        return tokens.get(new NDIndex(":, {}:", layout.prefix() + layout.visual()));
    }

    /** Position ids (B or 1, L) int64 for hosts that use them (LLM decoders), or {@code null}. */
    public NDArray positionIds() {
        return positionIds;
    }

    /**
     * For each current visual token, the index of the original visual token it came from (B, visual) int64, or
     * {@code null} when nothing was selected yet or tokens were merged.
     */
    public NDArray visualIndex() {
        return visualIndex;
    }

    /**
     * The visual index once {@code kept} (B, k) of the current visual tokens are kept: the earlier tokens they were
     * selected from (the kept positions themselves when nothing was selected since the input or the last merge).
     */
    public NDArray visualIndexAfterKeeping(NDArray kept) {
        return visualIndex == null ? kept : visualIndex.gather(kept, 1);
    }

    /**
     * Whether some step merged visual tokens. A merge clears the visual index, so a visual index counts the input's
     * visual tokens (e.g. grid cells) exactly when the state was never merged; after a merge it counts merged tokens.
     */
    public boolean merged() {
        return merged;
    }

    /** ToMe token sizes (B, L, 1): how many original tokens each token holds; {@code null} = all ones. */
    public NDArray sizes() {
        return sizes;
    }

    /** Maps tensors aligned with the current visual tokens back to the original ones, or {@code null}. */
    public Restoration restoration() {
        return restoration;
    }

    /** What every operator applied so far did, in order. */
    public List<ReductionRecord> records() {
        return records;
    }

    /** Builder in DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private NDArray tokens;
        private TokenLayout layout;
        private NDArray positionIds;
        private NDArray visualIndex;
        private NDArray sizes;
        private Restoration restoration;
        private boolean merged;
        private final List<ReductionRecord> records = new ArrayList<>();

        public Builder setTokens(NDArray tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder setLayout(TokenLayout layout) {
            this.layout = layout;
            return this;
        }

        public Builder optPositionIds(NDArray positionIds) {
            this.positionIds = positionIds;
            return this;
        }

        public Builder optVisualIndex(NDArray visualIndex) {
            this.visualIndex = visualIndex;
            return this;
        }

        public Builder optSizes(NDArray sizes) {
            this.sizes = sizes;
            return this;
        }

        public Builder optRestoration(Restoration restoration) {
            this.restoration = restoration;
            return this;
        }

        /** Records that visual tokens were merged (sticky: a state derived from this one stays merged). */
        public Builder markMerged() {
            this.merged = true;
            return this;
        }

        public Builder addRecord(ReductionRecord record) {
            this.records.add(record);
            return this;
        }

        public TokenState build() {
            return new TokenState(this);
        }
    }
}
