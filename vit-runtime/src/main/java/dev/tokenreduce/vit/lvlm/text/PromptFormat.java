package dev.tokenreduce.vit.lvlm.text;

import dev.tokenreduce.core.InvalidInputException;

/**
 * How a user's text becomes the prompt text handed to the tokenizer. The image goes where
 * {@link #IMAGE_PLACEHOLDER} stands; the tokenizer turns it into the model's image token id.
 */
public enum PromptFormat {

    /**
     * LLaVA-1.5's single-turn conversation, as the llava-hf model cards write it:
     * {@code USER: <image>\n{question} ASSISTANT:}. The BOS token is left to the tokenizer.
     */
    LLAVA_1_5 {
        @Override
        public String apply(String text) {
            if (text.contains(IMAGE_PLACEHOLDER)) {
                // A second placeholder would be a second image, which one prompt here cannot hold.
                throw new InvalidInputException("the question already contains " + IMAGE_PLACEHOLDER
                        + ": give only the question, or pass the whole prompt unformatted (raw)");
            }
            return "USER: " + IMAGE_PLACEHOLDER + "\n" + text + " ASSISTANT:";
        }
    },

    /** The text as given; it must hold {@link #IMAGE_PLACEHOLDER} where the image goes. */
    RAW {
        @Override
        public String apply(String text) {
            if (!text.contains(IMAGE_PLACEHOLDER)) {
                throw new InvalidInputException("a raw prompt must contain " + IMAGE_PLACEHOLDER
                        + " where the image goes");
            }
            return text;
        }
    };

    /** The image placeholder of LLaVA prompts (an added token of llava-hf tokenizers). */
    public static final String IMAGE_PLACEHOLDER = "<image>";

    /**
     * The prompt text for {@code text}.
     *
     * @throws InvalidInputException when the text and the format do not fit (see each constant)
     */
    public abstract String apply(String text);
}
