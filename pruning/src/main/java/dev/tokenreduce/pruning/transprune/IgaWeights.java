package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;

/**
 * What instruction-guided attention reads from the decoder layer after the pruning layer (layer p + 1): its input
 * RMSNorm (weight, epsilon), its query and key projections (HuggingFace layout: (out, in), y = x·Wᵀ, no bias as in
 * LLaMA), the head counts and the RoPE base. Built with {@link #builder()}.
 */
public final class IgaWeights {

    private final NDArray normWeight;
    private final double normEps;
    private final NDArray queryProjection;
    private final NDArray keyProjection;
    private final int numHeads;
    private final int numKvHeads;
    private final double ropeTheta;

    private IgaWeights(Builder b) {
        this.normWeight = b.normWeight;
        this.normEps = b.normEps;
        this.queryProjection = b.queryProjection;
        this.keyProjection = b.keyProjection;
        this.numHeads = b.numHeads;
        this.numKvHeads = b.numKvHeads > 0 ? b.numKvHeads : b.numHeads;
        this.ropeTheta = b.ropeTheta;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** (C) RMSNorm weight of the layer's input norm. */
    public NDArray normWeight() {
        return normWeight;
    }

    public double normEps() {
        return normEps;
    }

    /** (heads · d_head, C). */
    public NDArray queryProjection() {
        return queryProjection;
    }

    /** (kv_heads · d_head, C). */
    public NDArray keyProjection() {
        return keyProjection;
    }

    public int numHeads() {
        return numHeads;
    }

    public int numKvHeads() {
        return numKvHeads;
    }

    public long headDim() {
        return queryProjection.getShape().get(0) / numHeads;
    }

    public double ropeTheta() {
        return ropeTheta;
    }

    /** DJL-style builder: setX required, optX optional. */
    public static final class Builder {
        private NDArray normWeight;
        private double normEps = Double.NaN;
        private NDArray queryProjection;
        private NDArray keyProjection;
        private int numHeads;
        private int numKvHeads;
        private double ropeTheta = 10000;

        private Builder() {}

        public Builder setNormWeight(NDArray weight) {
            this.normWeight = weight;
            return this;
        }

        /** The RMSNorm epsilon ({@code rms_norm_eps} in the model config). */
        public Builder setNormEps(double eps) {
            this.normEps = eps;
            return this;
        }

        public Builder setQueryProjection(NDArray weight) {
            this.queryProjection = weight;
            return this;
        }

        public Builder setKeyProjection(NDArray weight) {
            this.keyProjection = weight;
            return this;
        }

        public Builder setNumHeads(int heads) {
            this.numHeads = heads;
            return this;
        }

        /** Key/value heads for grouped-query attention; default = {@code numHeads}. */
        public Builder optNumKvHeads(int kvHeads) {
            this.numKvHeads = kvHeads;
            return this;
        }

        /** RoPE base; default 10000. */
        public Builder optRopeTheta(double theta) {
            this.ropeTheta = theta;
            return this;
        }

        public IgaWeights build() {
            if (normWeight == null || queryProjection == null || keyProjection == null) {
                throw new InvalidInputException("IGA weights need the norm weight and the q/k projections");
            }
            if (!(normEps > 0)) {
                throw new InvalidInputException("IGA weights need the RMSNorm epsilon (> 0), got " + normEps);
            }
            if (numHeads < 1) {
                throw new InvalidInputException("IGA weights need the number of heads, got " + numHeads);
            }
            long c = normWeight.getShape().get(0);
            if (normWeight.getShape().dimension() != 1 || queryProjection.getShape().dimension() != 2
                    || keyProjection.getShape().dimension() != 2 || queryProjection.getShape().get(1) != c
                    || keyProjection.getShape().get(1) != c) {
                throw new InvalidInputException("IGA weights: norm " + normWeight.getShape() + ", q_proj "
                        + queryProjection.getShape() + ", k_proj " + keyProjection.getShape()
                        + " do not fit one hidden size");
            }
            int kv = numKvHeads > 0 ? numKvHeads : numHeads;
            long qOut = queryProjection.getShape().get(0);
            if (qOut % numHeads != 0 || numHeads % kv != 0 || keyProjection.getShape().get(0) != qOut / numHeads * kv) {
                throw new InvalidInputException("IGA weights: q_proj " + queryProjection.getShape() + " and k_proj "
                        + keyProjection.getShape() + " do not fit " + numHeads + " heads and " + kv + " key heads");
            }
            return new IgaWeights(this);
        }
    }
}
