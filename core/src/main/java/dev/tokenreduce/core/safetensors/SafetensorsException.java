package dev.tokenreduce.core.safetensors;

import dev.tokenreduce.core.TokenReduceException;
import java.nio.file.Path;

/** A safetensors file, index or checkpoint that cannot be read or written; the message names the file and the problem. */
public final class SafetensorsException extends TokenReduceException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file (or checkpoint directory) the problem is about. */
    public Path file() {
        return file;
    }
}
