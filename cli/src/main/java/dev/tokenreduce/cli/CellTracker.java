package dev.tokenreduce.cli;

import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.eval.bench.TokenMaps;
import dev.tokenreduce.eval.report.TokenMapImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Follows the patches of the input grid through a policy's steps (first image of the batch): for each grid cell,
 * the current visual token that holds it, or -1 once it was dropped. A state alone cannot say this when steps
 * combine: after a merge, a selection's visual index counts merged tokens, not grid cells; so the tracker composes
 * step by step (selections through their visual index, merges through the restoration's dominant token, both read
 * with {@link TokenMaps}) and draws with {@link TokenMapImages}: a cluster map once tokens were merged, dropped
 * patches dimmed once tokens were dropped.
 */
final class CellTracker {

    /** Label colour weight of cluster maps (as the bench report draws them). */
    static final float ALPHA = 0.45f;

    private final GridSize grid;
    private int[] cellToken;
    private boolean merged;
    private boolean lost;

    CellTracker(GridSize grid) {
        this.grid = grid;
        this.cellToken = new int[grid.cells()];
        Arrays.setAll(cellToken, i -> i);
    }

    /**
     * Takes one step into account, from the state its first call was given to the state its last call left. Returns
     * false when the step cannot be followed onto the grid (then no later step can be either).
     */
    boolean follow(TokenState before, TokenState after, NDManager scope) {
        if (lost) {
            return false;
        }
        int in = before.layout().visual();
        int out = after.layout().visual();
        if (in == out) {
            return true; // nothing moved (e.g. expedit-reconstruct only changes the restoration)
        }
        int[] next = after.visualIndex() != null ? select(before, after, in) : merge(after, scope);
        if (next == null) {
            lost = true;
            return false;
        }
        cellToken = next;
        return true;
    }

    /** Kept tokens: their index among the previous tokens from the visual index, then renumbered. */
    private int[] select(TokenState before, TokenState after, int in) {
        int[] now = TokenMaps.keptIndices(after);
        int[] kept = now;
        int[] was = TokenMaps.keptIndices(before);
        if (was != null) {
            // both index the same earlier tokens: find each kept one among the previous ones
            int[] position = new int[Arrays.stream(was).max().orElse(0) + 1];
            Arrays.fill(position, -1);
            for (int i = 0; i < was.length; i++) {
                position[was[i]] = i;
            }
            kept = new int[now.length];
            for (int j = 0; j < now.length; j++) {
                kept[j] = now[j] < position.length ? position[now[j]] : -1;
                if (kept[j] < 0) {
                    return null;
                }
            }
        }
        int[] renumber = new int[in];
        Arrays.fill(renumber, -1);
        for (int j = 0; j < kept.length; j++) {
            if (kept[j] < 0 || kept[j] >= in) {
                return null;
            }
            renumber[kept[j]] = j;
        }
        int[] next = new int[cellToken.length];
        for (int c = 0; c < next.length; c++) {
            next[c] = cellToken[c] < 0 || cellToken[c] >= in ? -1 : renumber[cellToken[c]];
        }
        return next;
    }

    /** Merged tokens: each surviving cell takes the token that dominates its restoration; dropped cells stay so. */
    private int[] merge(TokenState after, NDManager scope) {
        if (after.restoration() == null || after.restoration().originalTokens() != grid.cells()) {
            return null;
        }
        int[] labels = TokenMaps.restoredLabels(after, scope);
        int[] next = new int[cellToken.length];
        for (int c = 0; c < next.length; c++) {
            next[c] = cellToken[c] < 0 ? -1 : labels[c];
        }
        merged = true;
        return next;
    }

    /** Whether tokens were merged so far (the picture is a cluster map). */
    boolean merged() {
        return merged;
    }

    /** Whether some patches were dropped so far (the picture dims them). */
    boolean dropped() {
        return Arrays.stream(cellToken).anyMatch(t -> t < 0);
    }

    /** The current token of every grid cell (row-major), -1 for dropped cells. */
    int[] cells() {
        return cellToken.clone();
    }

    /** The picture of the current state over {@code view}. */
    BufferedImage draw(RgbImage view) {
        BufferedImage picture = merged
                ? TokenMapImages.clusterMap(cellToken, grid, view.data(), view.width(), view.height(), ALPHA)
                : TokenMapImages.fromRgb(view.data(), view.width(), view.height());
        if (!dropped()) {
            return picture;
        }
        int[] kept = java.util.stream.IntStream.range(0, cellToken.length).filter(c -> cellToken[c] >= 0).toArray();
        return TokenMapImages.keptTokens(kept, grid, TokenMapImages.toRgb(picture), view.width(), view.height());
    }
}
