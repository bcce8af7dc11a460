package dev.tokenreduce.eval.flops;

/**
 * FLOPs of a LLaMA-style decoder, the formulas of the papers with grouped-query attention.
 *
 * <p>Prefill with n_l tokens in layer l: Σ_l [2·n_l·d·(d + 2·d_kv + d) + 4·n_l²·d + 6·n_l·d·m] (with d_kv = d this
 * is 8·n_l·d²). Attention counts the full n_l × n_l scores although causal masking skips half, as the papers
 * do. Decoding one new token: n = 1 and N_k = the layer's cache length (keys including the new token). RMSNorm,
 * softmax, SiLU, the gate product, RoPE and residual adds are "other"; the LM head is its own component.
 * Component names: {@code attention-linear}, {@code attention}, {@code mlp}, {@code norms-residuals},
 * {@code lm-head}.
 */
public final class LlmFlops {

    private LlmFlops() {}

    /**
     * Prefill of a prompt whose layer l sees {@code schedule.attentionTokens(l)} tokens.
     *
     * @param logitPositions positions the LM head runs on (1 when only the next token is needed)
     */
    public static FlopsBreakdown prefill(LlmShape shape, TokenSchedule schedule, long logitPositions) {
        checkLayers(shape, schedule);
        FlopsBreakdown.Accumulator acc = new FlopsBreakdown.Accumulator();
        for (int l = 0; l < schedule.layers(); l++) {
            long n = schedule.attentionTokens(l);
            addLayer(acc, shape, n, n, schedule.mlpTokens(l));
        }
        acc.add("norms-residuals", Flops.norm(schedule.outputTokens(), shape.hidden()));
        acc.add("lm-head", Flops.linear(logitPositions, shape.hidden(), shape.vocab(), false));
        return acc.build(schedule);
    }

    /**
     * One decoding step: the new token attends to {@code cacheLengths.attentionTokens(l)} keys in layer l (the
     * cache, including the new token); the LM head runs once.
     */
    public static FlopsBreakdown decodeStep(LlmShape shape, TokenSchedule cacheLengths) {
        checkLayers(shape, cacheLengths);
        FlopsBreakdown.Accumulator acc = new FlopsBreakdown.Accumulator();
        for (int l = 0; l < cacheLengths.layers(); l++) {
            addLayer(acc, shape, 1, cacheLengths.attentionTokens(l), 1);
        }
        acc.add("norms-residuals", Flops.norm(1, shape.hidden()));
        acc.add("lm-head", Flops.linear(1, shape.hidden(), shape.vocab(), false));
        return acc.build(cacheLengths);
    }

    /**
     * Prefill then {@code newTokens − 1} decoding steps (the first new token comes from the prefill logits). Layer
     * l's cache holds the tokens its prefill kept plus every decoded token.
     */
    public static FlopCount generation(LlmShape shape, TokenSchedule prefillSchedule, int newTokens) {
        if (newTokens < 1) {
            throw new IllegalArgumentException("generation needs at least 1 new token, got " + newTokens);
        }
        FlopCount total = prefill(shape, prefillSchedule, 1).total();
        int[] cache = new int[prefillSchedule.layers()];
        for (int step = 1; step < newTokens; step++) {
            for (int l = 0; l < cache.length; l++) {
                cache[l] = prefillSchedule.mlpTokens(l) + step;
            }
            total = total.plus(decodeStep(shape, TokenSchedule.of(cache)).total());
        }
        return total;
    }

    /** Matmul FLOPs of one prefill layer with n tokens, the spec's closed form. */
    public static long layerMatmul(LlmShape shape, long n) {
        long d = shape.hidden();
        long linear = Flops.mul(2, n, d, d + 2L * shape.kvDim() + d);
        return linear + Flops.mul(4, n, n, d) + Flops.mul(6, n, d, shape.intermediate());
    }

    private static void addLayer(FlopsBreakdown.Accumulator acc, LlmShape shape, long queries, long keys, long mlpTokens) {
        long d = shape.hidden();
        long dkv = shape.kvDim();
        long m = shape.intermediate();
        FlopCount attnLinear = Flops.linear(queries, d, d, false).plus(Flops.linear(queries, d, 2 * dkv, false))
                .plus(Flops.linear(queries, d, d, false));
        // Keys of all heads: a GQA group shares keys, but every query head still scores every key at headDim.
        FlopCount attn = Flops.attention(queries, keys, d, shape.heads());
        FlopCount rope = FlopCount.other(Flops.mul(3, queries, d + dkv));
        FlopCount mlp = Flops.linear(mlpTokens, d, 2 * m, false)
                .plus(Flops.activation(mlpTokens * m)).plus(FlopCount.other(mlpTokens * m))
                .plus(Flops.linear(mlpTokens, m, d, false));
        FlopCount normsResiduals = Flops.norm(queries, d).plus(Flops.adds(queries * d))
                .plus(Flops.norm(mlpTokens, d)).plus(Flops.adds(mlpTokens * d));
        acc.add("attention-linear", attnLinear);
        acc.add("attention", attn.plus(rope));
        acc.add("mlp", mlp);
        acc.add("norms-residuals", normsResiduals);
        acc.addLayer(attnLinear.plus(attn).plus(rope).plus(mlp).plus(normsResiduals));
    }

    private static void checkLayers(LlmShape shape, TokenSchedule schedule) {
        if (schedule.layers() != shape.layers()) {
            throw new IllegalArgumentException("token schedule has " + schedule.layers() + " layers but the decoder "
                    + shape.layers());
        }
    }
}
