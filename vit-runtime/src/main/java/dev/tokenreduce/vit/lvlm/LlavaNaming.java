package dev.tokenreduce.vit.lvlm;

import dev.tokenreduce.vit.ModelFormatException;
import java.util.Set;

/**
 * Where a LLaVA checkpoint keeps the projector and language-model tensors. Two layouts are accepted: llava-hf's
 * ({@code multi_modal_projector.*}, {@code language_model.model.*}, {@code language_model.lm_head.*}) and
 * transformers ≥ 4.52's ({@code model.multi_modal_projector.*}, {@code model.language_model.*},
 * {@code lm_head.*}). The vision tower's prefix is detected by the ViT loader.
 *
 * @param projector prefix of the projector's {@code linear_1}/{@code linear_2}
 * @param decoder prefix of {@code embed_tokens}, {@code layers.i}, {@code norm}
 * @param lmHead the {@code lm_head} weight name
 */
record LlavaNaming(String projector, String decoder, String lmHead) {

    static final LlavaNaming LLAVA_HF = new LlavaNaming("multi_modal_projector.", "language_model.model.",
            "language_model.lm_head.weight");
    static final LlavaNaming TRANSFORMERS_452 = new LlavaNaming("model.multi_modal_projector.",
            "model.language_model.", "lm_head.weight");

    /** The layout whose token embedding is present, or an error naming both. */
    static LlavaNaming detect(Set<String> names, String where) {
        for (LlavaNaming n : new LlavaNaming[] {LLAVA_HF, TRANSFORMERS_452}) {
            if (names.contains(n.embedTokens())) {
                return n;
            }
        }
        throw new ModelFormatException(where + ": no language-model token embedding found; expected "
                + LLAVA_HF.embedTokens() + " (llava-hf) or " + TRANSFORMERS_452.embedTokens() + " (transformers >= 4.52)");
    }

    String embedTokens() {
        return decoder + "embed_tokens.weight";
    }

    String finalNorm() {
        return decoder + "norm.weight";
    }

    String layer(int index, String rest) {
        return decoder + "layers." + index + "." + rest;
    }

    String projectorLinear(int which, String param) {
        return projector + "linear_" + which + "." + param;
    }
}
