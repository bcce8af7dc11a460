package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.ReducedVisual;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;

/**
 * The {@code expedit-cluster} step: replaces the visual tokens (an H×W grid) by h×w cluster centres (or the
 * stitched per-window centres) and leaves an {@link ExpeditRestoration} (naive unpooling until an
 * {@code expedit-reconstruct} step replaces it). Prefix and suffix tokens pass through unchanged.
 */
public final class ExpeditClusterOperator extends AbstractTokenReducer {

    /** Registry id. */
    public static final String ID = "expedit-cluster";

    private final ExpeditClustering clustering;

    public ExpeditClusterOperator(ExpeditClustering clustering) {
        this.clustering = clustering;
    }

    public ExpeditClustering clustering() {
        return clustering;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
        GridSize grid = layout.requireGrid(ID);
        // The base class already scanned the visual tokens for NaN/Inf (unless the host turned checks off).
        ClusteringResult result = clustering.cluster(visual, grid, false);
        ReducedVisual decision = ReducedVisual.merged(result.mergedTokens(), result.mergedGrid(),
                ExpeditRestoration.naive(result));
        decision.withDetail("grid", grid.toString())
                .withDetail("clusters", clustering.clusters().toString())
                .withDetail("iterations", clustering.iterations())
                .withDetail("window", clustering.window())
                .withDetail("temperature", clustering.temperature());
        if (result.isWindowed()) {
            decision.withDetail("windowed", clustering.windowed()).withDetail("merged-grid",
                    result.mergedGrid().toString());
        }
        return decision;
    }
}
