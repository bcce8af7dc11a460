package dev.tokenreduce.vit.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.vit.config.PositionResampling;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.weights.VitWeights;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The learned position table split into the input-independent prefix part and the patch grid part, with the grid
 * resampled (bicubic, {@code align_corners=False}) for every other patch grid and cached per grid size.
 *
 * <p>Prefix tokens never depend on the image, so {@link #prefixTokens()} holds them with their position rows
 * already added (the same float sums timm computes per forward).
 */
final class PositionEmbedding {

    /** Grid sizes whose resampled table is kept; further sizes are resampled per call (bounded memory). */
    static final int MAX_CACHED_GRIDS = 16;

    private final NDManager manager;
    private final NDArray prefixTokens;
    private final NDArray baseGrid;
    private final NDArray baseGrid3d;
    private final GridSize base;
    private final PositionResampling mode;
    private final long channels;
    private final Map<GridSize, NDArray> cache = new ConcurrentHashMap<>();

    PositionEmbedding(VitConfig config, VitWeights weights, NDManager manager) {
        this.manager = manager;
        this.base = config.positionGrid();
        this.mode = config.positionResampling();
        this.channels = config.embedDim();
        int rows = config.positionPrefixRows();
        NDArray positions = weights.positions();
        if (weights.prefixTokens() == null) {
            prefixTokens = null;
        } else if (rows == 0) {
            prefixTokens = weights.prefixTokens();
        } else {
            NDArray positioned = weights.prefixTokens().get(new NDIndex(":, :{}", rows))
                    .add(positions.get(new NDIndex(":, :{}", rows)));
            long prefix = weights.prefixTokens().getShape().get(1);
            NDArray unpositioned = weights.prefixTokens().get(new NDIndex(":, {}:", rows));
            prefixTokens = rows == prefix ? positioned : NDArrays.concat(new NDList(positioned, unpositioned), 1);
        }
        baseGrid = positions.get(new NDIndex(":, {}:", rows));
        baseGrid3d = baseGrid.reshape(base.height(), base.width(), channels);
    }

    /** (1, prefix, C) prefix tokens plus their position rows, or {@code null} without prefix tokens. Model-owned. */
    NDArray prefixTokens() {
        return prefixTokens;
    }

    /**
     * The (1, h·w, C) position rows of a patch grid. Model-owned when cached: callers must not close it.
     *
     * @param scope where an uncached table is put when the cache is full
     */
    NDArray grid(GridSize grid, NDManager scope) {
        if (grid.equals(base)) {
            return baseGrid;
        }
        NDArray cached = cache.get(grid);
        if (cached != null) {
            return cached;
        }
        if (cache.size() >= MAX_CACHED_GRIDS) {
            return Scopes.own(resample(grid), scope);
        }
        return cache.computeIfAbsent(grid, g -> Scopes.own(resample(g), manager));
    }

    /** Separable resample: along the width, then along the height (as torch's antialiased kernel does). */
    private NDArray resample(GridSize grid) {
        try (NDManager tmp = manager.newSubManager()) {
            int oh = base.height();
            int ow = base.width();
            int nh = grid.height();
            int nw = grid.width();
            NDArray wx = tmp.create(BicubicWeights.matrix(ow, nw, mode), new Shape(nw, ow));
            NDArray wy = tmp.create(BicubicWeights.matrix(oh, nh, mode), new Shape(nh, oh));
            NDArray rows = wx.matMul(baseGrid3d);                         // (oh, nw, C)
            NDArray cols = wy.matMul(rows.transpose(1, 0, 2));            // (nw, nh, C)
            NDArray out = cols.transpose(1, 0, 2).reshape(1, (long) nh * nw, channels);
            out.detach();
            return out;
        }
    }
}
