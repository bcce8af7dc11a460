package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;

/**
 * LLaMA-style rotary position embedding in HuggingFace's rotate-half layout: with
 * {@code inv_freq_i = θ^(−2i/d_head)} (i &lt; d_head/2), angles {@code pos · inv_freq} repeated twice along the
 * head dimension, {@code x·cos + rotate_half(x)·sin} where {@code rotate_half(x) = [−x₂, x₁]} (halves of the head
 * dimension). Computed in float32 as HuggingFace does.
 */
public final class RotaryEmbedding {

    private RotaryEmbedding() {}

    /**
     * @param x (B, H, L, d_head), d_head even
     * @param positions (B, L) or (1, L) position ids
     * @param theta RoPE base (10000 for LLaMA/LLaVA)
     * @return (B, H, L, d_head) float32
     */
    public static NDArray apply(NDArray x, NDArray positions, double theta) {
        long dh = x.getShape().get(3);
        if (dh % 2 != 0) {
            throw new InvalidInputException("rotary embedding needs an even head dimension, got " + dh);
        }
        long length = x.getShape().get(2);
        if (positions.getShape().dimension() != 2 || positions.getShape().get(1) != length) {
            throw new InvalidInputException("rotary embedding: position ids must be (B, " + length + "), got "
                    + positions.getShape());
        }
        float[] invFreq = new float[(int) (dh / 2)];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / dh));
        }
        NDArray freq = x.getManager().create(invFreq);
        // (B, L, dh/2) angles, then (B, 1, L, dh) with the halves repeated.
        NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(freq.reshape(1, 1, -1));
        NDArray emb = NDArrays.concat(new NDList(angles, angles), -1).expandDims(1);
        NDArray cos = emb.cos();
        NDArray sin = emb.sin();
        NDArray xf = x.toType(DataType.FLOAT32, false);
        NDArray first = xf.get("..., :{}", dh / 2);
        NDArray second = xf.get("..., {}:", dh / 2);
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
        return xf.mul(cos).add(rotated.mul(sin));
    }
}
