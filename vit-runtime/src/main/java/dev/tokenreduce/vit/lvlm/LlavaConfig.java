package dev.tokenreduce.vit.lvlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.vit.ModelFormatException;
import dev.tokenreduce.vit.config.Activation;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A LLaVA-1.5-shaped model's configuration ({@code model_type: llava}): the CLIP vision tower (resolved by the ViT
 * runtime), the LLaMA language model, and how they are joined.
 *
 * @param vision the vision tower
 * @param text the language model
 * @param imageTokenIndex the image placeholder id in prompts ({@code image_token_index} / {@code image_token_id})
 * @param visionFeatureLayer index into the tower's hidden states (0 = embeddings, i = output of block i − 1;
 *     negative counts from the end, −1 = last block)
 * @param featureSelect which feature-layer tokens become image features
 * @param projectorActivation activation between the projector's two linear layers
 * @param projectorBias whether the projector's linear layers have biases
 */
public record LlavaConfig(VitConfig vision, LlamaConfig text, long imageTokenIndex, int visionFeatureLayer,
        FeatureSelect featureSelect, Activation projectorActivation, boolean projectorBias) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads {@code directory/config.json}.
     *
     * @throws ModelFormatException for a config that is not LLaVA-shaped or has unsupported settings
     */
    public static LlavaConfig read(Path directory) {
        ModelDirectory dir = ModelDirectory.open(directory);
        Path file = directory.resolve(ModelDirectory.CONFIG);
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        Json j = new Json(root, file.toString());
        String type = j.string("model_type", null);
        if (!"llava".equals(type)) {
            throw new ModelFormatException(file + ", field 'model_type': expected 'llava' for a vision-language"
                    + " model, got " + (type == null ? "none" : "'" + type + "'"));
        }
        if (j.has("vision_feature_layer") && !j.get("vision_feature_layer").isIntegralNumber()) {
            throw j.error("vision_feature_layer", "only one feature layer is supported, got "
                    + j.get("vision_feature_layer"));
        }
        JsonNode textNode = j.get("text_config");
        if (textNode != null && !textNode.isObject()) {
            throw j.error("text_config", "expected an object");
        }
        LlamaConfig text = LlamaConfig.parse(textNode, file + " (text_config)");
        long imageToken = j.has("image_token_index") ? j.integer("image_token_index", 32000)
                : j.integer("image_token_id", 32000);
        if (imageToken < 0 || imageToken >= text.vocabSize()) {
            throw j.error("image_token_index", imageToken + " is outside the vocabulary [0, " + text.vocabSize() + ")");
        }
        VitConfig vision = dir.config();
        int layer = j.integer("vision_feature_layer", -2);
        int depth = vision.depth();
        if (layer < -(depth + 1) || layer > depth) {
            throw j.error("vision_feature_layer", layer + " is outside the tower's " + (depth + 1)
                    + " hidden states (" + -(depth + 1) + " .. " + depth + ")");
        }
        FeatureSelect select = FeatureSelect.parse(j.string("vision_feature_select_strategy", "default"),
                file.toString());
        if (select == FeatureSelect.DEFAULT && vision.prefixTokens() != 1) {
            throw j.error("vision_feature_select_strategy", "'default' drops one [CLS] token, but the tower has "
                    + vision.prefixTokens() + " prefix tokens");
        }
        Activation act = Activation.parse(j.string("projector_hidden_act", "gelu"),
                file + ", field 'projector_hidden_act'");
        return new LlavaConfig(vision, text, imageToken, layer, select, act, j.bool("multimodal_projector_bias", true));
    }

    /** How many tower blocks run: the feature layer as a count of hidden states after the embeddings. */
    public int featureBlocks() {
        return visionFeatureLayer < 0 ? vision.depth() + 1 + visionFeatureLayer : visionFeatureLayer;
    }

    /** Image features per image at the tower's native grid. */
    public int imageTokens() {
        int cells = vision.positionGrid().cells();
        return featureSelect == FeatureSelect.FULL ? cells + vision.prefixTokens() : cells;
    }
}
