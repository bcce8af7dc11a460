package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One batch chunk of Expedit's soft k-means with the λ×λ restriction, prepared once and stepped κ times, in the
 * tile form of {@link TileTable}.
 *
 * <p>A step, for all tiles at once: gather each tile's window of centres (B·T, L, C); logits
 * {@code 2t·⟨Z, S⟩ − t·‖S‖²} plus the penalty of forbidden pairs (the token's own ‖Z‖² is the same for every
 * candidate, so the softmax does not need it); softmax over the window; per window slot the weighted sums
 * {@code Σ Q·[Z, 1]} by one batched product with the tokens carrying a ones channel (B·T, L, C+1); then each
 * cluster gathers and adds the ≤ K slots that hold it (padding points to an always-zero dummy slot) and divides Σ Q·Z by Σ Q. About twenty native calls per
 * step, whatever the grid.
 */
final class TiledKMeans {

    private final float temperature;
    private final long b;
    private final long c;
    private final long m;
    private final NDArray tokens;
    private final NDArray tokensWithOnes;
    private final NDArray candidateIndex;
    private final NDArray penalty;
    private final NDArray gatherIndex;
    private final long tiles;
    private final long perTile;
    private final long window;
    private final long perCluster;

    /**
     * @param z (B, N, C) float32 tokens
     */
    TiledKMeans(NDArray z, TileTable table, float temperature) {
        this.temperature = temperature;
        NDManager manager = z.getManager();
        this.b = z.getShape().get(0);
        this.c = z.getShape().get(2);
        this.m = table.clusterCount();
        this.tiles = table.tiles;
        this.perTile = table.tokensPerTile;
        this.window = table.candidates;
        this.perCluster = table.contributionsPerCluster;
        long n = z.getShape().get(1);
        // Tokens in tile layout, padded with a zero row; once plain (contiguous, for the distance product) and once
        // with a ones channel (for Σ Q·Z and Σ Q in one product).
        NDArray tileIndex = manager.create(table.tokenIndex);
        this.tokens = z.concat(manager.zeros(new Shape(b, 1, c)), 1).get(new NDIndex(":, {}", tileIndex))
                .reshape(b * tiles, perTile, c);
        this.tokensWithOnes = z.concat(manager.ones(new Shape(b, n, 1)), 2)
                .concat(manager.zeros(new Shape(b, 1, c + 1)), 1).get(new NDIndex(":, {}", tileIndex))
                .reshape(b * tiles, perTile, c + 1);
        this.candidateIndex = manager.create(table.candidateIndex);
        this.penalty = manager.create(table.penalty, new Shape(1, tiles, perTile, window));
        this.gatherIndex = manager.create(table.gatherIndex);
    }

    /** One iteration: new centres (B, M, C) from centres {@code s} (B, M, C). */
    NDArray step(NDArray s) {
        NDArray next;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray windowCentres = s.get(new NDIndex(":, {}", candidateIndex)).reshape(b * tiles, window, c);
            NDArray windowNorms = s.square().sum(new int[] {2}).get(new NDIndex(":, {}", candidateIndex))
                    .reshape(b, tiles, 1, window);
            NDArray logits = tokens.matMul(windowCentres.transpose(0, 2, 1)).reshape(b, tiles, perTile, window)
                    .mul(2f * temperature).sub(windowNorms.mul(temperature)).add(penalty);
            NDArray q = logits.softmax(3).reshape(b * tiles, perTile, window);
            NDArray slotSums = q.transpose(0, 2, 1).matMul(tokensWithOnes).reshape(b, tiles * window, c + 1);
            NDArray sums = slotSums.get(new NDIndex(":, {}", gatherIndex))
                    .reshape(b, m, perCluster, c + 1).sum(new int[] {2});
            NDArray weight = sums.get(new NDIndex(":, :, {}:", c));
            next = sums.get(new NDIndex(":, :, :{}", c)).div(weight.maximum(1e-16f));
            NDScope.unregister(next);
        }
        return next;
    }
}
