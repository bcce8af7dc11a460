package dev.tokenreduce.pruning.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Budgets;
import dev.tokenreduce.pruning.TopK;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * {@code random}: keeps k visual tokens chosen uniformly at random, sorted. The randomness is Java's
 * {@link SplittableRandom} seeded with {@code seed} (or the step context's seed): one uniform key per token (batch
 * rows one after another), the k largest keys win. The same seed gives the same tokens on every engine and device,
 * independent of the engine's global random state.
 */
public final class RandomPruner extends AbstractTokenReducer {

    public static final String ID = "random";

    private final Budget keep;
    private final OptionalLong seed;

    /**
     * @param keep visual tokens to keep
     * @param seed the seed; empty = the step context's
     */
    public RandomPruner(Budget keep, OptionalLong seed) {
        this.keep = Objects.requireNonNull(keep, "keep");
        this.seed = seed == null ? OptionalLong.empty() : seed;
    }

    @Override
    public String id() {
        return ID;
    }

    /** (B, k) int64 sorted indices of k tokens out of n per row, for a seed. */
    public static NDArray sample(ai.djl.ndarray.NDManager manager, long batch, int n, int k, long seed) {
        double[] keys = new SplittableRandom(seed).doubles(batch * n).toArray();
        return TopK.largest(manager.create(keys, new Shape(batch, n)), k);
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        int n = layout.visual();
        int k = Budgets.resolve(keep, n, ID);
        long s = seed.orElse(context.seed());
        return ReducedVisual.kept(sample(context.manager(), state.batchSize(), n, k, s))
                .withDetail("requested", k).withDetail("n", n).withDetail("seed", s);
    }
}
