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
 * survive) and a cluster map for merges (each grid cell coloured by the reduced token that dominates its
 * restoration: identity rows restored through the state's restoration, then argmax). A batched state (e.g. the
 * windows of a sliding-window run) is drawn for its first row.
 */
final class TokenMaps {

    private TokenMaps() {}

    /** The picture for the first image of {@code state}'s batch, or null when nothing was reduced. */
    static BufferedImage of(TokenState state, GridSize grid, RgbImage image, NDManager scope) {
        int visual = state.layout().visual();
        if (visual == grid.cells() && state.restoration() == null) {
            return null;
        }
        if (state.visualIndex() != null) {
            long[] kept = state.visualIndex().get("0").toType(DataType.INT64, false).toLongArray();
            int[] k = new int[kept.length];
            for (int i = 0; i < k.length; i++) {
                k[i] = (int) kept[i];
            }
            return TokenMapImages.keptTokens(k, grid, image.data(), image.width(), image.height());
        }
        if (state.restoration() == null) {
            return null;
        }
        try (NDManager sub = scope.newSubManager()) {
            // restorations are tied to the forward's batch (e.g. several sliding windows): restore one identity
            // per batch row and draw the first
            long batch = state.visualTokens().getShape().get(0);
            NDArray eye = sub.eye(visual).reshape(new Shape(1, visual, visual))
                    .broadcast(new Shape(batch, visual, visual));
            NDArray restored = state.restoration().restore(eye);
            long[] labels = restored.argMax(2).get("0").toType(DataType.INT64, false).toLongArray();
            int[] l = new int[labels.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (int) labels[i];
            }
            return TokenMapImages.clusterMap(l, grid, image.data(), image.width(), image.height(), 0.45f);
        }
    }
}
