package dev.tokenreduce.vit.lvlm.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A model's HuggingFace fast tokenizer ({@code tokenizer.json}) through DJL's binding. Encoding adds special tokens
 * as the file's post-processor says (LLaMA's BOS), which is what transformers' LLaVA processor does by default; no
 * truncation and no padding. Decoding skips special tokens. Close it to free the native tokenizer.
 */
public final class PromptTokenizer implements AutoCloseable {

    /** The file name of a HuggingFace fast tokenizer. */
    public static final String FILE = "tokenizer.json";

    // Explicit options: DJL would otherwise truncate to 512 tokens and guess special tokens from other files.
    private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "true", "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;

    private PromptTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
        this.tokenizer = tokenizer;
        this.file = file;
    }

    /**
     * Loads {@code path}, a {@code tokenizer.json} or a model directory holding one.
     *
     * @throws ModelFormatException when the file is missing or not a tokenizer the library can read
     */
    public static PromptTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + " not found: a HuggingFace fast tokenizer (" + FILE + ") is needed"
                    + " to turn text into token ids");
        }
        try {
            return new PromptTokenizer(HuggingFaceTokenizer.newInstance(file, OPTIONS), file);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The native parser reports a malformed file as a plain RuntimeException.
            throw new ModelFormatException(file + ": not a tokenizer.json the HuggingFace tokenizers library can"
                    + " load: " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}, with the special tokens the tokenizer adds (e.g. BOS). */
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    /**
     * Token ids of a prompt whose {@link PromptFormat#IMAGE_PLACEHOLDER} must become {@code imageTokenId} (the
     * model's {@code image_token_index}).
     *
     * @throws InvalidInputException when the ids hold no {@code imageTokenId}: the tokenizer does not know the
     *     placeholder as one token, or maps it to another id than the model expects
     */
    public long[] encodePrompt(String prompt, long imageTokenId) {
        long[] ids = encode(prompt);
        if (prompt.contains(PromptFormat.IMAGE_PLACEHOLDER) && Arrays.stream(ids).noneMatch(id -> id == imageTokenId)) {
            long[] placeholder = tokenizer.encode(PromptFormat.IMAGE_PLACEHOLDER, false, false).getIds();
            throw new InvalidInputException(file + " turns " + PromptFormat.IMAGE_PLACEHOLDER + " into "
                    + Arrays.toString(placeholder) + ", not into the model's image token " + imageTokenId
                    + " (image_token_index in config.json): the tokenizer does not belong to this model");
        }
        return ids;
    }

    /** The text of {@code ids}, special tokens left out. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** The file this tokenizer was read from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "PromptTokenizer[" + file + "]";
    }
}
