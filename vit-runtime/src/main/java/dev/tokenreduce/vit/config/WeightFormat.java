package dev.tokenreduce.vit.config;

/** Naming scheme of the tensors in a checkpoint, detected from {@code config.json}. */
public enum WeightFormat {
    /** timm {@code VisionTransformer}: {@code patch_embed.proj}, {@code blocks.i.attn.qkv}, {@code norm}. */
    TIMM,
    /** HF ViT and DeiT: {@code embeddings.patch_embeddings.projection}, {@code encoder.layer.i.attention...}. */
    HF_VIT,
    /** HF DINOv2 (with or without registers): ViT names plus {@code layer_scale1/2}, {@code mlp.fc1/2}. */
    HF_DINOV2,
    /** HF CLIP vision tower: {@code embeddings.class_embedding}, {@code pre_layrnorm}, {@code post_layernorm}. */
    HF_CLIP,
    /** HF SigLIP vision tower: CLIP names without class token and pre-norm. */
    HF_SIGLIP
}
