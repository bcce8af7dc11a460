package dev.tokenreduce.vit;

import dev.tokenreduce.core.TokenReduceException;

/**
 * A model directory that cannot be loaded as written: missing or malformed {@code config.json}, an unknown model
 * type or architecture, missing or mis-shaped tensors. The message names the file and lists what was expected.
 */
public class ModelFormatException extends TokenReduceException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
