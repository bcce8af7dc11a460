package dev.tokenreduce.vit.head;

/**
 * Tensor names of a Segmenter mask-transformer decoder as mmsegmentation's {@code SegmenterMaskTransformerHead}
 * stores them in a checkpoint (prefix {@value #PREFIX}). The layers are mmseg {@code TransformerEncoderLayer}s:
 * {@code ln1}, an mmcv {@code MultiheadAttention} wrapping {@code torch.nn.MultiheadAttention} ({@code attn.attn.*},
 * packed q/k/v projection), {@code ln2} and an mmcv {@code FFN} ({@code ffn.layers.0.0} = first linear,
 * {@code ffn.layers.1} = second linear).
 */
public final class MaskTransformerNames {

    /** Prefix of every decoder tensor. */
    public static final String PREFIX = "decode_head.";
    /** Learned class embeddings (1, K, D); its presence marks a mask-transformer checkpoint. */
    public static final String CLS_EMB = PREFIX + "cls_emb";
    /** Input projection weight (D, C). */
    public static final String DEC_PROJ_WEIGHT = PREFIX + "dec_proj.weight";
    /** Input projection bias (D). */
    public static final String DEC_PROJ_BIAS = PREFIX + "dec_proj.bias";
    /** Final LayerNorm weight (D). */
    public static final String DECODER_NORM_WEIGHT = PREFIX + "decoder_norm.weight";
    /** Final LayerNorm bias (D). */
    public static final String DECODER_NORM_BIAS = PREFIX + "decoder_norm.bias";
    /** Patch projection (D, D), no bias. */
    public static final String PATCH_PROJ = PREFIX + "patch_proj.weight";
    /** Class projection (D, D), no bias. */
    public static final String CLASSES_PROJ = PREFIX + "classes_proj.weight";
    /** LayerNorm over the K class scores: weight (K). */
    public static final String MASK_NORM_WEIGHT = PREFIX + "mask_norm.weight";
    /** LayerNorm over the K class scores: bias (K). */
    public static final String MASK_NORM_BIAS = PREFIX + "mask_norm.bias";

    /** Layer-relative suffixes, in the order {@link #layer} expects them. */
    static final String LN1_WEIGHT = "ln1.weight";
    static final String LN1_BIAS = "ln1.bias";
    static final String IN_PROJ_WEIGHT = "attn.attn.in_proj_weight";
    static final String IN_PROJ_BIAS = "attn.attn.in_proj_bias";
    static final String OUT_PROJ_WEIGHT = "attn.attn.out_proj.weight";
    static final String OUT_PROJ_BIAS = "attn.attn.out_proj.bias";
    static final String LN2_WEIGHT = "ln2.weight";
    static final String LN2_BIAS = "ln2.bias";
    static final String FC1_WEIGHT = "ffn.layers.0.0.weight";
    static final String FC1_BIAS = "ffn.layers.0.0.bias";
    static final String FC2_WEIGHT = "ffn.layers.1.weight";
    static final String FC2_BIAS = "ffn.layers.1.bias";

    /** Layer-prefix of layer {@code i}: {@code decode_head.layers.i.}. */
    public static String layerPrefix(int i) {
        return PREFIX + "layers." + i + ".";
    }

    /** Full name of a tensor of layer {@code i}, e.g. {@code layer(0, "ln1.weight")}. */
    public static String layer(int i, String suffix) {
        return layerPrefix(i) + suffix;
    }

    private MaskTransformerNames() {}
}
