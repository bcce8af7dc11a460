package dev.tokenreduce.core.op;

import dev.tokenreduce.core.token.TokenState;

/**
 * The result of applying an operator: the new state (whose {@link TokenState#records()} ends with
 * {@code record}) and the record itself.
 */
public record Reduction(TokenState state, ReductionRecord record) {}
