package dev.tokenreduce.vit.config;

import dev.tokenreduce.vit.ModelFormatException;
import java.util.Locale;

/** The MLP activation of a ViT block. */
public enum Activation {
    /** Exact GELU, x·Φ(x) with the error function (timm {@code nn.GELU}, HF {@code gelu}). */
    GELU,
    /** GELU with the tanh approximation (HF {@code gelu_pytorch_tanh}, {@code gelu_new}; timm {@code gelu_tanh}). */
    GELU_TANH,
    /** CLIP's x·σ(1.702·x). */
    QUICK_GELU;

    /**
     * Maps a timm {@code act_layer} or HF {@code hidden_act} name.
     *
     * @param where the file and field, for the error message
     * @throws ModelFormatException for names this runtime does not implement, listing the supported ones
     */
    public static Activation parse(String name, String where) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "gelu":
            case "nn.gelu":
            case "gelu_erf":
                return GELU;
            case "gelu_tanh":
            case "gelu_pytorch_tanh":
            case "gelu_new":
            case "gelu_fast":
                return GELU_TANH;
            case "quick_gelu":
            case "quickgelu":
                return QUICK_GELU;
            default:
                throw new ModelFormatException(where + ": unsupported activation '" + name
                        + "'; supported: gelu, gelu_tanh (gelu_pytorch_tanh, gelu_new, gelu_fast), quick_gelu");
        }
    }
}
