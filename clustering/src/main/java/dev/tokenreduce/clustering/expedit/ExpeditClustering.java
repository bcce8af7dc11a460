package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.clustering.pool.AdaptivePooling;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;

/**
 * Expedit token clustering (Liang et al., NeurIPS 2022): patch tokens on an H×W grid become h×w cluster centres by
 * a few iterations of soft k-means in which each token may only join the λ×λ clusters around its initial cell.
 *
 * <p>Algorithm (float32 throughout): centres start as the adaptive average pooling of the grid; each token's
 * initial cell is its nearest cell; then κ times, for every allowed (token i, cluster j) pair,
 * {@code D = ‖S_j‖² + ‖Z_i‖² − 2⟨S_j, Z_i⟩}, {@code Q_·i = softmax_j(−t·D)} over the allowed clusters and
 * {@code S_j = Σ_i Q_ji Z_i / max(Σ_i Q_ji, 1e−16)}. Hard labels are the argmin over <em>all</em> clusters of the
 * distance to the final centres (lowest index on ties).
 *
 * <p>The temperature {@code t} multiplies a <em>squared</em> distance (weights are exp(−t·‖z − s‖²); the paper's τ
 * is 1/t), so a good value depends on the feature scale: the official Segmenter ViT-L/16 config uses 0.02, SAM
 * ViT-H 0.01. It has no default.
 *
 * <p>Cost: distances and updates are computed only for the clusters near each token's initial cell — the window of
 * its 4×4 tile of clusters, O(κ·N·(4 + λ − 1)²·C) — not for all M×N pairs as the official code does, in about
 * twenty native calls per iteration; results are the same up to float rounding. Large batches are processed in
 * chunks so temporaries stay bounded (16 MB).
 *
 * <pre>{@code
 * ExpeditClustering clustering = ExpeditClustering.builder()
 *         .setClusters(28, 28).setTemperature(0.02f)   // required
 *         .optIterations(5).optWindow(5)               // optional, paper defaults
 *         .build();
 * ClusteringResult result = clustering.cluster(patchTokens, new GridSize(40, 40));
 * NDArray full = result.reconstruction(20).restore(clusterAlignedLogits);
 * }</pre>
 *
 * Instances are immutable and thread-safe.
 */
public final class ExpeditClustering {

    /** Operator id used in error messages. */
    static final String WHO = "expedit-cluster";

    /**
     * Upper bound, in floats, for the largest temporary of an iteration over one batch chunk (16 MB; one ViT-L/16
     * 640² image with 28×28 clusters needs 3.2 M floats): larger batches are clustered in chunks.
     */
    private static final long CHUNK_BUDGET = 1L << 22;

    /** Side of the square tiles of clusters whose windows are processed together (see {@link TileTable}). */
    static final int TILE = 4;

    private final GridSize clusters;
    private final float temperature;
    private final int iterations;
    private final int window;
    private final int windowed;
    private final long chunkBudget;
    private final int tile;

    private ExpeditClustering(Builder b) {
        this.clusters = b.clusters;
        this.temperature = b.temperature;
        this.iterations = b.iterations;
        this.window = b.window;
        this.windowed = b.windowed;
        this.chunkBudget = CHUNK_BUDGET;
        this.tile = TILE;
    }

    private ExpeditClustering(ExpeditClustering other, long chunkBudget, int tile) {
        this.clusters = other.clusters;
        this.temperature = other.temperature;
        this.iterations = other.iterations;
        this.window = other.window;
        this.windowed = other.windowed;
        this.chunkBudget = chunkBudget;
        this.tile = tile;
    }

    /** The same clustering with another chunk budget (tests exercise the chunked path on small inputs). */
    ExpeditClustering withChunkBudget(long floats) {
        return new ExpeditClustering(this, floats, tile);
    }

    /** The same clustering with another tile side (results agree up to float rounding; for tests and tuning). */
    ExpeditClustering withTile(int side) {
        if (side < 1) {
            throw new IllegalArgumentException("tile side must be >= 1, got " + side);
        }
        return new ExpeditClustering(this, chunkBudget, side);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster grid (per attention window when windowed). */
    public GridSize clusters() {
        return clusters;
    }

    /** The multiplier t of the squared distance in exp(−t·d²). */
    public float temperature() {
        return temperature;
    }

    /** κ, the number of soft k-means iterations. */
    public int iterations() {
        return iterations;
    }

    /** λ, the side of the neighbourhood of clusters a token may join (odd). */
    public int window() {
        return window;
    }

    /** The attention-window size for the windowed (SAM/Swin) variant, or 0 for a global clustering. */
    public int windowed() {
        return windowed;
    }

    /**
     * Clusters patch tokens.
     *
     * @param tokens (B, N, C) patch tokens only (no prefix tokens), row-major over {@code grid}
     * @param grid the token grid, N = height·width
     * @return centres, hard labels and everything a later reconstruction needs
     * @throws InvalidInputException for a shape that does not match the grid, or NaN/Inf tokens
     */
    public ClusteringResult cluster(NDArray tokens, GridSize grid) {
        return cluster(tokens, grid, true);
    }

    /** As {@link #cluster(NDArray, GridSize)}; the operator skips the NaN/Inf scan its base class already did. */
    ClusteringResult cluster(NDArray tokens, GridSize grid, boolean checkFinite) {
        Inputs.requireRank(tokens, 3, WHO, "tokens");
        if (tokens.getShape().get(1) != grid.cells()) {
            throw new InvalidInputException(WHO + ": tokens have " + tokens.getShape().get(1)
                    + " positions but the grid " + grid + " holds " + grid.cells() + " (N = H·W must match)");
        }
        if (tokens.getShape().get(0) < 1 || tokens.getShape().get(2) < 1) {
            throw new InvalidInputException(WHO + ": tokens must have a batch and a channel axis, got "
                    + tokens.getShape());
        }
        if (checkFinite) {
            Inputs.requireFinite(tokens, WHO, "tokens");
        }
        NDArray z = tokens.getDataType() == DataType.FLOAT32 ? tokens : tokens.toType(DataType.FLOAT32, false);
        if (windowed > 0) {
            WindowPartition partition = new WindowPartition(grid, windowed, clusters);
            NDArray perWindow = partition.partition(z);
            Clustered c = clusterUnits(perWindow, partition.windowGrid());
            return new ClusteringResult(perWindow, c.centres, c.distances, partition.windowGrid(), clusters,
                    temperature, partition, tokens.getShape().get(0));
        }
        Clustered c = clusterUnits(z, grid);
        return new ClusteringResult(z, c.centres, c.distances, grid, clusters, temperature, null,
                tokens.getShape().get(0));
    }

    private record Clustered(NDArray centres, NDArray distances) {}

    /**
     * Clusters every batch entry independently. Batches are split so that the window sums of every image in a
     * chunk fit the chunk budget (see {@link TiledKMeans}).
     */
    private Clustered clusterUnits(NDArray z, GridSize grid) {
        TileTable table = TileTable.of(grid, clusters, window / 2, tile);
        long b = z.getShape().get(0);
        long c = z.getShape().get(2);
        long perEntry = (long) table.tiles * table.candidates * c;
        long chunk = Math.max(1, chunkBudget / Math.max(1, perEntry));
        if (b <= chunk) {
            return clusterChunk(z, grid, table);
        }
        NDList centres = new NDList();
        NDList distances = new NDList();
        for (long from = 0; from < b; from += chunk) {
            long to = Math.min(b, from + chunk);
            Clustered part = clusterChunk(z.get(new NDIndex("{}:{}", from, to)), grid, table);
            centres.add(part.centres);
            distances.add(part.distances);
        }
        return new Clustered(concat(centres), concat(distances));
    }

    private static NDArray concat(NDList parts) {
        return NDArrays.concat(parts, 0);
    }

    private Clustered clusterChunk(NDArray z, GridSize grid, TileTable table) {
        NDArray s;
        NDArray distances;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            s = AdaptivePooling.pool(z, grid, clusters);
            NDScope.register(s);
            if (iterations > 0) {
                TiledKMeans kmeans = new TiledKMeans(z, table, temperature);
                for (int it = 0; it < iterations; it++) {
                    s = kmeans.step(s);
                    NDScope.register(s);
                }
            }
            // The full (B, N, M) distances give the hard labels (when asked for) and the reconstruction weights.
            distances = squaredDistances(z, s);
            NDScope.unregister(s, distances);
        }
        return new Clustered(s, distances);
    }

    /** (B, N, M) = ‖Z_i‖² + ‖S_m‖² − 2⟨Z_i, S_m⟩ (may be slightly negative from rounding). */
    static NDArray squaredDistances(NDArray z, NDArray s) {
        NDArray zNorm = z.square().sum(new int[] {2}, true);
        NDArray sNorm = s.square().sum(new int[] {2}).expandDims(1);
        // −2 scales the (M, C) centres, not the (N, M) product (exact: a power of two), and the norms are added in
        // place: one (N, M) array written instead of four.
        return z.matMul(s.mul(-2f).transpose(0, 2, 1)).addi(zNorm).addi(sNorm);
    }

    /** Builder in DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private GridSize clusters;
        private float temperature = Float.NaN;
        private int iterations = 5;
        private int window = 5;
        private int windowed;

        private Builder() {}

        /** Required: the cluster grid h×w (per attention window when windowed); h > H and w > W are allowed. */
        public Builder setClusters(int height, int width) {
            return setClusters(new GridSize(height, width));
        }

        /** Required: the cluster grid. */
        public Builder setClusters(GridSize clusters) {
            this.clusters = clusters;
            return this;
        }

        /**
         * Required: the multiplier t in exp(−t·squared distance), finite and &gt; 0. It multiplies a squared
         * distance, so it depends on the feature scale (official configs: 0.02 for Segmenter ViT-L, 0.01 for SAM).
         */
        public Builder setTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /** κ ≥ 0 soft k-means iterations; default 5. κ = 0 gives adaptive average pooling. */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** λ, odd and ≥ 1: a token may join the λ×λ clusters around its initial cell; default 5. */
        public Builder optWindow(int window) {
            this.window = window;
            return this;
        }

        /**
         * Windowed variant (SAM, Swin): pad the grid with zeros to a multiple of {@code windowSize}, cluster each
         * window independently to the cluster grid, and stitch the windows. 0 (the default) clusters globally.
         */
        public Builder optWindowed(int windowSize) {
            this.windowed = windowSize;
            return this;
        }

        /**
         * @throws InvalidInputException naming the field when a value is missing or out of range
         */
        public ExpeditClustering build() {
            if (clusters == null) {
                throw new InvalidInputException(WHO + ", field 'clusters': missing (required), e.g. 28x28");
            }
            if (Float.isNaN(temperature) || Float.isInfinite(temperature) || temperature <= 0) {
                throw new InvalidInputException(WHO + ", field 'temperature': must be finite and > 0 (the multiplier t"
                        + " of the squared distance in exp(-t*d^2)), got " + temperature);
            }
            if (iterations < 0) {
                throw new InvalidInputException(WHO + ", field 'iterations': must be >= 0, got " + iterations);
            }
            if (window < 1 || window % 2 == 0) {
                throw new InvalidInputException(WHO + ", field 'window': must be odd and >= 1 (a token joins the"
                        + " window x window clusters around its initial cell), got " + window);
            }
            if (windowed < 0) {
                throw new InvalidInputException(WHO + ", field 'windowed': must be >= 1 (an attention-window size),"
                        + " got " + windowed);
            }
            return new ExpeditClustering(this);
        }
    }
}
