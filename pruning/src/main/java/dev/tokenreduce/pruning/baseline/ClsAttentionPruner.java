package dev.tokenreduce.pruning.baseline;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Budgets;
import dev.tokenreduce.pruning.TopK;
import java.util.Objects;

/**
 * {@code cls-attention} (FasterVLM): keeps the k visual tokens with the highest {@link StepContext#CLS_ATTENTION}
 * (the vision encoder's feature-layer [CLS] attention, averaged over heads), lower index first on ties, sorted.
 */
public final class ClsAttentionPruner extends AbstractTokenReducer {

    public static final String ID = "cls-attention";

    private final Budget keep;

    public ClsAttentionPruner(Budget keep) {
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
        NDArray cls = context.requireSignal(StepContext.CLS_ATTENTION, ID);
        NDArray rows = cls.getShape().dimension() == 1 ? cls.expandDims(0) : cls;
        long batch = state.batchSize();
        if (rows.getShape().dimension() != 2 || rows.getShape().get(1) != n
                || (rows.getShape().get(0) != batch && rows.getShape().get(0) != 1)) {
            throw new InvalidInputException(ID + ": signal '" + StepContext.CLS_ATTENTION + "' must be (" + batch + ", "
                    + n + ") for the visual tokens, got " + cls.getShape());
        }
        Inputs.requireFinite(rows, ID, "signal '" + StepContext.CLS_ATTENTION + "'");
        if (rows.getShape().get(0) != batch) {
            rows = rows.broadcast(new ai.djl.ndarray.types.Shape(batch, n));
        }
        return ReducedVisual.kept(TopK.largest(rows, k)).withDetail("requested", k).withDetail("n", n);
    }
}
