package dev.tokenreduce.pruning;

/**
 * Names of the {@link dev.tokenreduce.core.op.StepContext} signals a language-model decoder hands the decoder-side
 * pruners ({@code todre-relevance}, {@code fastv}). The sequence layout is the state's {@code [prefix = system
 * prompt, visual, suffix = instruction text]}; every tensor covers the whole current sequence in that order.
 *
 * <p>Attention is causal by sequence order: query row i sees keys 0..i.
 */
public final class DecoderSignals {

    private DecoderSignals() {}

    /**
     * (B, heads, L, d_head) float: the query vectors of the layer the step runs after (the last layer that ran),
     * after the rotary embedding, before scaling. Only the rows an operator needs are read.
     */
    public static final String QUERIES = "decoder-queries";

    /**
     * (B, kv_heads, L, d_head) float: the key vectors of the same layer, after the rotary embedding. With
     * grouped-query attention {@code heads} must be a multiple of {@code kv_heads}; query head h uses key head
     * {@code h / (heads / kv_heads)} (the HuggingFace {@code repeat_kv} order).
     */
    public static final String KEYS = "decoder-keys";

    /**
     * (B, L) float, alternative to {@link #QUERIES}/{@link #KEYS} for FastV: the softmax attention the last prompt
     * token pays every key in the layer, averaged over heads (a host that already has the probabilities).
     */
    public static final String LAST_TOKEN_ATTENTION = "last-token-attention";
}
