package dev.tokenreduce.clustering.tome;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.InBlockOperator;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;

/**
 * ToMe inside every block (policy op {@code tome} at hook point {@code blocks}): merges r visual tokens per block
 * by bipartite soft matching on the host's key metric ({@link StepContext#KEY_METRIC}), size-weighted, as
 * {@code tome/patch/timm.py} does between a block's attention residual and its MLP.
 *
 * <p>Protected tokens are exactly the layout's prefix (CLS, distillation token, registers); A/B parity follows the
 * full sequence positions. The base class keeps the prefix first, which for CLS (+ distillation) is the reference
 * order too. Merging breaks the 2-D grid: the new layout has none, and the state's restoration gains the unmerge
 * (each original token takes its merged token's value), composed across blocks. Sizes are carried in
 * {@link TokenState#sizes()}; with proportional attention the host adds log(size) to the attention logits.
 */
public final class TomeOperator extends AbstractTokenReducer implements InBlockOperator {

    /** Policy id. */
    public static final String ID = "tome";

    private final TomeSchedule schedule;
    private final boolean proportionalAttention;

    /**
     * @param schedule r per block
     * @param proportionalAttention whether hosts add log(size) to the attention logits
     */
    public TomeOperator(TomeSchedule schedule, boolean proportionalAttention) {
        this.schedule = schedule;
        this.proportionalAttention = proportionalAttention;
    }

    @Override
    public String id() {
        return ID;
    }

    public TomeSchedule schedule() {
        return schedule;
    }

    @Override
    public boolean proportionalAttention() {
        return proportionalAttention;
    }

    @Override
    public void checkDepth(int depth) {
        schedule.checkDepth(depth);
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        if (!(context.at() instanceof HookPoint.EveryBlock) || context.layerIndex() < 0) {
            throw new InvalidInputException(ID + " runs inside every block (hook point 'blocks'), not at "
                    + context.at());
        }
        int r = schedule.rAt(context.layerIndex());
        int prefix = layout.prefix();
        int span = layout.visual();
        NDArray sizes = state.sizes() == null ? null
                : state.sizes().get(new NDIndex(":, {}:{}", prefix, prefix + span));
        if (r == 0) {
            return unchanged(visual, layout, sizes, 0, 0);
        }
        NDArray metric = context.requireSignal(StepContext.KEY_METRIC, ID);
        if (metric.getShape().dimension() != 3 || metric.getShape().get(0) != state.batchSize()
                || metric.getShape().get(1) != layout.total()) {
            throw new InvalidInputException(ID + ": signal '" + StepContext.KEY_METRIC + "' must be ("
                    + state.batchSize() + ", " + layout.total() + ", d_head), got " + metric.getShape());
        }
        NDArray sequence = layout.suffix() == 0 ? metric : metric.get(new NDIndex(":, :{}", prefix + span));
        if (context.checkFinite()) {
            Inputs.requireFinite(sequence, ID, "signal '" + StepContext.KEY_METRIC + "'");
        }
        TokenMatching matching = BipartiteSoftMatching.builder().setR(r).optProtectedPrefix(prefix).build()
                .match(sequence);
        if (matching.r() == 0) {
            return unchanged(visual, layout, sizes, r, 0);
        }
        WeightedMerge merged = matching.mergeWeightedSpan(visual, sizes);
        return ReducedVisual.merged(merged.tokens(), null, matching.restoration(), merged.sizes())
                .withDetail("block", context.layerIndex())
                .withDetail("r", r)
                .withDetail("r-applied", matching.r());
    }

    /** r is 0 here: the visual tokens stay as they are (identity restoration keeps the chain intact). */
    private ReducedVisual unchanged(NDArray visual, TokenLayout layout, NDArray sizes, int requested, int applied) {
        long batch = visual.getShape().get(0);
        TokenMatching identity = TokenMatching.identity(visual.getManager(), batch, layout.prefix(),
                layout.visual(), requested);
        return ReducedVisual.merged(visual, layout.grid(), identity.restoration(), sizes)
                .withDetail("r", requested)
                .withDetail("r-applied", applied);
    }

    @Override
    public String toString() {
        return ID + "{r=" + schedule + ", proportional-attention=" + proportionalAttention + "}";
    }
}
