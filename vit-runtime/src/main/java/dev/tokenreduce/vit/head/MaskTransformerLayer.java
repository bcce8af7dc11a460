package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * One mmseg {@code TransformerEncoderLayer} of the decoder at inference: pre-norm multi-head self-attention
 * ({@code torch.nn.MultiheadAttention} with a packed q/k/v projection) and a Linear-GELU-Linear FFN, each added to
 * its input.
 */
final class MaskTransformerLayer {

    private final NDArray ln1Weight;
    private final NDArray ln1Bias;
    private final NDArray inProjWeight;
    private final NDArray inProjBias;
    private final NDArray outProjWeight;
    private final NDArray outProjBias;
    private final NDArray ln2Weight;
    private final NDArray ln2Bias;
    private final NDArray fc1Weight;
    private final NDArray fc1Bias;
    private final NDArray fc2Weight;
    private final NDArray fc2Bias;

    /** Takes layer {@code index}'s tensors from {@code tensors} (full mmseg names, shapes already checked). */
    MaskTransformerLayer(Map<String, NDArray> tensors, int index) {
        this.ln1Weight = get(tensors, index, MaskTransformerNames.LN1_WEIGHT);
        this.ln1Bias = get(tensors, index, MaskTransformerNames.LN1_BIAS);
        this.inProjWeight = get(tensors, index, MaskTransformerNames.IN_PROJ_WEIGHT);
        this.inProjBias = get(tensors, index, MaskTransformerNames.IN_PROJ_BIAS);
        this.outProjWeight = get(tensors, index, MaskTransformerNames.OUT_PROJ_WEIGHT);
        this.outProjBias = get(tensors, index, MaskTransformerNames.OUT_PROJ_BIAS);
        this.ln2Weight = get(tensors, index, MaskTransformerNames.LN2_WEIGHT);
        this.ln2Bias = get(tensors, index, MaskTransformerNames.LN2_BIAS);
        this.fc1Weight = get(tensors, index, MaskTransformerNames.FC1_WEIGHT);
        this.fc1Bias = get(tensors, index, MaskTransformerNames.FC1_BIAS);
        this.fc2Weight = get(tensors, index, MaskTransformerNames.FC2_WEIGHT);
        this.fc2Bias = get(tensors, index, MaskTransformerNames.FC2_BIAS);
    }

    private static NDArray get(Map<String, NDArray> tensors, int index, String suffix) {
        return tensors.get(MaskTransformerNames.layer(index, suffix));
    }

    /**
     * {@code x + attn(ln1(x))}, then {@code + ffn(ln2(·))}.
     *
     * @param x (B, L, D) tokens owned by {@code out}
     * @return (B, L, D) attached to {@code out}
     */
    NDArray forward(NDArray x, int heads, float eps, NDManager out) {
        Shape s = x.getShape();
        long b = s.get(0);
        long l = s.get(1);
        long d = s.get(2);
        long headDim = d / heads;
        Shape normShape = new Shape(d);
        try (NDManager sub = out.newSubManager()) {
            NDArray h = own(LayerNorm.layerNorm(x, normShape, ln1Weight, ln1Bias, eps).singletonOrThrow(), sub);
            NDArray qkv = own(Linear.linear(h, inProjWeight, inProjBias).singletonOrThrow(), sub)
                    .reshape(b, l, 3, heads, headDim).transpose(2, 0, 3, 1, 4); // (3, B, H, L, hd)
            NDArray q = qkv.get(0).mul((float) (1.0 / Math.sqrt(headDim)));
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            NDArray attended = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v) // (B, H, L, hd)
                    .transpose(0, 2, 1, 3).reshape(b, l, d);
            NDArray y = own(Linear.linear(attended, outProjWeight, outProjBias).singletonOrThrow(), sub);
            NDArray mid = own(x.add(y), sub);

            NDArray f = own(LayerNorm.layerNorm(mid, normShape, ln2Weight, ln2Bias, eps).singletonOrThrow(), sub);
            f = own(Linear.linear(f, fc1Weight, fc1Bias).singletonOrThrow(), sub);
            // exact (erf) GELU, mmcv's default activation
            f = own(Activation.gelu(f), sub);
            f = own(Linear.linear(f, fc2Weight, fc2Bias).singletonOrThrow(), sub);
            return own(mid.add(f), out);
        }
    }

    /** DJL attaches a result to its first operand's manager; move it to the scope that should own it. */
    static NDArray own(NDArray result, NDManager manager) {
        if (result.getManager() != manager) {
            result.attach(manager);
        }
        return result;
    }
}
