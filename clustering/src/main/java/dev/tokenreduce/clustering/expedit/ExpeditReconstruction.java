package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.token.Restoration;

/**
 * Expedit's token reconstruction: maps a tensor aligned with the M cluster centres back to the N tokens that
 * entered clustering, with weights computed once from those tokens Z and the centres S.
 *
 * <p>Weights (float32): {@code D_im = ‖Z_i‖² + ‖S_m‖² − 2⟨Z_i, S_m⟩} clamped at 0;
 * {@code W_im = exp(−t·(D_im − min_m D_im))} (the per-row shift is a positive factor that cancels in the
 * normalisation and keeps rows from underflowing to all zeros); entries below the k-th largest of their row are
 * zeroed (ties at the threshold keep more than k, so a constant input keeps all M); each row is divided by its L2
 * norm (the official choice; weights then do not sum to 1) or, optionally, its sum. {@code apply(X)} is then
 * {@code W·X}: (B, M, C') → (B, N, C') for any number of tensors. On CPU, when k is small against M (the official
 * top-20 of hundreds of clusters), the weights are computed row by row on the host straight into a sparse matrix
 * ({@link HostTopKWeights}) and applied by a sparse product; otherwise they are computed and applied dense.
 *
 * <p>The temperature multiplies a squared distance, like the clustering's; all official configurations use the
 * clustering's value.
 */
public final class ExpeditReconstruction implements Restoration {

    /** {@code k} that keeps every cluster. */
    public static final int ALL = -1;

    /** The library's default k (official configurations). */
    public static final int DEFAULT_K = 20;

    static final String WHO = "expedit-reconstruct";

    /**
     * Densities up to which the weights are computed on the host and applied sparse on CPU: a top-k row keeps k of M
     * entries, and for small k/M computing them row by row ({@link HostTopKWeights}) and multiplying by a sparse COO
     * copy is several times faster than the dense path (ViT-B/16 512², 1024 tokens, 484 clusters, k = 20, C = 768:
     * the dense path's weights alone take 4.5 ms inside the forward, its product 3.5 ms; the sparse product 1.1 ms).
     * The dense product wins above roughly 12 %. On other devices the weights stay dense.
     */
    static final double SPARSE_DENSITY = 0.1;

    /** The (B, N, M) dense weights; built on first request when the weights were computed on the host. */
    private NDArray weights;
    /** Host-computed weights, or {@code null} on the dense path. */
    private final HostTopKWeights host;
    /** {@code host} as a (B·N, B·M) block-diagonal COO array, or {@code null} on the dense path. */
    private final NDArray sparseWeights;
    private final NDManager manager;
    private final long batch;
    private final long n;
    private final long m;
    private final int k;
    private final float temperature;
    private final ReconstructionNorm norm;

    private ExpeditReconstruction(NDArray weights, HostTopKWeights host, NDManager manager, Shape shape, int k,
            float temperature, ReconstructionNorm norm) {
        this.weights = weights;
        this.host = host;
        this.sparseWeights = host == null ? null : host.toSparse(manager);
        this.manager = manager;
        this.batch = shape.get(0);
        this.n = shape.get(1);
        this.m = shape.get(2);
        this.k = k;
        this.temperature = temperature;
        this.norm = norm;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The (B, N, M) float32 weights (built on the first call when they are held sparse). */
    public synchronized NDArray weights() {
        if (weights == null) {
            weights = host.toDense(manager);
            // asked for inside some later NDScope, which would otherwise close the cached array when it ends
            NDScope.unregister(weights);
        }
        return weights;
    }

    /** The k used ({@link #ALL} when every cluster is kept). */
    public int topK() {
        return k;
    }

    public float temperature() {
        return temperature;
    }

    public ReconstructionNorm norm() {
        return norm;
    }

    public long batchSize() {
        return batch;
    }

    @Override
    public int reducedTokens() {
        return (int) m;
    }

    @Override
    public int originalTokens() {
        return (int) n;
    }

    /** Whether the weights are held as a sparse matrix (CPU, k ≤ {@link #SPARSE_DENSITY}·M). */
    boolean isSparse() {
        return sparseWeights != null;
    }

    /**
     * Reconstructs {@code x}.
     *
     * @param x (B, M, C') aligned with the clusters, from the same forward pass
     * @return (B, N, C') float32
     * @throws InvalidInputException when the shape does not match the clustering this was built from
     */
    public NDArray apply(NDArray x) {
        checkAligned(x);
        if (x.getShape().get(0) != batchSize()) {
            throw new InvalidInputException(WHO + ": the tensor to reconstruct has batch " + x.getShape().get(0)
                    + " but the clustering had " + batchSize() + " (was it computed in the same forward pass?)");
        }
        NDArray xf = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        if (sparseWeights == null) {
            return weights.matMul(xf);
        }
        long channels = xf.getShape().get(2);
        return sparseWeights.matMul(xf.reshape(batch * m, channels)).reshape(batch, n, channels);
    }

    @Override
    public NDArray restore(NDArray aligned) {
        return apply(aligned);
    }

    /** Builder in DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private NDArray tokens;
        private NDArray centres;
        private float temperature = Float.NaN;
        private int k = DEFAULT_K;
        private ReconstructionNorm norm = ReconstructionNorm.L2;
        private NDArray distances;
        private double sparseDensity = SPARSE_DENSITY;

        private Builder() {}

        /** Largest k/M computed sparse on the host (tests force either path with 1 or 0); default SPARSE_DENSITY. */
        Builder withSparseDensity(double density) {
            this.sparseDensity = density;
            return this;
        }

        /** Distances the clustering already computed from exactly these tokens and centres (saves one product). */
        Builder withDistances(NDArray distances) {
            this.distances = distances;
            return this;
        }

        /** Required: Z, the (B, N, C) tokens that entered clustering. */
        public Builder setTokens(NDArray tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Required: S, the (B, M, C) cluster centres. */
        public Builder setCentres(NDArray centres) {
            this.centres = centres;
            return this;
        }

        /** Required: the multiplier t_r in exp(−t_r·squared distance), finite and &gt; 0. */
        public Builder setTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Keep the k largest weights of each row (1 ≤ k ≤ M; ties keep more), or {@link #ALL}; default 20. */
        public Builder optTopK(int k) {
            this.k = k;
            return this;
        }

        /** Keep every weight (k = M). */
        public Builder optKeepAll() {
            this.k = ALL;
            return this;
        }

        /** Row normalisation; default {@link ReconstructionNorm#L2}. */
        public Builder optNorm(ReconstructionNorm norm) {
            this.norm = norm;
            return this;
        }

        /**
         * Computes the weights.
         *
         * @throws InvalidInputException naming the field for missing or out-of-range values, mismatched shapes or
         *     NaN/Inf inputs
         */
        public ExpeditReconstruction build() {
            if (tokens == null || centres == null) {
                throw new InvalidInputException(WHO + ": needs the clustered tokens and the cluster centres");
            }
            Inputs.requireRank(tokens, 3, WHO, "tokens");
            Inputs.requireRank(centres, 3, WHO, "centres");
            Shape zs = tokens.getShape();
            Shape ss = centres.getShape();
            if (zs.get(0) != ss.get(0) || zs.get(2) != ss.get(2)) {
                throw new InvalidInputException(WHO + ": tokens " + zs + " and centres " + ss
                        + " must share batch and channels (were they computed in the same forward pass?)");
            }
            long m = ss.get(1);
            if (Float.isNaN(temperature) || Float.isInfinite(temperature) || temperature <= 0) {
                throw new InvalidInputException(WHO + ", field 'temperature': must be finite and > 0 (the multiplier"
                        + " t of the squared distance in exp(-t*d^2)), got " + temperature);
            }
            if (norm == null) {
                throw new InvalidInputException(WHO + ", field 'norm': missing");
            }
            if (k != ALL && (k < 1 || k > m)) {
                throw new InvalidInputException(WHO + ", field 'k': must be in [1, " + m + "] (the number of clusters)"
                        + " or all, got " + k);
            }
            if (distances == null) {
                // From a ClusteringResult (distances given) the tokens were checked when the clustering ran, and
                // centres averaged from finite tokens are finite: no second scan on the hot path.
                Inputs.requireFinite(tokens, WHO, "tokens");
                Inputs.requireFinite(centres, WHO, "centres");
            }
            int kept = k == ALL ? (int) m : k;
            Shape shape = new Shape(zs.get(0), zs.get(1), m);
            NDManager manager = distances != null ? distances.getManager() : tokens.getManager();
            if (k != ALL && k <= sparseDensity * m && !tokens.getDevice().isGpu()) {
                HostTopKWeights host;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    host = HostTopKWeights.compute(distances(), kept, temperature, norm);
                }
                return new ExpeditReconstruction(null, host, manager, shape, k, temperature, norm);
            }
            return new ExpeditReconstruction(denseWeights(kept, m), null, manager, shape, k, temperature, norm);
        }

        private NDArray distances() {
            if (distances != null) {
                return distances;
            }
            NDArray z = tokens.toType(DataType.FLOAT32, false);
            NDArray s = centres.toType(DataType.FLOAT32, false);
            return ExpeditClustering.squaredDistances(z, s);
        }

        private NDArray denseWeights(int kept, long m) {
            NDArray result;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray d = distances().maximum(0f);
                d = d.sub(d.min(new int[] {2}, true));
                NDArray w = d.mul(-temperature).exp();
                if (kept < m) {
                    // k-th largest of each row; keep everything at or above it (ties keep more than k).
                    NDArray kth = w.topK(kept, 2, true, true).get(0).get(new NDIndex(":, :, {}:", kept - 1));
                    w = w.mul(w.gte(kth).toType(DataType.FLOAT32, false));
                }
                NDArray scale = norm == ReconstructionNorm.L2
                        ? w.square().sum(new int[] {2}, true).sqrt()
                        : w.sum(new int[] {2}, true);
                result = w.div(scale.maximum(1e-12f));
                NDScope.unregister(result);
            }
            return result;
        }
    }
}
