package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import java.util.Optional;

/** The tensors of an {@code --input} file, loaded on demand with errors that name the operator and the tensor. */
public final class NamedTensors {

    private final SafetensorsFile file;
    private final NDManager manager;
    private final String op;

    public NamedTensors(SafetensorsFile file, NDManager manager, String op) {
        this.file = file;
        this.manager = manager;
        this.op = op;
    }

    /**
     * The tensor {@code name} with one of the given ranks.
     *
     * @throws InvalidInputException when it is missing or has another rank
     */
    public NDArray require(String name, int... ranks) {
        if (!file.contains(name)) {
            throw new InvalidInputException("apply " + op + ": input tensor '" + name + "' not found in "
                    + file.path() + " (it has: " + (file.names().isEmpty() ? "no tensors" : String.join(", ",
                            file.names())) + ")");
        }
        NDArray a = file.load(name, manager);
        checkRank(a, name, ranks);
        return a;
    }

    /** The tensor if present (checked like {@link #require}). */
    public Optional<NDArray> optional(String name, int... ranks) {
        return file.contains(name) ? Optional.of(require(name, ranks)) : Optional.empty();
    }

    /** Whether the file has {@code name}. */
    public boolean contains(String name) {
        return file.contains(name);
    }

    private void checkRank(NDArray a, String name, int... ranks) {
        if (ranks.length == 0) {
            return;
        }
        int rank = a.getShape().dimension();
        for (int r : ranks) {
            if (r == rank) {
                return;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < ranks.length; i++) {
            expected.append(i == 0 ? "" : " or ").append(ranks[i]);
        }
        throw new InvalidInputException("apply " + op + ": input tensor '" + name + "' must have " + expected
                + " dimensions, got " + a.getShape());
    }
}
