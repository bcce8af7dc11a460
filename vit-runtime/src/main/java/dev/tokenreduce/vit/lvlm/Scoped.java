package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DJL attaches an op's result to its first operand's manager; results of ops whose first operand is a model weight
 * are moved here into the manager of the step that made them, so nothing of a forward pass lands in the model's.
 */
final class Scoped {

    private Scoped() {}

    static NDArray own(NDArray result, NDManager manager) {
        if (result.getManager() != manager) {
            result.attach(manager);
        }
        return result;
    }
}
