/**
 * Model directory detection and the resolved {@link dev.tokenreduce.vit.config.VitConfig}: HuggingFace
 * {@code config.json} files ({@code model_type}) and timm ones ({@code architecture} + {@code model_args}), with
 * the family defaults a real loader must know (eps, pre-norm, prefix tokens, position table layout, mean/std).
 */
package dev.tokenreduce.vit.config;
