package dev.tokenreduce.core.op;

import dev.tokenreduce.core.token.TokenState;

/**
 * One configured token-reduction step. Implementations are immutable and thread-safe; all per-call state lives
 * in the arguments and the returned {@link Reduction}.
 */
public interface TokenOperator {

    /** The stable registry id, e.g. {@code expedit-cluster}. */
    String id();

    /**
     * Applies the step.
     *
     * @param state tokens and layout at the hook point
     * @param context hook point, NDManager of the forward pass, seed, and what the host offers (attention, ...)
     * @return the new state and a record of what was done
     * @throws dev.tokenreduce.core.InvalidInputException for shapes, budgets or values the operator cannot use
     */
    Reduction apply(TokenState state, StepContext context);
}
