package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.token.Restoration;

/**
 * The outcome of one Expedit clustering: the tokens that entered it (Z), the centres (S), hard labels and grids —
 * everything a later reconstruction needs. Arrays belong to the caller's NDManager and must stay open until the
 * last reconstruction of the forward pass.
 *
 * <p>For the windowed variant the clustering unit is one attention window: {@link #tokens()},
 * {@link #centres()} and {@link #hardLabels()} are per window (B·windows first), while {@link #mergedTokens()},
 * {@link #mergedGrid()} and {@link #mergedHardLabels()} describe the stitched result on the whole image.
 */
public final class ClusteringResult {

    private final NDArray tokens;
    private final NDArray centres;
    /** Computed from the distances on first request: an argmin over (B, N, M) a weighted reconstruction never needs. */
    private NDArray hardLabels;
    private final NDArray distances;
    private final GridSize grid;
    private final GridSize clusters;
    private final float temperature;
    private final WindowPartition partition;
    private final long batchSize;

    ClusteringResult(NDArray tokens, NDArray centres, NDArray distances, GridSize grid, GridSize clusters,
            float temperature, WindowPartition partition, long batchSize) {
        this.tokens = tokens;
        this.centres = centres;
        this.distances = distances;
        this.grid = grid;
        this.clusters = clusters;
        this.temperature = temperature;
        this.partition = partition;
        this.batchSize = batchSize;
    }

    /** Z: (B, N, C) float32 tokens that entered clustering (per window: (B·windows, ws², C), zero-padded). */
    public NDArray tokens() {
        return tokens;
    }

    /** S: (B, M, C) float32 cluster centres (per window: (B·windows, h·w, C)). */
    public NDArray centres() {
        return centres;
    }

    /**
     * (B, N, M) float32 squared distances ‖Z_i‖² + ‖S_m‖² − 2⟨Z_i, S_m⟩ to the final centres (per window), computed
     * once for the hard labels and reused by every weighted reconstruction.
     */
    public NDArray distances() {
        return distances;
    }

    /**
     * (B, N) int64 hard labels: argmin over all clusters of the distance to the final centres (per window), lowest
     * index on ties. Computed on the first call, in the distances' manager.
     */
    public synchronized NDArray hardLabels() {
        if (hardLabels == null) {
            hardLabels = distances.argMin(2);
            // asked for inside some later NDScope, which would otherwise close the cached array when it ends
            NDScope.unregister(hardLabels);
        }
        return hardLabels;
    }

    /** The grid of the clustering unit: the token grid, or one attention window. */
    public GridSize grid() {
        return grid;
    }

    /** The cluster grid of the clustering unit. */
    public GridSize clusters() {
        return clusters;
    }

    /** The clustering temperature t (default for the reconstruction). */
    public float temperature() {
        return temperature;
    }

    /** Images in the batch. */
    public long batchSize() {
        return batchSize;
    }

    /** Whether this is the windowed variant. */
    public boolean isWindowed() {
        return partition != null;
    }

    /** The window layout, or {@code null} for a global clustering. */
    public WindowPartition partition() {
        return partition;
    }

    /** Clusters per clustering unit (the largest valid k of a reconstruction). */
    public int clustersPerUnit() {
        return clusters.cells();
    }

    /** The grid of the merged tokens that replace the patch tokens. */
    public GridSize mergedGrid() {
        return partition == null ? clusters : partition.mergedGrid();
    }

    /** The merged tokens that replace the patch tokens: (B, mergedGrid cells, C). */
    public NDArray mergedTokens() {
        return partition == null ? centres : partition.stitch(centres);
    }

    /** Number of patch tokens before clustering (the original grid, without window padding). */
    public int originalTokens() {
        return partition == null ? grid.cells() : partition.grid().cells();
    }

    /** Hard labels of the original tokens into the merged tokens, (B, N) int64. */
    public NDArray mergedHardLabels() {
        return partition == null ? hardLabels() : partition.globalLabels(hardLabels());
    }

    /** Naive unpooling: every token takes its hard-label cluster's value. */
    public Restoration naiveUnpooling() {
        return new NaiveUnpooling(mergedHardLabels(), mergedGrid().cells());
    }

    /** Weighted reconstruction with the clustering temperature and L2 norm, keeping {@code k} clusters per token. */
    public Restoration reconstruction(int k) {
        return reconstruction(k, temperature, ReconstructionNorm.L2);
    }

    /**
     * Weighted reconstruction; weights are computed now, once, and reused by every {@code restore} call.
     *
     * @param k clusters kept per token, 1 ≤ k ≤ {@link #clustersPerUnit()}, or {@link ExpeditReconstruction#ALL}
     * @param temperature multiplier t_r of the squared distance, &gt; 0
     * @param norm row normalisation
     */
    public Restoration reconstruction(int k, float temperature, ReconstructionNorm norm) {
        ExpeditReconstruction r = ExpeditReconstruction.builder().setTokens(tokens).setCentres(centres)
                .setTemperature(temperature).optTopK(k).optNorm(norm).withDistances(distances).build();
        return partition == null ? r : new WindowedReconstruction(partition, r);
    }
}
