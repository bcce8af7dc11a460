package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link VisionLanguageModel#generate} call produced. Arrays belong to the scope passed to it.
 */
public final class Generation {

    private final long[] tokens;
    private final String stopReason;
    private final NDArray lastLogits;
    private final NDArray prefillLogits;
    private final ImageFeatures image;
    private final Map<String, NDArray> hidden;
    private final TokenState state;
    private final KvCache cache;

    Generation(long[] tokens, String stopReason, NDArray lastLogits, NDArray prefillLogits, ImageFeatures image,
            Map<String, NDArray> hidden, TokenState state, KvCache cache) {
        this.tokens = tokens.clone();
        this.stopReason = stopReason;
        this.lastLogits = lastLogits;
        this.prefillLogits = prefillLogits;
        this.image = image;
        this.hidden = Collections.unmodifiableMap(new LinkedHashMap<>(hidden));
        this.state = state;
        this.cache = cache;
    }

    /** The new token ids, in order (a stop token, when one ended decoding, is the last). */
    public long[] tokens() {
        return tokens.clone();
    }

    /** {@code stop-token}, {@code max-new-tokens} or {@code prefill-only}. */
    public String stopReason() {
        return stopReason;
    }

    /** (1, vocab) logits at the last prompt position after the prefill. */
    public NDArray lastLogits() {
        return lastLogits;
    }

    /** (1, L', vocab) prefill logits of every remaining position, or {@code null} unless asked for. */
    public NDArray prefillLogits() {
        return prefillLogits;
    }

    /** The image features and [CLS] attention before any reduction. */
    public ImageFeatures image() {
        return image;
    }

    /** {@code decoder.layer.i}: (1, L_i, C) output of decoder layer i during the prefill, when recorded. */
    public Map<String, NDArray> hiddenStates() {
        return hidden;
    }

    /**
     * The sequence after the prefill: layout [prompt before the image, remaining image tokens, prompt after],
     * position ids, and {@link TokenState#visualIndex()} = the original image-token index of each remaining image
     * token ({@code null} when none was removed).
     */
    public TokenState state() {
        return state;
    }

    /** What every policy step did, in order. */
    public List<ReductionRecord> records() {
        return state.records();
    }

    /** The KV caches after decoding. */
    public KvCache cache() {
        return cache;
    }
}
