package dev.tokenreduce.vit.lvlm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenreduce.vit.ModelFormatException;

/**
 * The language model of a LLaVA checkpoint ({@code text_config}, {@code model_type: llama}), with the defaults of
 * transformers' {@code LlamaConfig} for fields the file leaves out.
 *
 * @param hiddenSize model width C
 * @param intermediateSize SwiGLU width
 * @param numLayers decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than {@code numHeads})
 * @param headDim per-head width ({@code head_dim}, default C / heads)
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta rotary base
 * @param vocabSize vocabulary size
 * @param tieWordEmbeddings whether {@code lm_head} reuses the token embedding
 * @param attentionBias whether q/k/v/o projections have biases
 * @param mlpBias whether the MLP projections have biases
 */
public record LlamaConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
        int headDim, double rmsNormEps, double ropeTheta, int vocabSize, boolean tieWordEmbeddings,
        boolean attentionBias, boolean mlpBias) {

    public LlamaConfig {
        if (hiddenSize < 1 || intermediateSize < 1 || numLayers < 1 || numHeads < 1 || numKvHeads < 1 || headDim < 1
                || vocabSize < 1) {
            throw new ModelFormatException("text_config: sizes must be positive: hidden " + hiddenSize
                    + ", intermediate " + intermediateSize + ", layers " + numLayers + ", heads " + numHeads
                    + ", kv heads " + numKvHeads + ", head dim " + headDim + ", vocab " + vocabSize);
        }
        if (numHeads % numKvHeads != 0) {
            throw new ModelFormatException("text_config: num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new ModelFormatException("text_config: the rotary embedding needs an even head dimension, got "
                    + headDim);
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
            throw new ModelFormatException("text_config: rms_norm_eps and rope_theta must be positive, got "
                    + rmsNormEps + " and " + ropeTheta);
        }
    }

    /** Query heads per key/value head. */
    public int groups() {
        return numHeads / numKvHeads;
    }

    /**
     * Reads {@code text_config}.
     *
     * @param node the {@code text_config} object (null = every default)
     * @param where file and field, for messages
     */
    static LlamaConfig parse(JsonNode node, String where) {
        Json j = new Json(node, where);
        String type = j.string("model_type", "llama");
        if (!type.equals("llama")) {
            throw new ModelFormatException(where + ", field 'model_type': unsupported language model '" + type
                    + "'; supported: llama");
        }
        String act = j.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new ModelFormatException(where + ", field 'hidden_act': unsupported activation '" + act
                    + "'; the LLaMA MLP here is SwiGLU (silu)");
        }
        if (j.has("rope_scaling")) {
            throw new ModelFormatException(where + ", field 'rope_scaling': RoPE scaling is not implemented"
                    + " (plain rotary embedding with rope_theta only)");
        }
        int hidden = j.integer("hidden_size", 4096);
        int heads = j.integer("num_attention_heads", 32);
        return new LlamaConfig(hidden, j.integer("intermediate_size", 11008), j.integer("num_hidden_layers", 32),
                heads, j.integer("num_key_value_heads", heads), j.integer("head_dim", hidden / Math.max(1, heads)),
                j.number("rms_norm_eps", 1e-6), j.number("rope_theta", 10000.0), j.integer("vocab_size", 32000),
                j.bool("tie_word_embeddings", false), j.bool("attention_bias", false), j.bool("mlp_bias", false));
    }
}
