package dev.tokenreduce.pruning;

import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.InvalidInputException;

/** Resolving a {@link Budget} with errors that name the operator. */
public final class Budgets {

    private Budgets() {}

    /** {@code budget.resolve(n)}, failing with a message that starts with the operator id. */
    public static int resolve(Budget budget, int n, String who) {
        try {
            return budget.resolve(n);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(who + ": " + e.getMessage(), e);
        }
    }
}
