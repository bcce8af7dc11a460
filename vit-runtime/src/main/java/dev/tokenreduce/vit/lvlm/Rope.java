package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * HuggingFace LLaMA rotary embedding (rotate-half layout) for one set of position ids, computed once per forward
 * and applied in every layer: {@code inv_freq_i = θ^(−2i/d)}, angles {@code pos · inv_freq} repeated twice along the
 * head dimension, {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = [−x₂, x₁]}.
 */
final class Rope {

    private final NDArray cos;
    private final NDArray sin;
    private final long half;

    private Rope(NDArray cos, NDArray sin, long half) {
        this.cos = cos;
        this.sin = sin;
        this.half = half;
    }

    /**
     * @param positions (B or 1, L) int64 position ids
     * @param headDim even head dimension
     * @param theta rotary base
     * @param manager receives the tables
     */
    static Rope of(NDArray positions, int headDim, double theta, NDManager manager) {
        float[] invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            // float32 as HF: 1 / theta ** (arange(0, d, 2).float() / d)
            invFreq[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headDim));
        }
        NDArray freq = manager.create(invFreq).reshape(1, 1, -1);
        NDArray pos = positions.toType(DataType.FLOAT32, true);
        pos.attach(manager);
        NDArray angles = pos.expandDims(2).mul(freq); // (B, L, d/2)
        NDArray emb = NDArrays.concat(new NDList(angles, angles), -1).expandDims(1); // (B, 1, L, d)
        return new Rope(emb.cos(), emb.sin(), headDim / 2);
    }

    /** (B, heads, L, d) → the same with positions applied. */
    NDArray apply(NDArray x) {
        NDArray first = x.get("..., :{}", half);
        NDArray second = x.get("..., {}:", half);
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
