package dev.tokenreduce.vit.config;

import dev.tokenreduce.vit.ModelFormatException;
import java.util.Locale;
import java.util.Map;

/**
 * Maps timm's standard ViT model names to their sizes and family defaults, as timm's own entry points do before
 * {@code model_args} override them. Names are {@code FAMILY_SIZE[_distilled]_patchP[_MODIFIERS][_IMG]} with an
 * optional pretrained tag after a dot ({@code vit_base_patch16_224.augreg_in21k}).
 */
final class TimmArchitectures {

    /** Supported names, for error messages. */
    static final String SUPPORTED = "vit_{tiny,small,medium,base,large,huge,giant,gigantic,so400m}_patch{P}_{IMG}"
            + " (plain ViT; modifiers _clip, _clip_quickgelu, _siglip, _dinov2, _reg{N}_dinov2, _gap, _miil),"
            + " deit_{tiny,small,base}[_distilled]_patch16_{IMG}, deit3_{small,medium,base,large,huge}_patch{P}_{IMG}";

    /** embed dim, depth, heads, mlp ratio × 1e4 of the standard sizes. */
    private static final Map<String, double[]> SIZES = Map.of(
            "tiny", new double[] {192, 12, 3, 4.0},
            "small", new double[] {384, 12, 6, 4.0},
            "medium", new double[] {512, 12, 8, 4.0},
            "base", new double[] {768, 12, 12, 4.0},
            "large", new double[] {1024, 24, 16, 4.0},
            "huge", new double[] {1280, 32, 16, 4.0},
            "giant", new double[] {1408, 40, 16, 48.0 / 11},
            "gigantic", new double[] {1664, 48, 16, 64.0 / 13},
            "so400m", new double[] {1152, 27, 16, 3.7362});

    private TimmArchitectures() {}

    /** What the name implies: builder defaults plus the pooling settings that decide the final norm. */
    record Defaults(VitConfig.Builder builder, String globalPool, Boolean fcNorm) {}

    /**
     * The family defaults for {@code architecture}.
     *
     * @throws ModelFormatException for names that are not a supported ViT variant, listing the supported forms
     */
    static Defaults defaults(String architecture, String where) {
        String name = architecture.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("timm/")) {
            name = name.substring(5);
        }
        int dot = name.indexOf('.');
        if (dot >= 0) {
            name = name.substring(0, dot);
        }
        String[] t = name.split("_");
        if (t.length < 3 || !(t[0].equals("vit") || t[0].equals("deit") || t[0].equals("deit3"))) {
            throw unknown(architecture, where, "not a ViT, DeiT or DeiT III name");
        }
        double[] size = SIZES.get(t[1]);
        if (size == null) {
            throw unknown(architecture, where, "unknown size '" + t[1] + "'");
        }
        VitConfig.Builder b = VitConfig.builder().weightFormat(WeightFormat.TIMM).source("timm:" + architecture)
                .embedDim((int) size[0]).depth((int) size[1]).numHeads((int) size[2]).mlpRatio(size[3])
                .layerNormEps(1e-6).activation(Activation.GELU);
        String family = t[0];
        String globalPool = "token";
        Boolean fcNorm = null;
        boolean patchSeen = false;
        boolean clip = false;
        boolean quickGelu = false;
        boolean siglip = false;
        boolean dinov2 = false;
        boolean distilled = false;
        boolean gap = false;
        boolean miil = false;
        int registers = 0;
        Integer imageSize = null;
        for (int i = 2; i < t.length; i++) {
            String tok = t[i];
            if (tok.equals("distilled") && !patchSeen && family.equals("deit")) {
                distilled = true;
            } else if (tok.matches("patch\\d+") && !patchSeen) {
                patchSeen = true;
                b.patchSize(Integer.parseInt(tok.substring(5)));
            } else if (!patchSeen) {
                throw unknown(architecture, where, "unexpected '" + tok + "' before the patch size");
            } else if (tok.matches("\\d+")) {
                if (imageSize == null) {
                    imageSize = Integer.parseInt(tok);
                }
            } else if (tok.equals("clip") && family.equals("vit")) {
                clip = true;
            } else if (tok.equals("quickgelu") && clip) {
                quickGelu = true;
            } else if (tok.equals("siglip") && family.equals("vit")) {
                siglip = true;
            } else if (tok.equals("dinov2") && family.equals("vit")) {
                dinov2 = true;
            } else if (tok.matches("reg\\d+") && family.equals("vit")) {
                registers = Integer.parseInt(tok.substring(3));
            } else if (tok.equals("gap") && family.equals("vit")) {
                gap = true;
            } else if (tok.equals("miil") || tok.equals("in21k") || tok.equals("sam")) {
                miil |= tok.equals("miil");
            } else {
                throw unknown(architecture, where, "unsupported variant '" + tok + "'");
            }
        }
        if (!patchSeen) {
            throw unknown(architecture, where, "no patch size (patchN)");
        }
        if (registers > 0 && !dinov2) {
            throw unknown(architecture, where, "register tokens are only known for the DINOv2 family");
        }
        int img = imageSize != null ? imageSize : (dinov2 ? 518 : 224);
        b.imageSize(img, img);
        switch (family) {
            case "deit":
                b.family("deit").imageMean(ImageStats.IMAGENET_MEAN).imageStd(ImageStats.IMAGENET_STD)
                        .distillationToken(distilled);
                break;
            case "deit3":
                // DeiT III: layer scale and a position table without the class row
                b.family("deit3").imageMean(ImageStats.IMAGENET_MEAN).imageStd(ImageStats.IMAGENET_STD)
                        .layerScale(true).positionPrefixRows(0);
                break;
            default:
                if (clip) {
                    // OpenAI/OpenCLIP towers: pre-norm, no patch bias, torch LayerNorm eps
                    b.family("clip").preNorm(true).patchBias(false).layerNormEps(1e-5)
                            .activation(quickGelu ? Activation.QUICK_GELU : Activation.GELU)
                            .imageMean(ImageStats.CLIP_MEAN).imageStd(ImageStats.CLIP_STD);
                } else if (siglip) {
                    // timm 1.0.9 SigLIP entry points: no class token, attention-pool head (not part of the features)
                    b.family("siglip").classToken(false).imageMean(ImageStats.HALF).imageStd(ImageStats.HALF);
                    globalPool = "map";
                } else if (dinov2) {
                    if (t[1].equals("giant")) {
                        throw new ModelFormatException(where + ": architecture '" + architecture
                                + "' uses a SwiGLU MLP, which this runtime does not implement");
                    }
                    if (t[1].equals("large") || t[1].equals("base") || t[1].equals("small")) {
                        b.family("dinov2").layerScale(true).imageMean(ImageStats.IMAGENET_MEAN)
                                .imageStd(ImageStats.IMAGENET_STD);
                    } else {
                        throw unknown(architecture, where, "no DINOv2 model of size '" + t[1] + "'");
                    }
                    if (registers > 0) {
                        b.registerTokens(registers).positionPrefixRows(0);
                    }
                } else {
                    b.family("vit").imageMean(miil ? ImageStats.ZERO : ImageStats.HALF)
                            .imageStd(miil ? ImageStats.ONE : ImageStats.HALF);
                }
                if (gap) {
                    b.classToken(false);
                    globalPool = "avg";
                    fcNorm = false;
                }
                break;
        }
        return new Defaults(b, globalPool, fcNorm);
    }

    private static ModelFormatException unknown(String architecture, String where, String why) {
        return new ModelFormatException(where + ": unsupported timm architecture '" + architecture + "' (" + why
                + "); supported: " + SUPPORTED);
    }
}
