package dev.tokenreduce.clustering.pool;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adaptive average pooling of a row-major token grid to a smaller (or larger) grid, with PyTorch's bin rule, and
 * the nearest-neighbour cell of every token (the inverse map used for upsampling and as Expedit's initial labels).
 *
 * <p>Bins: output row {@code i} of {@code out} averages input rows {@code [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)}; bins
 * overlap when {@code in} is not a multiple of {@code out} and repeat rows when {@code out > in}. The nearest cell of
 * input row {@code y} is {@code min(⌊y·out/in⌋, out−1)} — a different partition from the bins when the sizes do not
 * divide, exactly as {@code interpolate(mode="nearest")} of a label map.
 *
 * <p>Pooling is two small matrix products (rows, then columns) with 0/1 bin matrices and one division by the bin
 * area; the bin matrices are cached per (grid, cells) as plain Java arrays.
 */
public final class AdaptivePooling {

    private static final Map<Key, BinTables> CACHE = new ConcurrentHashMap<>();

    private AdaptivePooling() {}

    private record Key(GridSize grid, GridSize cells) {}

    /** 0/1 bin membership (cells.height × grid.height, cells.width × grid.width) and bin areas (cells). */
    private record BinTables(float[] rowBins, float[] colBins, float[] area, long[] nearest) {}

    /** First input index of output bin {@code i}: ⌊i·in/out⌋. */
    public static int binStart(int i, int in, int out) {
        return (int) Math.floorDiv((long) i * in, out);
    }

    /** One past the last input index of output bin {@code i}: ⌈(i+1)·in/out⌉. */
    public static int binEnd(int i, int in, int out) {
        return (int) -Math.floorDiv(-(long) (i + 1) * in, out);
    }

    /** The output cell nearest to input index {@code y}: min(⌊y·out/in⌋, out−1) (integer arithmetic, exact). */
    public static int nearestCell(int y, int in, int out) {
        return (int) Math.min((long) y * out / in, out - 1);
    }

    /**
     * For each token of {@code grid} (row-major), the index of its nearest cell of {@code cells}
     * ({@code ℓy·cells.width + ℓx}). Cached; do not modify the returned array.
     */
    public static long[] nearestLabels(GridSize grid, GridSize cells) {
        return tables(grid, cells).nearest();
    }

    /** The nearest-cell labels as a (B, N) int64 array. */
    public static NDArray nearestLabels(NDManager manager, GridSize grid, GridSize cells, long batch) {
        NDArray labels = manager.create(nearestLabels(grid, cells), new Shape(1, grid.cells()));
        return batch == 1 ? labels : labels.repeat(0, batch);
    }

    /**
     * Adaptive average pooling.
     *
     * @param tokens (B, N, C) tokens, row-major over {@code grid}
     * @param grid the token grid (N = height·width)
     * @param cells the output grid
     * @return (B, cells.height·cells.width, C) float32, cell j = jy·cells.width + jx
     */
    public static NDArray pool(NDArray tokens, GridSize grid, GridSize cells) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 3 || shape.get(1) != grid.cells()) {
            throw new InvalidInputException("adaptive pooling: tokens must be (B, " + grid.cells() + ", C) for grid "
                    + grid + ", got " + shape);
        }
        long b = shape.get(0);
        long c = shape.get(2);
        int h = cells.height();
        int w = cells.width();
        BinTables t = tables(grid, cells);
        NDManager manager = tokens.getManager();
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray z = tokens.getDataType() == DataType.FLOAT32 ? tokens : tokens.toType(DataType.FLOAT32, false);
            NDArray rows = manager.create(t.rowBins(), new Shape(h, grid.height()));
            NDArray cols = manager.create(t.colBins(), new Shape(w, grid.width()));
            // Sum the rows of each row bin: (h, H) x (B, H, W·C) -> (B, h, W·C).
            NDArray rowSums = rows.matMul(z.reshape(b, grid.height(), (long) grid.width() * c));
            // Then the columns of each column bin: (w, W) x (B·h, W, C) -> (B·h, w, C).
            NDArray sums = cols.matMul(rowSums.reshape(b * h, grid.width(), c));
            NDArray area = manager.create(t.area(), new Shape(1, (long) h * w, 1));
            result = sums.reshape(b, (long) h * w, c).divi(area);
            NDScope.unregister(result);
        }
        return result;
    }

    private static BinTables tables(GridSize grid, GridSize cells) {
        return CACHE.computeIfAbsent(new Key(grid, cells), k -> build(k.grid(), k.cells()));
    }

    private static BinTables build(GridSize grid, GridSize cells) {
        int bigH = grid.height();
        int bigW = grid.width();
        int h = cells.height();
        int w = cells.width();
        float[] rowBins = binMatrix(h, bigH);
        float[] colBins = binMatrix(w, bigW);
        float[] area = new float[h * w];
        for (int i = 0; i < h; i++) {
            int rowsIn = binEnd(i, bigH, h) - binStart(i, bigH, h);
            for (int j = 0; j < w; j++) {
                area[i * w + j] = (float) rowsIn * (binEnd(j, bigW, w) - binStart(j, bigW, w));
            }
        }
        long[] nearest = new long[bigH * bigW];
        for (int y = 0; y < bigH; y++) {
            int ly = nearestCell(y, bigH, h);
            for (int x = 0; x < bigW; x++) {
                nearest[y * bigW + x] = (long) ly * w + nearestCell(x, bigW, w);
            }
        }
        return new BinTables(rowBins, colBins, area, nearest);
    }

    private static float[] binMatrix(int out, int in) {
        float[] m = new float[out * in];
        for (int i = 0; i < out; i++) {
            for (int y = binStart(i, in, out); y < binEnd(i, in, out); y++) {
                m[i * in + y] = 1f;
            }
        }
        return m;
    }
}
