package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;

/**
 * The window layout of the windowed Expedit variant (SAM, Swin): an H×W token grid padded with zeros to a multiple
 * of the attention window {@code ws}, cut into rows × cols windows of ws×ws tokens, each clustered to h×w, and the
 * per-window clusters stitched into a (rows·h)×(cols·w) grid.
 *
 * <p>Windows are batch entries in the order {@code b·windows + wy·cols + wx}, so the plain clustering runs on all
 * windows of all images at once.
 */
public final class WindowPartition {

    private final GridSize grid;
    private final int window;
    private final GridSize clusters;
    private final int rows;
    private final int cols;

    /**
     * @param grid the token grid before padding
     * @param window the attention-window size ws (≥ 1)
     * @param clusters the cluster grid of each window
     */
    public WindowPartition(GridSize grid, int window, GridSize clusters) {
        if (window < 1) {
            throw new InvalidInputException(ExpeditClustering.WHO + ", field 'windowed': must be >= 1, got " + window);
        }
        this.grid = grid;
        this.window = window;
        this.clusters = clusters;
        this.rows = (grid.height() + window - 1) / window;
        this.cols = (grid.width() + window - 1) / window;
    }

    /** The token grid before padding. */
    public GridSize grid() {
        return grid;
    }

    /** The attention-window size. */
    public int window() {
        return window;
    }

    /** The grid of one window, ws×ws. */
    public GridSize windowGrid() {
        return GridSize.square(window);
    }

    /** The cluster grid of one window. */
    public GridSize clusters() {
        return clusters;
    }

    /** Windows per image. */
    public int windows() {
        return rows * cols;
    }

    /** The stitched cluster grid, (rows·h)×(cols·w). */
    public GridSize mergedGrid() {
        return new GridSize(rows * clusters.height(), cols * clusters.width());
    }

    /** (B, H·W, C) tokens → (B·windows, ws·ws, C), zero-padded at the bottom and right. */
    public NDArray partition(NDArray tokens) {
        long b = tokens.getShape().get(0);
        long c = tokens.getShape().get(2);
        NDManager manager = tokens.getManager();
        NDArray map = tokens.reshape(b, grid.height(), grid.width(), c);
        int padH = rows * window - grid.height();
        int padW = cols * window - grid.width();
        if (padH > 0) {
            map = map.concat(manager.zeros(new Shape(b, padH, grid.width(), c), map.getDataType()), 1);
        }
        if (padW > 0) {
            map = map.concat(manager.zeros(new Shape(b, (long) rows * window, padW, c), map.getDataType()), 2);
        }
        return toWindows(map, window, window);
    }

    /** (B·windows, h·w, C) per-window clusters → (B, rows·h·cols·w, C) on the stitched grid. */
    public NDArray stitch(NDArray perWindow) {
        return fromWindows(perWindow, clusters.height(), clusters.width())
                .reshape(batchOf(perWindow), (long) mergedGrid().cells(), perWindow.getShape().get(2));
    }

    /** Inverse of {@link #stitch}: (B, rows·h·cols·w, C') → (B·windows, h·w, C'). */
    public NDArray unstitch(NDArray merged) {
        Shape s = merged.getShape();
        if (s.dimension() != 3 || s.get(1) != mergedGrid().cells()) {
            throw new InvalidInputException(ExpeditClustering.WHO + ": expected (B, " + mergedGrid().cells()
                    + ", C) aligned with the stitched " + mergedGrid() + " clusters, got " + s);
        }
        NDArray map = merged.reshape(s.get(0), mergedGrid().height(), mergedGrid().width(), s.get(2));
        return toWindows(map, clusters.height(), clusters.width());
    }

    /** (B·windows, ws·ws, C') per-window tokens → (B, H·W, C'): stitched, padding cropped. */
    public NDArray merge(NDArray perWindowTokens) {
        long b = batchOf(perWindowTokens);
        long c = perWindowTokens.getShape().get(2);
        NDArray map = fromWindows(perWindowTokens, window, window);
        if (rows * window != grid.height() || cols * window != grid.width()) {
            map = map.get(new NDIndex(":, :{}, :{}", grid.height(), grid.width()));
        }
        return map.reshape(b, grid.cells(), c);
    }

    /**
     * Per-window cluster labels (B·windows, ws·ws) → labels on the stitched grid for the original tokens (B, H·W)
     * int64: window (wy, wx), local cluster (ly, lx) ↦ (wy·h + ly)·(cols·w) + wx·w + lx.
     */
    public NDArray globalLabels(NDArray localLabels) {
        int h = clusters.height();
        int w = clusters.width();
        int m = h * w;
        long[] table = new long[windows() * m];
        for (int wy = 0; wy < rows; wy++) {
            for (int wx = 0; wx < cols; wx++) {
                for (int ly = 0; ly < h; ly++) {
                    for (int lx = 0; lx < w; lx++) {
                        table[(wy * cols + wx) * m + ly * w + lx] = (long) (wy * h + ly) * (cols * w) + wx * w + lx;
                    }
                }
            }
        }
        long b = batchOf(localLabels);
        NDArray lookup = localLabels.getManager().create(table, new Shape(1, windows(), m))
                .broadcast(b, windows(), m).reshape(b * windows(), m);
        NDArray global = lookup.gather(localLabels, 1);
        return merge(global.expandDims(2)).squeeze(2);
    }

    private long batchOf(NDArray perWindow) {
        long n = perWindow.getShape().get(0);
        if (n % windows() != 0) {
            throw new InvalidInputException(ExpeditClustering.WHO + ": " + n + " window entries is not a multiple of "
                    + windows() + " windows per image");
        }
        return n / windows();
    }

    /** (B, rows·a, cols·b, C) map → (B·windows, a·b, C). */
    private NDArray toWindows(NDArray map, int a, int bSide) {
        long b = map.getShape().get(0);
        long c = map.getShape().get(3);
        return map.reshape(b, rows, a, cols, bSide, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(b * windows(), (long) a * bSide, c);
    }

    /** (B·windows, a·b, C) → (B, rows·a, cols·b, C) map. */
    private NDArray fromWindows(NDArray perWindow, int a, int bSide) {
        long b = batchOf(perWindow);
        long c = perWindow.getShape().get(2);
        return perWindow.reshape(b, rows, cols, a, bSide, c).transpose(0, 1, 3, 2, 4, 5)
                .reshape(b, (long) rows * a, (long) cols * bSide, c);
    }
}
