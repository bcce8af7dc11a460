package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One batch chunk of Expedit's soft k-means with the λ×λ restriction, prepared once and stepped κ times.
 *
 * <p>Tokens are held in group layout (one group per initial cell, padded): {@code zg} is (B, M, G, C+1) where the
 * extra channel is 1 for real tokens and 0 for padding, so a single product yields both Σ Q·Z and Σ Q. A step
 * walks the cluster grid in bands of rows; for each band it gathers the ≤ λ² candidate centres of every group,
 * computes distances and the softmax over the allowed candidates only, forms per (group, slot) the weighted token
 * sums, and adds each slot's sums into a zero-padded accumulator shifted by that slot's offset (cluster
 * {@code g + offset} receives from group g). Bands keep every temporary below {@code bandBudget} floats; the
 * shifted adds are sequential per element, so identical inputs give identical centres (exact ties stay exact).
 */
final class RestrictedKMeans {

    private final NeighbourhoodTable table;
    private final float temperature;
    private final long b;
    private final long c;
    private final long bandRows;
    private final NDArray zg;
    private final NDArray zNorm;
    private final NDArray tokenMask;
    private final NDArray candidates;
    private final NDArray penalty;

    /**
     * @param z (B, N, C) float32 tokens
     * @param bandBudget largest number of floats one per-band temporary may hold
     */
    RestrictedKMeans(NDArray z, NeighbourhoodTable table, float temperature, long bandBudget) {
        this.table = table;
        this.temperature = temperature;
        NDManager manager = z.getManager();
        this.b = z.getShape().get(0);
        this.c = z.getShape().get(2);
        long m = table.clusterCount();
        long g = table.groupSize;
        long l = table.slots;
        int w = table.clusters.width();
        this.bandRows = Math.max(1, Math.min(table.clusters.height(), bandBudget / Math.max(1, b * w * l * (c + 1))));
        // Tokens plus a ones channel, then a zero row that padding slots of the group layout point to.
        NDArray withOnes = z.concat(manager.ones(new Shape(b, z.getShape().get(1), 1)), 2);
        NDArray padded = withOnes.concat(manager.zeros(new Shape(b, 1, c + 1)), 1);
        this.zg = padded.get(new NDIndex(":, {}", manager.create(table.tokenIndex))).reshape(b, m, g, c + 1);
        this.zNorm = z.square().sum(new int[] {2}).concat(manager.zeros(new Shape(b, 1)), 1)
                .get(new NDIndex(":, {}", manager.create(table.tokenIndex))).reshape(b, m, g, 1);
        this.tokenMask = manager.create(table.tokenMask, new Shape(1, m, g, 1));
        this.candidates = manager.create(table.candidates);
        this.penalty = manager.create(table.candidatePenalty, new Shape(1, m, 1, l));
    }

    /** One iteration: new centres (B, M, C) from centres {@code s} (B, M, C). */
    NDArray step(NDArray s) {
        int h = table.clusters.height();
        int w = table.clusters.width();
        int ry = table.rowRadius;
        int rx = table.colRadius;
        long l = table.slots;
        long g = table.groupSize;
        NDArray next;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray sNorm = s.square().sum(new int[] {2});
            // Σ Q·Z (channels 0..C−1) and Σ Q (channel C) per cluster, on the grid padded by the radius.
            NDArray acc = s.getManager().zeros(new Shape(b, h + 2L * ry, w + 2L * rx, c + 1));
            for (int row0 = 0; row0 < h; row0 += (int) bandRows) {
                int row1 = (int) Math.min(h, row0 + bandRows);
                try (NDScope band = new NDScope()) {
                    band.suppressNotUsedWarning();
                    accumulateBand(s, sNorm, acc, row0, row1, w, l, g, ry, rx);
                }
            }
            NDArray sums = acc.get(new NDIndex(":, {}:{}, {}:{}", ry, ry + h, rx, rx + w))
                    .reshape(b, (long) h * w, c + 1);
            NDArray weight = sums.get(new NDIndex(":, :, {}:", c));
            next = sums.get(new NDIndex(":, :, :{}", c)).div(weight.maximum(1e-16f));
            NDScope.unregister(next);
        }
        return next;
    }

    private void accumulateBand(NDArray s, NDArray sNorm, NDArray acc, int row0, int row1, int w, long l, long g,
            int ry, int rx) {
        long g0 = (long) row0 * w;
        long g1 = (long) row1 * w;
        long nb = g1 - g0;
        NDIndex groups = new NDIndex(":, {}:{}", g0, g1);
        NDArray cand = candidates.get(new NDIndex("{}:{}", g0 * l, g1 * l));
        NDArray zb = zg.get(groups).reshape(b * nb, g, c + 1);
        // Distances to the candidate centres only: (B, nb, G, L).
        NDArray sg = s.get(new NDIndex(":, {}", cand)).reshape(b * nb, l, c);
        NDArray dots = zb.get(new NDIndex(":, :, :{}", c)).matMul(sg.transpose(0, 2, 1)).reshape(b, nb, g, l);
        NDArray dist = zNorm.get(groups).add(sNorm.get(new NDIndex(":, {}", cand)).reshape(b, nb, 1, l))
                .sub(dots.mul(2f));
        NDArray q = dist.mul(-temperature).add(penalty.get(groups)).softmax(3).mul(tokenMask.get(groups));
        // Per (group, slot): Σ_t Q·[Z, 1] -> (B, rows, w, L, C+1).
        NDArray sent = q.transpose(0, 1, 3, 2).reshape(b * nb, l, g).matMul(zb)
                .reshape(b, row1 - row0, w, l, c + 1);
        for (int o = 0; o < l; o++) {
            int dy = table.slotRow[o];
            int dx = table.slotCol[o];
            NDIndex target = new NDIndex(":, {}:{}, {}:{}", ry + row0 + dy, ry + row1 + dy, rx + dx, rx + dx + w);
            // In place on a slice view of the accumulator (an index_put copy would be ~15x slower).
            acc.get(target).addi(sent.get(new NDIndex(":, :, :, {}", o)));
        }
    }
}
