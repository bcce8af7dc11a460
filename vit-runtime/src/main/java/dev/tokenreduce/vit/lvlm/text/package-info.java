/**
 * Text in and out of a LLaVA-1.5-shaped model: the conversation format that puts a question and the image
 * placeholder into a prompt ({@link dev.tokenreduce.vit.lvlm.text.PromptFormat}), the model directory's HuggingFace
 * {@code tokenizer.json} run through DJL's tokenizers binding ({@link dev.tokenreduce.vit.lvlm.text.PromptTokenizer};
 * its native library ships inside the jar, so it works offline), and the end-of-sequence ids that stop decoding
 * ({@link dev.tokenreduce.vit.lvlm.text.EosTokens}).
 */
package dev.tokenreduce.vit.lvlm.text;
