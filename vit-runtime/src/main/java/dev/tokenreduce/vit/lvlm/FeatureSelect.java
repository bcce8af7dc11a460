package dev.tokenreduce.vit.lvlm;

import dev.tokenreduce.vit.ModelFormatException;

/** LLaVA's {@code vision_feature_select_strategy}: which tokens of the feature layer become image features. */
public enum FeatureSelect {

    /** {@code default}: the patch tokens only ([CLS] dropped). */
    DEFAULT,

    /** {@code full}: [CLS] and the patch tokens. */
    FULL;

    /** Parses the config word; {@code where} names the file and field in the error. */
    public static FeatureSelect parse(String word, String where) {
        switch (word) {
            case "default":
                return DEFAULT;
            case "full":
                return FULL;
            default:
                throw new ModelFormatException(where + ", field 'vision_feature_select_strategy': unknown strategy '"
                        + word + "'; expected default or full");
        }
    }
}
