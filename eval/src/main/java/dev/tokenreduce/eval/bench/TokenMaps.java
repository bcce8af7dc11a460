package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.eval.report.TokenMapImages;
import java.awt.image.BufferedImage;

/**
 * Pictures of what a policy did to one image: kept tokens for selections (the state still knows which grid cells
 * survive) and a cluster map for merges, or for a selection that followed a merge (each grid cell coloured by the
 * reduced token that dominates its restoration: identity rows restored through the state's restoration, then
 * argmax). A batched state (e.g. the
 * windows of a sliding-window run) is drawn for its first row. Used by the bench report and by
 * {@code tokenreduce visualize}.
 */
public final class TokenMaps {

    private TokenMaps() {}

    /**
     * The picture for the first image of {@code state}'s batch, or null when nothing was reduced (or the state
     * keeps no kept indices and no restoration to draw from).
     *
     * @param grid the input's patch grid
     * @param image drawn over; any size (grid cells are spread over its pixels)
     * @param scope receives the temporaries of the restoration, freed before returning
     */
    public static BufferedImage of(TokenState state, GridSize grid, RgbImage image, NDManager scope) {
        int visual = state.layout().visual();
        if (visual == grid.cells() && state.restoration() == null) {
            return null;
        }
        if (indexesGridCells(state)) {
            return TokenMapImages.keptTokens(keptIndices(state), grid, image.data(), image.width(), image.height());
        }
        int[] labels = restoredLabels(state, scope);
        if (labels == null) {
            return null;
        }
        return TokenMapImages.clusterMap(labels, grid, image.data(), image.width(), image.height(), 0.45f);
    }

    /**
     * Whether the state's visual index counts grid cells: it has one and no step merged tokens (a selection that
     * followed a merge indexes the merged tokens; its picture is the cluster map of the whole restoration).
     */
    static boolean indexesGridCells(TokenState state) {
        return state.visualIndex() != null && !state.merged();
    }

    /**
     * The first row of the state's visual index (for each current visual token, the earlier token it was selected
     * from), or null when the state has none (nothing selected, or merged since).
     */
    public static int[] keptIndices(TokenState state) {
        if (state.visualIndex() == null) {
            return null;
        }
        return ints(state.visualIndex().get("0").toType(DataType.INT64, false).toLongArray());
    }

    /**
     * For each original grid cell of the first row, the current visual token that dominates its restoration
     * (identity rows restored through the state's restoration, then argmax), or null without a restoration.
     */
    public static int[] restoredLabels(TokenState state, NDManager scope) {
        if (state.restoration() == null) {
            return null;
        }
        int visual = state.layout().visual();
        try (NDManager sub = scope.newSubManager()) {
            // restorations are tied to the forward's batch (e.g. several sliding windows): restore one identity
            // per batch row and draw the first
            long batch = state.visualTokens().getShape().get(0);
            NDArray eye = sub.eye(visual).reshape(new Shape(1, visual, visual))
                    .broadcast(new Shape(batch, visual, visual));
            NDArray restored = state.restoration().restore(eye);
            return ints(restored.argMax(2).get("0").toType(DataType.INT64, false).toLongArray());
        }
    }

    private static int[] ints(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }
}
