package dev.tokenreduce.clustering.pool;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.IndexRestoration;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;

/**
 * The {@code pool} step: adaptive average pooling of the visual token grid to h×w (Expedit with κ = 0), restored
 * by nearest upsampling — every token takes the pooled token of its nearest cell.
 */
public final class PoolOperator extends AbstractTokenReducer {

    /** Registry id. */
    public static final String ID = "pool";

    private final GridSize cells;

    public PoolOperator(GridSize cells) {
        this.cells = cells;
    }

    public GridSize cells() {
        return cells;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        GridSize grid = layout.requireGrid(ID);
        NDArray pooled = AdaptivePooling.pool(visual, grid, cells);
        NDArray nearest = AdaptivePooling.nearestLabels(visual.getManager(), grid, cells, visual.getShape().get(0));
        return ReducedVisual.merged(pooled, cells, new IndexRestoration(nearest, cells.cells()))
                .withDetail("grid", grid.toString())
                .withDetail("clusters", cells.toString());
    }
}
