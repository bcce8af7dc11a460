package dev.tokenreduce.pruning.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Budgets;
import dev.tokenreduce.pruning.Details;
import dev.tokenreduce.pruning.todre.DiversityMode;
import dev.tokenreduce.pruning.todre.DiversitySelection;
import dev.tokenreduce.pruning.todre.DiversitySelector;
import java.util.Objects;

/**
 * {@code divprune} (Alvar et al., CVPR 2025): greedy max–min diversity with cosine distance on the visual tokens,
 * k = the budget (a ratio rounds: round(ratio·n)). The first pick is the token whose nearest neighbour is farthest
 * (max over v of min over u ≠ v of 1 − cos(v, u), lowest index on ties); then farthest-first traversal, the
 * {@link DiversityMode#K_CENTER} loop of {@link DiversitySelector}. Kept indices sorted.
 */
public final class DivPrunePruner extends AbstractTokenReducer {

    public static final String ID = "divprune";

    /** Rows of the similarity matrix computed at once for the first pick (bounds memory: rows × n floats). */
    static final long PIVOT_BLOCK_ELEMENTS = 1L << 24;

    private final Budget keep;

    public DivPrunePruner(Budget keep) {
        this.keep = Objects.requireNonNull(keep, "keep");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        int n = layout.visual();
        int k = Budgets.resolve(keep, n, ID);
        NDArray unit = DiversitySelector.normalizeRows(visual);
        NDArray first = firstPick(unit);
        DiversitySelection s = DiversitySelector.builder().optMode(DiversityMode.K_CENTER).optCheckFinite(false).build()
                .selectFrom(unit, first, k);
        return ReducedVisual.kept(s.kept()).withDetail("selection-order", Details.indices(s.order()))
                .withDetail("requested", k).withDetail("n", n);
    }

    /**
     * DivPrune's first pick per row: argmin over v of the largest cosine similarity to any other token (= argmax of
     * the nearest-neighbour cosine distance), lowest index on ties.
     *
     * @param unit (B, n, d) unit-normalised tokens
     * @return (B) int64
     */
    public static NDArray firstPick(NDArray unit) {
        long batch = unit.getShape().get(0);
        long n = unit.getShape().get(1);
        if (n == 1) {
            return unit.getManager().zeros(new ai.djl.ndarray.types.Shape(batch), ai.djl.ndarray.types.DataType.INT64);
        }
        long rows = Math.max(1, PIVOT_BLOCK_ELEMENTS / Math.max(1, batch * n));
        NDArray columns = Tensors.arangeLong(unit.getManager(), 0, n).expandDims(0);
        NDArray transposed = unit.transpose(0, 2, 1);
        NDList nearest = new NDList();
        for (long from = 0; from < n; from += rows) {
            long to = Math.min(n, from + rows);
            NDArray sim = unit.get(":, {}:{}, :", from, to).matMul(transposed);
            // u ≠ v: a token's similarity to itself never counts.
            NDArray self = Tensors.arangeLong(unit.getManager(), from, to).expandDims(1).eq(columns);
            sim.set(self.expandDims(0).broadcast(sim.getShape()), Float.NEGATIVE_INFINITY);
            nearest.add(sim.max(new int[] {2}));
        }
        NDArray maxSim = nearest.size() == 1 ? nearest.get(0) : NDArrays.concat(nearest, 1);
        return maxSim.argMin(1);
    }
}
