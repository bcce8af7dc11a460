package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.pruning.transprune.IgaWeights;
import java.util.ArrayList;
import java.util.List;

/** The LLaMA stack of a LLaVA model: token embedding, decoder layers, final norm and {@code lm_head}. */
final class LanguageModel {

    private final LlamaConfig config;
    private final LlavaWeights weights;
    private final List<DecoderLayer> layers = new ArrayList<>();

    LanguageModel(LlamaConfig config, LlavaWeights weights) {
        this.config = config;
        this.weights = weights;
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(new DecoderLayer(config, weights.layers().get(i), i));
        }
    }

    LlamaConfig config() {
        return config;
    }

    DecoderLayer layer(int index) {
        return layers.get(index);
    }

    /** (1, n, C) embeddings of {@code ids} (n ≥ 1), in {@code out}. */
    NDArray embed(long[] ids, NDManager out) {
        NDArray index = out.create(ids).reshape(ids.length, 1).broadcast(new Shape(ids.length, config.hiddenSize()));
        NDArray rows = Scoped.own(weights.embedTokens().gather(index, 0), out);
        return rows.expandDims(0);
    }

    /** Final norm and {@code lm_head}: (B, L, C) → (B, L, vocab), in {@code out}. */
    NDArray logits(NDArray h, NDManager out) {
        try (NDManager sub = out.newSubManager()) {
            h.tempAttach(sub);
            NDArray x = DecoderLayer.rmsNorm(h, weights.finalNorm(), config.rmsNormEps(), sub);
            return Scoped.own(Linear.linear(x, weights.lmHead(), null).singletonOrThrow(), out);
        }
    }

    /**
     * What TransPrune's instruction-guided attention reads from layer {@code index}, as views in {@code out} so the
     * arrays its computation derives from them (transposes) land there and not in the model's manager.
     */
    IgaWeights igaWeights(int index, NDManager out) {
        LlamaLayerWeights w = weights.layers().get(index);
        return IgaWeights.builder()
                .setNormWeight(view(w.inputNorm(), out))
                .setNormEps(config.rmsNormEps())
                .setQueryProjection(view(w.qProj(), out))
                .setKeyProjection(view(w.kProj(), out))
                .setNumHeads(config.numHeads())
                .optNumKvHeads(config.numKvHeads())
                .optRopeTheta(config.ropeTheta())
                .build();
    }

    /** A view of a weight owned by {@code out} (a copy if the engine returned the weight itself). */
    private static NDArray view(NDArray weight, NDManager out) {
        NDArray v = weight.reshape(weight.getShape());
        if (v == weight) {
            v = weight.duplicate();
        }
        v.attach(out);
        return v;
    }
}
