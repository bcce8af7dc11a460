package dev.tokenreduce.pruning.baseline;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;

/** Creates {@code cls-attention} {keep}. */
public final class ClsAttentionFactory implements OperatorFactory {

    @Override
    public String id() {
        return ClsAttentionPruner.ID;
    }

    @Override
    public String description() {
        return "Baseline (FasterVLM): keep the visual tokens with the highest [CLS] attention";
    }

    @Override
    public TokenOperator create(Params params) {
        return new ClsAttentionPruner(params.requireBudget("keep"));
    }
}
