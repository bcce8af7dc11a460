package dev.tokenreduce.vit.config;

/**
 * How the learned position table is resampled for a patch grid other than the one it was trained for. Both are
 * bicubic with {@code align_corners=False}; prefix rows are never resampled.
 */
public enum PositionResampling {
    /**
     * timm's {@code resample_abs_pos_embed}: {@code F.interpolate(mode='bicubic', antialias=True)}, i.e. the
     * Keys kernel with a = −0.5, weights renormalised over the taps inside the table (no edge replication). The
     * default for every layout, as the golden fixtures use it.
     */
    TIMM_ANTIALIAS,
    /**
     * Plain {@code F.interpolate(mode='bicubic', align_corners=False)}: a = −0.75 with edge replication, as HF
     * ViT/CLIP/SigLIP {@code interpolate_pos_encoding} does.
     */
    BICUBIC
}
