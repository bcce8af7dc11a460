package dev.tokenreduce.pruning.todre;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Budgets;
import dev.tokenreduce.pruning.Details;
import java.util.OptionalLong;

/**
 * {@code todre-diversity}: ToDRE stage 1 after the projector (hook {@code vision-output}). Keeps a diverse subset
 * of the visual tokens with {@link DiversitySelector}; the pivot is the token with the highest
 * {@link StepContext#CLS_ATTENTION} (the vision encoder's feature-layer [CLS] attention, head-averaged, patch keys
 * only), optionally restricted by {@link TodreSignals#PIVOT_MASK}. The record lists the selection order
 * ({@code selection-order}), the requested count ({@code requested}) and the visual tokens seen ({@code n}).
 */
public final class TodreDiversityOperator extends AbstractTokenReducer {

    public static final String ID = "todre-diversity";

    private final Budget keep;
    private final DiversityMode mode;
    private final PivotStrategy pivot;
    private final OptionalLong seed;

    /**
     * @param keep how many visual tokens to keep (count or ratio)
     * @param mode greedy rule
     * @param pivot first-token rule
     * @param seed seed of the random pivot; empty = the step context's seed
     */
    public TodreDiversityOperator(Budget keep, DiversityMode mode, PivotStrategy pivot, OptionalLong seed) {
        this.keep = java.util.Objects.requireNonNull(keep, "keep");
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
        this.pivot = java.util.Objects.requireNonNull(pivot, "pivot");
        this.seed = seed == null ? OptionalLong.empty() : seed;
    }

    @Override
    public String id() {
        return ID;
    }

    public Budget keep() {
        return keep;
    }

    public DiversityMode mode() {
        return mode;
    }

    public PivotStrategy pivot() {
        return pivot;
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        int n = layout.visual();
        int k = Budgets.resolve(keep, n, ID);
        NDArray cls = pivot == PivotStrategy.CLS
                ? context.requireSignal(StepContext.CLS_ATTENTION, ID)
                : context.signal(StepContext.CLS_ATTENTION).orElse(null);
        NDArray mask = context.signal(TodreSignals.PIVOT_MASK).orElse(null);
        DiversitySelector selector = DiversitySelector.builder()
                .optMode(mode)
                .optPivot(pivot)
                .optSeed(seed.orElse(context.seed()))
                .optCheckFinite(false) // the base class already checked the visual tokens
                .build();
        DiversitySelection selection;
        try {
            selection = selector.select(visual, cls, mask, k);
        } catch (dev.tokenreduce.core.InvalidInputException e) {
            throw new dev.tokenreduce.core.InvalidInputException(ID + ": " + e.getMessage(), e);
        }
        return ReducedVisual.kept(selection.kept())
                .withDetail("selection-order", Details.indices(selection.order()))
                .withDetail("requested", k)
                .withDetail("n", n)
                .withDetail("mode", mode.word())
                .withDetail("pivot", pivot.word());
    }
}
