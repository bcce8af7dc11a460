package dev.tokenreduce.pruning.todre;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.util.OptionalLong;

/** Creates {@code todre-diversity} {keep, mode: max-sum|k-center, pivot: cls|random|center|farthest, seed}. */
public final class TodreDiversityFactory implements OperatorFactory {

    @Override
    public String id() {
        return TodreDiversityOperator.ID;
    }

    @Override
    public String description() {
        return "ToDRE stage 1: keep a diverse subset of visual tokens (greedy max-sum or k-center from the [CLS] pivot)";
    }

    @Override
    public TokenOperator create(Params params) {
        DiversityMode mode = DiversityMode.parse(params.optChoice("mode", "max-sum", "max-sum", "k-center"));
        PivotStrategy pivot = PivotStrategy.parse(params.optChoice("pivot", "cls", "cls", "random", "center", "farthest"));
        OptionalLong seed = params.has("seed") ? OptionalLong.of(params.optLong("seed", 0)) : OptionalLong.empty();
        return new TodreDiversityOperator(params.requireBudget("keep"), mode, pivot, seed);
    }
}
