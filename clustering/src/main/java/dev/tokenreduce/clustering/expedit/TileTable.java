package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.clustering.pool.AdaptivePooling;
import dev.tokenreduce.core.GridSize;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index tables of Expedit's λ×λ neighbourhood restriction in <em>tile</em> form, built once in Java per (token grid,
 * cluster grid, radius, tile size) and cached (plain arrays, so they outlive every NDManager), plus the sparse
 * slot-to-cluster matrix built from them once per device and batch size.
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
 *   <li>{@code tokenIndex} (T × P): the tokens of each tile, padded with N (a zero row appended to the tokens);</li>
 *   <li>{@code candidateIndex} (T × L): the cluster at each window position, or 0 off the grid (then always
 *       penalised); the last position of every window is such a dummy, forbidden for every token, so its slot sum
 *       is exactly zero;</li>
 *   <li>{@code penalty} (T × P × L): 0 where the token may join the candidate, {@link #FORBIDDEN} otherwise
 *       (padding tokens may join every real candidate so that their softmax stays finite; their zero row
 *       contributes nothing);</li>
 *   <li>{@code gatherIndex} (M × K): for each cluster, the positions t·L + l of the window slots where a token of
 *       tile t may join it, padded with L − 1 (the dummy slot of the first tile, always zero).</li>
 * </ul>
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
    final int contributionsPerCluster;
    final long[] tokenIndex;
    final long[] candidateIndex;
    final float[] penalty;
    final long[] gatherIndex;

    private record Key(GridSize grid, GridSize clusters, int radius, int tile) {}

    private record SumsKey(Device device, long batch) {}

    /** Per device and batch size: the sparse slot-to-cluster matrix of {@link #slotsToClusters}. */
    private final Map<SumsKey, NDArray> slotsToClusters = new ConcurrentHashMap<>();

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
        this.candidates = spanY * spanX + 1;

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
        boolean[] used = new boolean[tiles * candidates];
        int[] perCluster = new int[m];
        for (int t = 0; t < tiles; t++) {
            int y0 = (t / tilesX) * th - ry;
            int x0 = (t % tilesX) * tw - rx;
            for (int l = 0; l < candidates; l++) {
                boolean dummy = l == candidates - 1;
                int cy = dummy ? -1 : y0 + l / spanX;
                int cx = x0 + l % spanX;
                boolean inside = cy >= 0 && cy < h && cx >= 0 && cx < w;
                candidateIndex[t * candidates + l] = inside ? (long) cy * w + cx : 0;
                for (int p = 0; p < tokensPerTile; p++) {
                    int cell = tokenCell[t * tokensPerTile + p];
                    boolean allowed;
                    if (cell < 0) {
                        allowed = !dummy;
                    } else {
                        allowed = inside && Math.abs(cy - cell / w) <= ry && Math.abs(cx - cell % w) <= rx;
                        used[t * candidates + l] |= allowed;
                    }
                    penalty[(t * tokensPerTile + p) * candidates + l] = allowed ? 0f : FORBIDDEN;
                }
                if (used[t * candidates + l]) {
                    perCluster[cy * w + cx]++;
                }
            }
        }
        this.contributionsPerCluster = Math.max(1, Arrays.stream(perCluster).max().orElse(1));
        this.gatherIndex = new long[m * contributionsPerCluster];
        Arrays.fill(gatherIndex, candidates - 1L);
        int[] filled = new int[m];
        for (int pos = 0; pos < tiles * candidates; pos++) {
            if (used[pos]) {
                int j = (int) candidateIndex[pos];
                gatherIndex[j * contributionsPerCluster + filled[j]++] = pos;
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

    /**
     * The (B, M, T·L) 0/1 matrix that adds window slots into clusters: entry (b, j, t·L + l) is 1 where tile t's
     * slot l holds cluster j for some token of the tile (the non-padding entries of {@code gatherIndex}). A k-means
     * step multiplies it, as a sparse COO tensor, with the (B, T·L, C) slot sums: a scatter-add of about 3·M rows
     * instead of a gather of M·K rows and a sum over K (DJL 0.36 exposes no scatter-add). Built once per device and
     * batch size, coalesced (a (B, M, T·L) dense pass, ~1 ms at ViT-B sizes, that an uncoalesced tensor would repeat
     * on every product), and kept with the table in its own manager, like the index arrays are kept in Java.
     */
    NDArray slotsToClusters(Device device, long batch) {
        return slotsToClusters.computeIfAbsent(new SumsKey(device, batch), k -> buildSlotsToClusters(k));
    }

    private NDArray buildSlotsToClusters(SumsKey key) {
        int m = clusterCount();
        int k = contributionsPerCluster;
        int used = 0;
        for (long pos : gatherIndex) {
            if (pos != candidates - 1) {
                used++;
            }
        }
        long[][] index = new long[3][(int) (used * key.batch())];
        int e = 0;
        for (int b = 0; b < key.batch(); b++) {
            for (int j = 0; j < m; j++) {
                for (int q = 0; q < k; q++) {
                    long pos = gatherIndex[j * k + q];
                    if (pos != candidates - 1) {
                        index[0][e] = b;
                        index[1][e] = j;
                        index[2][e] = pos;
                        e++;
                    }
                }
            }
        }
        float[] ones = new float[e];
        Arrays.fill(ones, 1f);
        NDManager owner = NDManager.newBaseManager(key.device());
        try (NDManager tmp = owner.newSubManager()) {
            NDArray coo = tmp.createCoo(FloatBuffer.wrap(ones), index,
                    new Shape(key.batch(), m, (long) tiles * candidates));
            NDArray coalesced = coo.toDense().toSparse(SparseFormat.COO);
            coalesced.attach(owner);
            // built during some call's NDScope, which would otherwise close it when that call ends
            NDScope.unregister(coalesced);
            return coalesced;
        }
    }
}
