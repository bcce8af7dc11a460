package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.token.Restoration;

/**
 * The restoration an {@code expedit-cluster} step leaves in the token state: naive unpooling by hard labels until an
 * {@code expedit-reconstruct} step replaces it with the weighted reconstruction. It keeps the clustering (Z, S,
 * labels) so that replacement needs nothing else from the forward pass.
 */
public final class ExpeditRestoration implements Restoration {

    private final ClusteringResult clusters;
    /** The weighted mapping, or {@code null} for naive unpooling (built on use: its hard labels cost an argmin). */
    private final Restoration mapping;
    private final String mode;

    private ExpeditRestoration(ClusteringResult clusters, Restoration mapping, String mode) {
        this.clusters = clusters;
        this.mapping = mapping;
        this.mode = mode;
    }

    /**
     * The restoration right after clustering: naive unpooling by hard labels, built when used (an
     * {@code expedit-reconstruct} step usually replaces it before that).
     */
    public static ExpeditRestoration naive(ClusteringResult clusters) {
        return new ExpeditRestoration(clusters, null, "naive");
    }

    /** The same clustering restored with naive unpooling. */
    public ExpeditRestoration withNaive() {
        return naive(clusters);
    }

    /** The same clustering restored with the weighted reconstruction (weights computed now). */
    public ExpeditRestoration withWeighted(int k, float temperature, ReconstructionNorm norm) {
        return new ExpeditRestoration(clusters, clusters.reconstruction(k, temperature, norm),
                "weighted(k=" + (k == ExpeditReconstruction.ALL ? "all" : Integer.toString(k)) + ", t=" + temperature
                        + ", " + norm + ")");
    }

    /** The clustering this restoration undoes. */
    public ClusteringResult clusters() {
        return clusters;
    }

    /** The mapping in use: {@link NaiveUnpooling}, {@link ExpeditReconstruction} or its windowed form. */
    public Restoration mapping() {
        // not cached: built inside some caller's NDScope, its arrays would not outlive that scope
        return mapping != null ? mapping : clusters.naiveUnpooling();
    }

    /** "naive" or a description of the weighted reconstruction, for records. */
    public String mode() {
        return mode;
    }

    @Override
    public int reducedTokens() {
        return clusters.mergedGrid().cells();
    }

    @Override
    public int originalTokens() {
        return clusters.originalTokens();
    }

    @Override
    public NDArray restore(NDArray aligned) {
        checkAligned(aligned);
        return mapping().restore(aligned);
    }

    @Override
    public String toString() {
        return "expedit " + clusters.mergedGrid() + " -> " + originalTokens() + " tokens, " + mode;
    }
}
