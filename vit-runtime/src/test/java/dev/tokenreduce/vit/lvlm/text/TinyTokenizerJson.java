package dev.tokenreduce.vit.lvlm.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hand-built HuggingFace tokenizer.json: a word-level vocabulary split on whitespace, {@code <image>} as an added
 * special token with id 299 (the tiny LLaVA fixture's image_token_index), and a post-processor that puts BOS
 * ({@code <s>}, id 1) first, as LLaMA tokenizers do.
 */
final class TinyTokenizerJson {

    static final String JSON = """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true},
                {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true},
                {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true},
                {"id": 299, "content": "<image>", "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true}
              ],
              "normalizer": null,
              "pre_tokenizer": {"type": "WhitespaceSplit"},
              "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}
              },
              "decoder": null,
              "model": {
                "type": "WordLevel",
                "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "USER:": 3, "ASSISTANT:": 4, "what": 5, "is": 6,
                          "this": 7, "a": 8, "cat": 9, "<image>": 299},
                "unk_token": "<unk>"
              }
            }
            """;

    private TinyTokenizerJson() {}

    static Path write(Path dir) {
        try {
            return Files.writeString(dir.resolve(PromptTokenizer.FILE), JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
