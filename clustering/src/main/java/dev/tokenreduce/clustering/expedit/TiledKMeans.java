package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.SparseTensors;
import dev.tokenreduce.core.Tensors;

/**
 * One batch chunk of Expedit's soft k-means with the λ×λ restriction, prepared once and stepped κ times, in the
 * tile form of {@link TileTable}.
 *
 * <p>A step, for all tiles at once: gather each tile's window of centres (B·T, L, C) (rows by {@code index_select},
 * {@link Tensors#selectRows}: 0.24 ms per step inside the ViT-B/16 512² forward against 0.38 for advanced
 * indexing); logits {@code 2t·⟨Z, S⟩ − t·‖S‖²} plus the penalty of forbidden pairs (the token's own ‖Z‖² is the same
 * for every candidate, so the softmax does not need it); softmax over the window; per window slot the weighted sums
 * {@code Σ Q·Z} (B·T, L, C) and {@code Σ Q} over the tile's real tokens (B·T, L, 1), two batched products; then the
 * slots are added into their clusters by a product with the sparse (M, T·L) 0/1 slot-to-cluster matrix
 * ({@link TileTable.OnDevice#slotsToClusters}; inside the ViT-B forward 0.48 ms per step against 0.58–0.61 for
 * selecting the K = 4 slots of every cluster and summing them; a batch is laid side by side as columns) and Σ Q·Z is
 * divided by Σ Q. About twenty native calls per step, whatever the grid. (The sums of Q are a separate small product
 * rather than a ones channel on the tokens: C + 1 columns made the large product and the division slower.)
 */
final class TiledKMeans {

    private final float temperature;
    private final long b;
    private final long c;
    private final long m;
    private final NDArray tokens;
    /** (B·T, P, 1): 1 for a tile's real tokens, 0 for its padding rows (whose softmax must not count in Σ Q). */
    private final NDArray realTokens;
    private final NDArray candidateIndex;
    private final NDArray penalty;
    private final NDArray slotsToClusters;
    private final long tiles;
    private final long perTile;
    private final long window;

    /**
     * @param z (B, N, C) float32 tokens
     */
    TiledKMeans(NDArray z, TileTable table, float temperature) {
        this.temperature = temperature;
        this.b = z.getShape().get(0);
        this.c = z.getShape().get(2);
        this.m = table.clusterCount();
        this.tiles = table.tiles;
        this.perTile = table.tokensPerTile;
        this.window = table.candidates;
        long n = z.getShape().get(1);
        TileTable.OnDevice constants = table.on(z.getDevice());
        this.realTokens = b == 1 ? constants.realTokens()
                : constants.realTokens().broadcast(new Shape(b, tiles, perTile, 1)).reshape(b * tiles, perTile, 1);
        // Tokens in tile layout; padding slots gather token 0 and are zeroed in place (no padded copy of Z).
        this.tokens = Tensors.selectRows(z.reshape(b * n, c), perEntry(z, constants.tokenIndex(), n))
                .reshape(b * tiles, perTile, c).muli(realTokens);
        this.candidateIndex = perEntry(z, constants.candidateIndex(), m);
        this.penalty = constants.penalty();
        this.slotsToClusters = constants.slotsToClusters();
    }

    /**
     * Row indices into the (B·R, ·) flattened batch: {@code index} for the first entry, shifted by R for each next
     * one, as (B, I) (or {@code index} itself for one entry); made in the tokens' manager, not the table's.
     */
    private NDArray perEntry(NDArray z, NDArray index, long rowsPerEntry) {
        if (b == 1) {
            return index;
        }
        NDArray shift = Tensors.arangeLong(z.getManager(), 0, b).muli(rowsPerEntry).reshape(b, 1);
        return shift.add(index.reshape(1, -1));
    }

    /** One iteration: new centres (B, M, C) from centres {@code s} (B, M, C). */
    NDArray step(NDArray s) {
        NDArray next;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray windowCentres = Tensors.selectRows(s.reshape(b * m, c), candidateIndex)
                    .reshape(b * tiles, window, c);
            // ‖S‖² through the 2-norm: no (M, C) temporary of squares
            NDArray norms = s.norm(2, new int[] {2}, false).square();
            NDArray windowNorms = Tensors.selectRows(norms.reshape(b * m, 1), candidateIndex)
                    .reshape(b, tiles, 1, window);
            // in place on fresh arrays: no further (B, T, P, L) temporaries
            NDArray logits = tokens.matMul(windowCentres.transpose(0, 2, 1)).reshape(b, tiles, perTile, window)
                    .muli(2f * temperature).subi(windowNorms.muli(temperature)).addi(penalty);
            NDArray qt = logits.softmax(3).reshape(b * tiles, perTile, window).transpose(0, 2, 1);
            NDArray slotSums = qt.matMul(tokens).reshape(b, tiles * window, c);
            NDArray slotWeights = qt.matMul(realTokens).reshape(b, tiles * window, 1);
            NDArray sums = intoClusters(slotSums);
            NDArray weight = intoClusters(slotWeights);
            next = sums.divi(weight.maximum(1e-16f));
            NDScope.unregister(next);
        }
        return next;
    }

    /** (B, T·L, D) window-slot sums → (B, M, D) cluster sums, through the (M, T·L) sparse 0/1 matrix. */
    private NDArray intoClusters(NDArray slots) {
        return SparseTensors.applyToBatch(slotsToClusters, slots);
    }
}
