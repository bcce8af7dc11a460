package dev.tokenreduce.pruning.baseline;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.util.OptionalLong;

/** Creates {@code random} {keep, seed (default: the run's seed)}. */
public final class RandomFactory implements OperatorFactory {

    @Override
    public String id() {
        return RandomPruner.ID;
    }

    @Override
    public String description() {
        return "Baseline: keep a seeded uniformly random subset of the visual tokens";
    }

    @Override
    public TokenOperator create(Params params) {
        OptionalLong seed = params.has("seed") ? OptionalLong.of(params.optLong("seed", 0)) : OptionalLong.empty();
        return new RandomPruner(params.requireBudget("keep"), seed);
    }
}
