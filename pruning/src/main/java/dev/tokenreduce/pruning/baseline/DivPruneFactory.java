package dev.tokenreduce.pruning.baseline;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;

/** Creates {@code divprune} {keep}. */
public final class DivPruneFactory implements OperatorFactory {

    @Override
    public String id() {
        return DivPrunePruner.ID;
    }

    @Override
    public String description() {
        return "Baseline (DivPrune): keep a max-min diverse subset of the visual tokens (cosine farthest-first)";
    }

    @Override
    public TokenOperator create(Params params) {
        return new DivPrunePruner(params.requireBudget("keep"));
    }
}
