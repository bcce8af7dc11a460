package dev.tokenreduce.vit.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DJL attaches an op's result to its first operand's manager. Results of ops whose first operand is a model weight
 * (or the caller's pixels) are moved with {@link #own} into the manager of the step that made them, so nothing
 * of a forward pass lands in the model's manager.
 */
final class Scopes {

    private Scopes() {}

    /** Moves a freshly computed {@code result} into {@code manager} (no-op when it is already there). */
    static NDArray own(NDArray result, NDManager manager) {
        if (result.getManager() != manager) {
            result.attach(manager);
        }
        return result;
    }
}
