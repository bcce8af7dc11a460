package dev.tokenreduce.eval.flops;

/**
 * The sizes of a LLaMA-style decoder that its FLOPs depend on.
 *
 * @param hidden d, the model width
 * @param layers decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads} for grouped-query attention)
 * @param intermediate m, the SwiGLU MLP width
 * @param vocab vocabulary size (the LM head)
 */
public record LlmShape(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab) {

    public LlmShape {
        if (hidden < 1 || layers < 1 || heads < 1 || kvHeads < 1 || intermediate < 1 || vocab < 1) {
            throw new IllegalArgumentException("invalid LLM shape: d=" + hidden + " layers=" + layers + " heads="
                    + heads + " kv=" + kvHeads + " m=" + intermediate + " vocab=" + vocab);
        }
        if (hidden % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + ", heads " + heads + " and kv heads " + kvHeads
                    + " do not divide");
        }
    }

    /** LLaMA-2-7B / Vicuna-7B (LLaVA-1.5-7B's language model). */
    public static LlmShape llama7b() {
        return new LlmShape(4096, 32, 32, 32, 11008, 32000);
    }

    /** Width of one head. */
    public int headDim() {
        return hidden / heads;
    }

    /** d_kv: the width of the key (or value) projection, kvHeads · headDim. */
    public int kvDim() {
        return kvHeads * headDim();
    }
}
