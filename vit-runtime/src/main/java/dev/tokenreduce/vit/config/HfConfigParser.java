package dev.tokenreduce.vit.config;

import dev.tokenreduce.vit.ModelFormatException;

/**
 * Resolves a HuggingFace {@code config.json} by {@code model_type}, with the defaults of the matching
 * transformers config class for fields the file leaves out. Multimodal configs ({@code clip}, {@code siglip},
 * {@code llava}) resolve their {@code vision_config}.
 */
final class HfConfigParser {

    /** Supported model types, for error messages. */
    static final String SUPPORTED = "vit, deit, dinov2, dinov2_with_registers, clip_vision_model, clip, "
            + "siglip_vision_model, siglip, llava (vision tower)";

    private HfConfigParser() {}

    static VitConfig parse(ConfigJson config) {
        String type = config.string("model_type", null);
        switch (type) {
            case "vit":
                return vitLike(config, "vit", false).build();
            case "deit":
                return vitLike(config, "deit", true).imageMean(ImageStats.IMAGENET_MEAN)
                        .imageStd(ImageStats.IMAGENET_STD).build();
            case "dinov2":
            case "dinov2_with_registers":
                return dinov2(config, type).build();
            case "clip_vision_model":
                return clip(config, "hf:" + type).build();
            case "siglip_vision_model":
                return siglip(config, "hf:" + type).build();
            case "clip":
            case "siglip":
            case "llava":
            case "llava_next": {
                ConfigJson vision = config.object("vision_config");
                if (vision == null) {
                    throw new ModelFormatException(config.where() + ": model_type '" + type
                            + "' needs a 'vision_config' object");
                }
                String visionType = vision.string("model_type",
                        type.equals("siglip") ? "siglip_vision_model" : "clip_vision_model");
                String source = "hf:" + type + "/" + visionType;
                switch (visionType) {
                    case "clip_vision_model":
                        return clip(vision, source).build();
                    case "siglip_vision_model":
                        return siglip(vision, source).build();
                    default:
                        throw new ModelFormatException(vision.where() + ", field 'model_type': unsupported vision"
                                + " tower '" + visionType + "'; supported: clip_vision_model, siglip_vision_model");
                }
            }
            default:
                throw new ModelFormatException(config.where() + ", field 'model_type': unsupported model type '" + type
                        + "'; supported: " + SUPPORTED + " (or a timm config with 'architecture')");
        }
    }

    /** ViTConfig / DeiTConfig defaults. */
    private static VitConfig.Builder vitLike(ConfigJson c, String family, boolean distilled) {
        int hidden = c.integer("hidden_size", 768);
        return common(c, "hf:" + family, WeightFormat.HF_VIT, 224, 16, "gelu", 1e-12)
                .family(family)
                .embedDim(hidden)
                .mlpHidden(c.integer("intermediate_size", 3072))
                .qkvBias(c.bool("qkv_bias", true))
                .classToken(true)
                .distillationToken(distilled)
                .imageMean(ImageStats.HALF)
                .imageStd(ImageStats.HALF);
    }

    /** Dinov2Config / Dinov2WithRegistersConfig defaults. */
    private static VitConfig.Builder dinov2(ConfigJson c, String type) {
        if (c.bool("use_swiglu_ffn", false)) {
            throw new ModelFormatException(c.where() + ", field 'use_swiglu_ffn': SwiGLU MLPs are not implemented");
        }
        int hidden = c.integer("hidden_size", 768);
        boolean registers = type.equals("dinov2_with_registers");
        int numRegisters = registers ? c.integer("num_register_tokens", 4) : 0;
        return common(c, "hf:" + type, WeightFormat.HF_DINOV2, 518, 14, "gelu", 1e-6)
                .family("dinov2")
                .embedDim(hidden)
                .mlpHidden((int) (hidden * c.number("mlp_ratio", 4.0)))
                .qkvBias(c.bool("qkv_bias", true))
                .classToken(true)
                .registerTokens(numRegisters)
                // HF keeps a position row for [CLS] only; registers are inserted after the positions are added
                .positionPrefixRows(1)
                .layerScale(true)
                .imageMean(ImageStats.IMAGENET_MEAN)
                .imageStd(ImageStats.IMAGENET_STD);
    }

    /** CLIPVisionConfig defaults. */
    private static VitConfig.Builder clip(ConfigJson c, String source) {
        return common(c, source, WeightFormat.HF_CLIP, 224, 32, "quick_gelu", 1e-5)
                .family("clip")
                .embedDim(c.integer("hidden_size", 768))
                .mlpHidden(c.integer("intermediate_size", 3072))
                .classToken(true)
                .preNorm(true)
                .patchBias(false)
                .imageMean(ImageStats.CLIP_MEAN)
                .imageStd(ImageStats.CLIP_STD);
    }

    /** SiglipVisionConfig defaults. */
    private static VitConfig.Builder siglip(ConfigJson c, String source) {
        return common(c, source, WeightFormat.HF_SIGLIP, 224, 16, "gelu_pytorch_tanh", 1e-6)
                .family("siglip")
                .embedDim(c.integer("hidden_size", 768))
                .mlpHidden(c.integer("intermediate_size", 3072))
                .classToken(false)
                .imageMean(ImageStats.HALF)
                .imageStd(ImageStats.HALF);
    }

    private static VitConfig.Builder common(ConfigJson c, String source, WeightFormat format, int image, int patch,
            String act, double eps) {
        int[] hw = c.intPair("image_size");
        if (hw == null) {
            hw = new int[] {image, image};
        }
        return VitConfig.builder()
                .source(source)
                .weightFormat(format)
                .imageSize(hw[0], hw[1])
                .patchSize(c.integer("patch_size", patch))
                .channels(c.integer("num_channels", 3))
                .depth(c.integer("num_hidden_layers", 12))
                .numHeads(c.integer("num_attention_heads", 12))
                .activation(Activation.parse(c.string("hidden_act", act), c.where() + ", field 'hidden_act'"))
                .layerNormEps(c.number("layer_norm_eps", eps));
    }
}
