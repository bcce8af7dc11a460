package dev.tokenreduce.clustering.expedit;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.tokenreduce.clustering.pool.AdaptivePooling;
import dev.tokenreduce.core.DeviceConstants;
import dev.tokenreduce.core.GridSize;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index tables of Expedit's λ×λ neighbourhood restriction in <em>tile</em> form, built once in Java per (token grid,
 * cluster grid, radius, tile size) and cached (plain arrays, so they outlive every NDManager), and uploaded once per
 * device ({@link #on}) with the sparse slot-to-cluster matrix built from them.
 *
 * <p>The cluster grid is cut into tiles of {@code tileRows × tileCols} clusters. The tokens whose initial (nearest)
 * cell lies in a tile can only join clusters inside the tile grown by the radius on every side, its <em>window</em>
 * of {@code candidates = (tileRows + 2r) · (tileCols + 2r)} clusters. One soft k-means step is then a handful of
 * batched products over all tiles at once — tokens of a tile × centres of its window — with the clusters a token
 * may not join masked by a penalty, instead of one small product per initial cell and slot. The window is larger
 * than a token's own λ×λ set (64 against 25 at λ = 5 with 4×4 tiles), which costs some arithmetic but turns
 * hundreds of native calls per iteration into about twenty.
 *
 * <ul>
 *   <li>{@code tokenIndex} (T × P): the tokens of each tile, padded with N (on the device: token 0, whose copy the
 *       real-token mask zeroes);</li>
 *   <li>{@code candidateIndex} (T × L): the cluster at each window position, or 0 off the grid (then always
 *       penalised for real tokens);</li>
 *   <li>{@code penalty} (T × P × L): 0 where the token may join the candidate, {@link #FORBIDDEN} otherwise
 *       (padding tokens may join every candidate so that their softmax stays finite; their zero row contributes
 *       nothing, and their Q is not counted);</li>
 *   <li>{@code usedSlot} (T × L): whether some real token of tile t may join the cluster at window position l — the
 *       slots whose sums are added into clusters.</li>
 * </ul>
 *
 * <p>L = (side + 2r)² is kept a multiple of 16 where it can be (64 at side 4 and λ = 5): libtorch's CPU GEMM works
 * in 16-column panels, and a 65th column cost 10–15 % more per product.
 */
final class TileTable {

    /** Logit added to forbidden pairs: exp of it underflows to exactly 0 in float32, as the official +1e16. */
    static final float FORBIDDEN = -1e30f;

    private static final Map<Key, TileTable> CACHE = new ConcurrentHashMap<>();

    final GridSize grid;
    final GridSize clusters;
    final int tiles;
    final int tokensPerTile;
    final int candidates;
    final long[] tokenIndex;
    final long[] candidateIndex;
    final float[] penalty;
    final boolean[] usedSlot;

    private record Key(GridSize grid, GridSize clusters, int radius, int tile) {}

    /** Per device: the tables as arrays, built once (see {@link #on}). */
    private final DeviceConstants<OnDevice> onDevice = new DeviceConstants<>(this::upload);

    /**
     * The tables as arrays on one device, kept with the table in their own manager (as the Java arrays are kept) so a
     * k-means call does not upload them again.
     *
     * @param tokenIndex (T·P) int64 token of each tile slot, 0 for padding (rows {@code realTokens} zeroes)
     * @param realTokens (T, P, 1) float32: 1 for a tile's real tokens, 0 for padding
     * @param candidateIndex (T·L) int64 cluster of each window position
     * @param penalty (1, T, P, L) float32: 0 or {@link #FORBIDDEN}
     * @param slotsToClusters the (M, T·L) sparse 0/1 matrix that adds window slots into clusters
     */
    record OnDevice(NDArray tokenIndex, NDArray realTokens, NDArray candidateIndex, NDArray penalty,
            NDArray slotsToClusters) {}

    private TileTable(GridSize grid, GridSize clusters, int radius, int tile) {
        this.grid = grid;
        this.clusters = clusters;
        int h = clusters.height();
        int w = clusters.width();
        int m = h * w;
        int n = grid.cells();
        // Offsets beyond the cluster grid can never be allowed, and a tile never needs to exceed the grid.
        int ry = Math.min(radius, h - 1);
        int rx = Math.min(radius, w - 1);
        int th = Math.min(tile, h);
        int tw = Math.min(tile, w);
        int tilesY = (h + th - 1) / th;
        int tilesX = (w + tw - 1) / tw;
        int spanY = th + 2 * ry;
        int spanX = tw + 2 * rx;
        this.tiles = tilesY * tilesX;
        this.candidates = spanY * spanX;

        long[] initial = AdaptivePooling.nearestLabels(grid, clusters);
        int[] perTile = new int[tiles];
        for (long cell : initial) {
            perTile[tileOf((int) cell, w, th, tw, tilesX)]++;
        }
        this.tokensPerTile = Math.max(1, Arrays.stream(perTile).max().orElse(1));
        this.tokenIndex = new long[tiles * tokensPerTile];
        Arrays.fill(tokenIndex, n);
        int[] tokenCell = new int[tiles * tokensPerTile];
        Arrays.fill(tokenCell, -1);
        int[] fill = new int[tiles];
        for (int i = 0; i < n; i++) {
            int t = tileOf((int) initial[i], w, th, tw, tilesX);
            int slot = t * tokensPerTile + fill[t]++;
            tokenIndex[slot] = i;
            tokenCell[slot] = (int) initial[i];
        }

        this.candidateIndex = new long[tiles * candidates];
        this.penalty = new float[tiles * tokensPerTile * candidates];
        this.usedSlot = new boolean[tiles * candidates];
        boolean[] used = usedSlot;
        for (int t = 0; t < tiles; t++) {
            int y0 = (t / tilesX) * th - ry;
            int x0 = (t % tilesX) * tw - rx;
            for (int l = 0; l < candidates; l++) {
                int cy = y0 + l / spanX;
                int cx = x0 + l % spanX;
                boolean inside = cy >= 0 && cy < h && cx >= 0 && cx < w;
                candidateIndex[t * candidates + l] = inside ? (long) cy * w + cx : 0;
                for (int p = 0; p < tokensPerTile; p++) {
                    int cell = tokenCell[t * tokensPerTile + p];
                    boolean allowed;
                    if (cell < 0) {
                        allowed = true;
                    } else {
                        allowed = inside && Math.abs(cy - cell / w) <= ry && Math.abs(cx - cell % w) <= rx;
                        used[t * candidates + l] |= allowed;
                    }
                    penalty[(t * tokensPerTile + p) * candidates + l] = allowed ? 0f : FORBIDDEN;
                }
            }
        }
    }

    private static int tileOf(int cell, int w, int th, int tw, int tilesX) {
        return (cell / w / th) * tilesX + (cell % w) / tw;
    }

    /** The tables for tokens on {@code grid}, clusters on {@code clusters}, λ = 2·radius + 1 and square tiles. */
    static TileTable of(GridSize grid, GridSize clusters, int radius, int tile) {
        return CACHE.computeIfAbsent(new Key(grid, clusters, radius, tile),
                k -> new TileTable(k.grid(), k.clusters(), k.radius(), k.tile()));
    }

    int clusterCount() {
        return clusters.cells();
    }

    /** The tables as arrays on {@code device}, built on first use. */
    OnDevice on(Device device) {
        return onDevice.on(device);
    }

    private OnDevice upload(NDManager owner) {
        float[] real = new float[tokenIndex.length];
        long[] gatherIndex = new long[tokenIndex.length];
        for (int i = 0; i < tokenIndex.length; i++) {
            boolean padding = tokenIndex[i] >= grid.cells();
            real[i] = padding ? 0f : 1f;
            gatherIndex[i] = padding ? 0 : tokenIndex[i];
        }
        return new OnDevice(owner.create(gatherIndex), owner.create(real, new Shape(tiles, tokensPerTile, 1)),
                owner.create(candidateIndex), owner.create(penalty, new Shape(1, tiles, tokensPerTile, candidates)),
                slotsToClusters(owner));
    }

    /**
     * The (M, T·L) 0/1 matrix that adds window slots into clusters: entry (j, t·L + l) is 1 where tile t's slot l
     * holds cluster j for some real token of the tile. A k-means step multiplies it, as a sparse COO tensor, with the
     * (T·L, C) slot sums: a scatter-add of about 3·M rows instead of a gather of M·K slot rows and a sum over K (DJL
     * 0.36 exposes no scatter-add). Built from a dense array so that it is coalesced (an uncoalesced one is coalesced
     * again by every product).
     */
    private NDArray slotsToClusters(NDManager owner) {
        int m = clusterCount();
        int slots = tiles * candidates;
        float[] dense = new float[m * slots];
        for (int pos = 0; pos < slots; pos++) {
            if (usedSlot[pos]) {
                dense[(int) candidateIndex[pos] * slots + pos] = 1f;
            }
        }
        try (NDManager tmp = owner.newSubManager()) {
            NDArray sparse = tmp.create(dense, new Shape(m, slots)).toSparse(SparseFormat.COO);
            sparse.attach(owner);
            return sparse;
        }
    }
}
