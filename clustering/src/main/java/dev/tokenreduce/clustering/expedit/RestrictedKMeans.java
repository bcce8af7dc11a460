package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch chunk of Expedit's soft k-means with the λ×λ restriction, prepared once and stepped κ times.
 *
 * <p>Tokens are held in group layout (one group per initial cell, padded): (B, M, G, C+1), where the extra channel
 * is 1 for real tokens and 0 for padding, so a single product yields both Σ Q·Z and Σ Q. A step walks the cluster
 * grid in bands of rows; for each band it gathers the ≤ λ² candidate centres of every group, computes distances and
 * the softmax over the allowed candidates only, forms per (group, slot) the weighted token sums, and adds each
 * slot's sums in place into a zero-padded accumulator shifted by that slot's offset (cluster {@code g + offset}
 * receives from group g; contributions of forbidden slots are exactly zero and land in the padding).
 *
 * <p>Bands keep every temporary below {@code bandBudget} floats. Everything that does not change between iterations
 * (band slices, masks, the accumulator and its shifted views) is prepared once, so a band costs a fixed, small
 * number of native calls. The shifted adds are sequential per element, so identical inputs give identical centres
 * (exact ties stay exact).
 */
final class RestrictedKMeans {

    private final NeighbourhoodTable table;
    private final float temperature;
    private final long b;
    private final long c;
    private final NDArray acc;
    private final List<Band> bands = new ArrayList<>();

    /** What one band of cluster rows needs in every iteration. */
    private record Band(long groups, long rows, NDArray tokens, NDArray tokensNoOnes, NDArray tokenNorm,
            NDArray candidates, NDArray penalty, NDArray tokenMask, NDArray[] targets) {}

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
        int h = table.clusters.height();
        int w = table.clusters.width();
        int ry = table.rowRadius;
        int rx = table.colRadius;
        long bandRows = Math.max(1, Math.min(h, bandBudget / Math.max(1, b * w * l * (c + 1))));

        NDArray tokenIndex = manager.create(table.tokenIndex);
        // Tokens plus a ones channel, then a zero row that padding slots of the group layout point to.
        NDArray withOnes = z.concat(manager.ones(new Shape(b, z.getShape().get(1), 1)), 2);
        NDArray padded = withOnes.concat(manager.zeros(new Shape(b, 1, c + 1)), 1);
        NDArray zg = padded.get(new NDIndex(":, {}", tokenIndex)).reshape(b, m, g, c + 1);
        NDArray zNorm = z.square().sum(new int[] {2}).concat(manager.zeros(new Shape(b, 1)), 1)
                .get(new NDIndex(":, {}", tokenIndex)).reshape(b, m, g, 1);
        NDArray mask = manager.create(table.tokenMask, new Shape(1, m, g, 1));
        NDArray candidates = manager.create(table.candidates);
        NDArray penalty = manager.create(table.candidatePenalty, new Shape(1, m, 1, l));

        // Σ Q·Z (channels 0..C−1) and Σ Q (channel C) per cluster on the grid padded by the radius; the unit axis
        // lets one slot of a band's (B, rows, w, L, C+1) sums be added without reshaping.
        this.acc = manager.zeros(new Shape(b, h + 2L * ry, w + 2L * rx, c + 1));
        NDArray accSlots = acc.expandDims(3);
        for (int row0 = 0; row0 < h; row0 += (int) bandRows) {
            int row1 = (int) Math.min(h, row0 + bandRows);
            long g0 = (long) row0 * w;
            long g1 = (long) row1 * w;
            NDIndex groups = new NDIndex(":, {}:{}", g0, g1);
            NDArray tokens = zg.get(groups).reshape(b * (g1 - g0), g, c + 1);
            NDArray[] targets = new NDArray[(int) l];
            for (int o = 0; o < l; o++) {
                int dy = table.slotRow[o];
                int dx = table.slotCol[o];
                targets[o] = accSlots.get(new NDIndex(":, {}:{}, {}:{}", ry + row0 + dy, ry + row1 + dy, rx + dx,
                        rx + dx + w));
            }
            bands.add(new Band(g1 - g0, row1 - row0, tokens, tokens.get(new NDIndex(":, :, :{}", c)),
                    zNorm.get(groups), candidates.get(new NDIndex("{}:{}", g0 * l, g1 * l)), penalty.get(groups),
                    mask.get(groups), targets));
        }
    }

    /** One iteration: new centres (B, M, C) from centres {@code s} (B, M, C). */
    NDArray step(NDArray s) {
        int h = table.clusters.height();
        int w = table.clusters.width();
        NDArray next;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            acc.set(new NDIndex(":"), 0f);
            NDArray sNorm = s.square().sum(new int[] {2});
            for (Band band : bands) {
                try (NDScope inner = new NDScope()) {
                    inner.suppressNotUsedWarning();
                    accumulate(band, s, sNorm, w);
                }
            }
            int ry = table.rowRadius;
            int rx = table.colRadius;
            NDArray sums = acc.get(new NDIndex(":, {}:{}, {}:{}", ry, ry + h, rx, rx + w))
                    .reshape(b, (long) h * w, c + 1);
            NDArray weight = sums.get(new NDIndex(":, :, {}:", c));
            next = sums.get(new NDIndex(":, :, :{}", c)).div(weight.maximum(1e-16f));
            NDScope.unregister(next);
        }
        return next;
    }

    private void accumulate(Band band, NDArray s, NDArray sNorm, int w) {
        long l = table.slots;
        long g = table.groupSize;
        long nb = band.groups();
        // Distances to the candidate centres only: (B, nb, G, L).
        NDArray sg = s.get(new NDIndex(":, {}", band.candidates())).reshape(b * nb, l, c);
        NDArray dots = band.tokensNoOnes().matMul(sg.transpose(0, 2, 1)).reshape(b, nb, g, l);
        NDArray dist = band.tokenNorm().add(sNorm.get(new NDIndex(":, {}", band.candidates())).reshape(b, nb, 1, l))
                .sub(dots.mul(2f));
        NDArray q = dist.mul(-temperature).add(band.penalty()).softmax(3).mul(band.tokenMask());
        // Per (group, slot): Σ_t Q·[Z, 1] -> (B, rows, w, L, C+1), then each slot into its shifted accumulator view.
        NDArray sent = q.transpose(0, 1, 3, 2).reshape(b * nb, l, g).matMul(band.tokens())
                .reshape(b, band.rows(), w, l, c + 1);
        NDList perSlot = sent.split(l, 3);
        for (int o = 0; o < l; o++) {
            band.targets()[o].addi(perSlot.get(o));
        }
    }
}
