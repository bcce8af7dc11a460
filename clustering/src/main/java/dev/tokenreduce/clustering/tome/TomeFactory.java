package dev.tokenreduce.clustering.tome;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;

/**
 * Creates {@link TomeOperator} from policy parameters: {@code r} (per block: a number for every block, or a list with
 * one value per block) and {@code proportional-attention} (default true).
 */
public final class TomeFactory implements OperatorFactory {

    @Override
    public String id() {
        return TomeOperator.ID;
    }

    @Override
    public String description() {
        return "ToMe token merging in every block (bipartite soft matching, size-weighted average):"
                + " r per block or a list, proportional-attention";
    }

    @Override
    public TokenOperator create(Params params) {
        TomeSchedule schedule = TomeSchedule.fromParams(params, "r");
        boolean proportional = params.optBoolean("proportional-attention", true);
        return new TomeOperator(schedule, proportional);
    }
}
