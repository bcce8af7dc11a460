package dev.tokenreduce.vit.config;

import dev.tokenreduce.vit.ModelFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a timm {@code config.json}: the {@code architecture} name gives the family defaults
 * ({@link TimmArchitectures}), then {@code model_args} override them exactly as timm passes them as kwargs to the
 * entry point; {@code pretrained_cfg.mean/std} set the image statistics.
 */
final class TimmConfigParser {

    private static final Logger LOG = LoggerFactory.getLogger(TimmConfigParser.class);

    /** model_args that do not change inference (dropout, init, head) or are handled implicitly. */
    private static final Set<String> IGNORED = Set.of("num_classes", "drop_rate", "pos_drop_rate", "patch_drop_rate",
            "proj_drop_rate", "attn_drop_rate", "drop_path_rate", "weight_init", "fix_init", "dynamic_img_size",
            "strict_img_size", "output_fmt", "head_hidden_size", "pretrained_cfg", "pretrained_cfg_overlay",
            "features_only");

    private TimmConfigParser() {}

    static VitConfig parse(ConfigJson config) {
        String architecture = config.string("architecture", null);
        TimmArchitectures.Defaults d = TimmArchitectures.defaults(architecture,
                config.where() + ", field 'architecture'");
        VitConfig.Builder b = d.builder();
        String globalPool = d.globalPool();
        Boolean fcNorm = d.fcNorm();
        ConfigJson args = config.object("model_args");
        if (args != null) {
            for (String key : args.keys()) {
                switch (key) {
                    case "img_size": {
                        int[] hw = args.intPair(key);
                        b.imageSize(hw[0], hw[1]);
                        break;
                    }
                    case "patch_size":
                        b.patchSize(args.integer(key, 16));
                        break;
                    case "in_chans":
                        b.channels(args.integer(key, 3));
                        break;
                    case "embed_dim":
                        b.embedDim(args.integer(key, 768));
                        break;
                    case "depth":
                        b.depth(args.integer(key, 12));
                        break;
                    case "num_heads":
                        b.numHeads(args.integer(key, 12));
                        break;
                    case "mlp_ratio":
                        b.mlpRatio(args.number(key, 4.0));
                        break;
                    case "qkv_bias":
                        b.qkvBias(args.bool(key, true));
                        break;
                    case "class_token":
                        b.classToken(args.bool(key, true));
                        break;
                    case "reg_tokens":
                        b.registerTokens(args.integer(key, 0));
                        break;
                    case "no_embed_class":
                        b.positionPrefixRows(args.bool(key, false) ? 0 : null);
                        break;
                    case "pre_norm":
                        b.preNorm(args.bool(key, false));
                        b.patchBias(!args.bool(key, false)); // timm: PatchEmbed(bias=not pre_norm)
                        break;
                    case "init_values": {
                        double v = args.number(key, 0);
                        b.layerScale(args.has(key) && v != 0);
                        break;
                    }
                    case "act_layer":
                        b.activation(Activation.parse(args.string(key, "gelu"), args.where() + ", field 'act_layer'"));
                        break;
                    case "norm_eps":
                        b.layerNormEps(args.number(key, 1e-6));
                        break;
                    case "global_pool":
                        globalPool = args.string(key, "token");
                        break;
                    case "fc_norm":
                        fcNorm = args.bool(key);
                        break;
                    case "final_norm":
                        if (!args.bool(key, true)) {
                            b.finalNorm(false);
                            fcNorm = Boolean.FALSE;
                        }
                        break;
                    case "pos_embed":
                        if (!"learn".equals(args.string(key, "learn"))) {
                            throw unsupported(args, key, "only learned absolute position embeddings are implemented");
                        }
                        break;
                    case "qk_norm":
                    case "scale_attn_norm":
                    case "scale_mlp_norm":
                    case "dynamic_img_pad":
                    case "attn_pool_contrastive":
                        if (args.bool(key, false)) {
                            throw unsupported(args, key, "not implemented by this runtime");
                        }
                        break;
                    case "proj_bias":
                        if (!args.bool(key, true)) {
                            throw unsupported(args, key, "projections without bias are not implemented");
                        }
                        break;
                    default:
                        if (!IGNORED.contains(key)) {
                            LOG.warn("{}: model_args '{}' = {} is not known to this runtime and is ignored",
                                    args.where(), key, args.raw(key));
                        }
                        break;
                }
            }
        }
        // timm: use_fc_norm = global_pool in (avg, avgmax, max) unless fc_norm says otherwise; the final norm is
        // then moved after pooling and the token features are not normalised.
        boolean useFcNorm = fcNorm != null ? fcNorm : List.of("avg", "avgmax", "max").contains(
                globalPool == null ? "" : globalPool.toLowerCase(Locale.ROOT));
        if (useFcNorm) {
            b.finalNorm(false);
        }
        ConfigJson pretrained = config.object("pretrained_cfg");
        if (pretrained != null) {
            List<Double> mean = pretrained.numbers("mean");
            List<Double> std = pretrained.numbers("std");
            if (mean != null) {
                b.imageMean(mean);
            }
            if (std != null) {
                b.imageStd(std);
            }
        }
        return b.build();
    }

    private static ModelFormatException unsupported(ConfigJson args, String key, String why) {
        return args.error(key, why + " (value " + args.raw(key) + ")");
    }
}
