package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The projector and language-model weights of a LLaVA checkpoint, F32, owned by the model's manager.
 *
 * @param projector1 (C_text, C_vision) first projector linear
 * @param projector1Bias (C_text) or {@code null}
 * @param projector2 (C_text, C_text)
 * @param projector2Bias (C_text) or {@code null}
 * @param embedTokens (vocab, C_text)
 * @param layers one entry per decoder layer
 * @param finalNorm (C_text)
 * @param lmHead (vocab, C_text); the embedding itself when the config ties them
 */
record LlavaWeights(NDArray projector1, NDArray projector1Bias, NDArray projector2, NDArray projector2Bias,
        NDArray embedTokens, List<LlamaLayerWeights> layers, NDArray finalNorm, NDArray lmHead) {

    LlavaWeights {
        layers = List.copyOf(layers);
    }
}
