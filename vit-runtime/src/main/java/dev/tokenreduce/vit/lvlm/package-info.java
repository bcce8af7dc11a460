/**
 * LLaVA-1.5-shaped vision-language models on DJL NDArray ops: the CLIP vision tower of the ViT runtime up to the
 * feature layer, the projector, the LLaMA decoder with a KV cache and greedy or sampled generation, and the LVLM
 * hook points ({@code vision-output}, {@code {decoder-layer: N}}, {@code decoder}) where token-reduction policies
 * run. Entry point: {@link dev.tokenreduce.vit.lvlm.VisionLanguageModel}. The model takes token ids; text prompts
 * (LLaVA-1.5 conversation format, the model's {@code tokenizer.json}) and decoded answers are in
 * {@code dev.tokenreduce.vit.lvlm.text}, image files become {@code pixel_values} through the datasets module's
 * {@code ImageProcessorConfig} (CLIP preprocessing).
 */
package dev.tokenreduce.vit.lvlm;
