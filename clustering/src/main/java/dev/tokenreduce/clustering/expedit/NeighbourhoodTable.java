package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.clustering.pool.AdaptivePooling;
import dev.tokenreduce.core.GridSize;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The index tables of Expedit's λ×λ neighbourhood restriction for one (grid, cluster grid, λ), built once in Java
 * and cached (they are plain arrays, so they outlive every NDManager).
 *
 * <p>Every token may only join the clusters within {@code r = ⌊λ/2⌋} rows and columns of its initial (nearest) cell,
 * so tokens that share an initial cell share their candidate set. The tables therefore work per <em>group</em> (the
 * tokens of one initial cell, padded to the largest group) and per <em>slot</em> (one offset (dy, dx) of the window,
 * clipped to the cluster grid):
 * <ul>
 *   <li>{@code tokenIndex} (M × groupSize): the tokens of each group, padded with index N (a zero row);</li>
 *   <li>{@code tokenMask} (M × groupSize): 1 for real tokens, 0 for padding;</li>
 *   <li>{@code candidates} (M × slots): cluster {@code g + offset(slot)}, or 0 when off the grid;</li>
 *   <li>{@code candidatePenalty} (M × slots): 0 for allowed slots, a huge negative logit otherwise;</li>
 *   <li>{@code slotRow}, {@code slotCol} (slots): the offset (dy, dx) of each slot, |dy| ≤ rowRadius,
 *       |dx| ≤ colRadius.</li>
 * </ul>
 * Distances are then computed for (groups × groupSize × slots) pairs only: O(N·λ²·C) per iteration.
 */
final class NeighbourhoodTable {

    /** Logit added to forbidden slots: exp of it underflows to exactly 0 in float32, as the official +1e16. */
    static final float FORBIDDEN = -1e30f;

    private static final Map<Key, NeighbourhoodTable> CACHE = new ConcurrentHashMap<>();

    final GridSize grid;
    final GridSize clusters;
    final int groupSize;
    final int slots;
    final long[] tokenIndex;
    final float[] tokenMask;
    final long[] candidates;
    final float[] candidatePenalty;
    final int rowRadius;
    final int colRadius;
    final int[] slotRow;
    final int[] slotCol;

    private record Key(GridSize grid, GridSize clusters, int radius) {}

    private NeighbourhoodTable(GridSize grid, GridSize clusters, int radius) {
        this.grid = grid;
        this.clusters = clusters;
        int h = clusters.height();
        int w = clusters.width();
        int m = h * w;
        int n = grid.cells();
        // Offsets beyond the grid can never be allowed; dropping them keeps the slot count small for big λ.
        int ry = Math.min(radius, h - 1);
        int rx = Math.min(radius, w - 1);
        int spanX = 2 * rx + 1;
        this.rowRadius = ry;
        this.colRadius = rx;
        this.slots = (2 * ry + 1) * spanX;
        this.slotRow = new int[slots];
        this.slotCol = new int[slots];
        for (int dy = -ry; dy <= ry; dy++) {
            for (int dx = -rx; dx <= rx; dx++) {
                slotRow[(dy + ry) * spanX + (dx + rx)] = dy;
                slotCol[(dy + ry) * spanX + (dx + rx)] = dx;
            }
        }

        long[] labels = AdaptivePooling.nearestLabels(grid, clusters);
        int[] count = new int[m];
        for (long label : labels) {
            count[(int) label]++;
        }
        int largest = 1;
        for (int c : count) {
            largest = Math.max(largest, c);
        }
        this.groupSize = largest;
        this.tokenIndex = new long[m * groupSize];
        this.tokenMask = new float[m * groupSize];
        java.util.Arrays.fill(tokenIndex, n);
        int[] fill = new int[m];
        for (int i = 0; i < n; i++) {
            int g = (int) labels[i];
            tokenIndex[g * groupSize + fill[g]] = i;
            tokenMask[g * groupSize + fill[g]] = 1f;
            fill[g]++;
        }

        this.candidates = new long[m * slots];
        this.candidatePenalty = new float[m * slots];
        for (int gy = 0; gy < h; gy++) {
            for (int gx = 0; gx < w; gx++) {
                int g = gy * w + gx;
                for (int dy = -ry; dy <= ry; dy++) {
                    for (int dx = -rx; dx <= rx; dx++) {
                        int slot = (dy + ry) * spanX + (dx + rx);
                        int cy = gy + dy;
                        int cx = gx + dx;
                        boolean inside = cy >= 0 && cy < h && cx >= 0 && cx < w;
                        candidates[g * slots + slot] = inside ? cy * w + cx : 0;
                        candidatePenalty[g * slots + slot] = inside ? 0f : FORBIDDEN;
                    }
                }
            }
        }
    }

    /** The tables for tokens on {@code grid}, clusters on {@code clusters} and window λ = 2·radius + 1 (cached). */
    static NeighbourhoodTable of(GridSize grid, GridSize clusters, int radius) {
        return CACHE.computeIfAbsent(new Key(grid, clusters, radius),
                k -> new NeighbourhoodTable(k.grid(), k.clusters(), k.radius()));
    }

    int clusterCount() {
        return clusters.cells();
    }
}
