package dev.tokenreduce.vit.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.weights.BlockWeights;
import dev.tokenreduce.vit.weights.VitWeights;

/**
 * The ViT computation in pieces the host can interleave with policy steps. Each piece runs its temporaries in a
 * sub-manager of {@code out} and returns only its result, attached to {@code out}; nothing is copied to Java.
 *
 * <p>Blocks follow timm: {@code x + ls1·proj(attn(norm1(x)))} then {@code x + ls2·fc2(act(fc1(norm2(x))))}, one
 * fused qkv matmul, {@code softmax(q·scale·kᵀ [+ log size])·v}. Linear layers use torch's {@code linear}
 * (weight (out, in), bias added in the same call).
 */
public final class VitForward {

    private final VitConfig config;
    private final VitWeights weights;
    private final PositionEmbedding positions;
    private final Shape normShape;
    private final float eps;
    private final float scale;

    /**
     * @param manager the model's manager (holds the cached position tables)
     */
    public VitForward(VitConfig config, VitWeights weights, NDManager manager) {
        this.config = config;
        this.weights = weights;
        this.positions = new PositionEmbedding(config, weights, manager);
        this.normShape = new Shape(config.embedDim());
        this.eps = (float) config.layerNormEps();
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    public VitConfig config() {
        return config;
    }

    /**
     * Patch embedding, prefix tokens, position embedding (resampled for {@code grid}) and pre-norm.
     *
     * @param pixels (B, channels, grid.h·p, grid.w·p) float32
     * @return (B, prefix + grid cells, C), the input of block 0
     */
    public NDArray embeddings(NDArray pixels, GridSize grid, NDManager out) {
        long b = pixels.getShape().get(0);
        long c = config.embedDim();
        int p = config.patchSize();
        try (NDManager sub = out.newSubManager()) {
            NDArray x = Scopes.own(Conv2d.conv2d(pixels, weights.patchWeight(), weights.patchBias(), new Shape(p, p),
                    new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow(), sub);
            x = x.reshape(b, c, grid.cells()).transpose(0, 2, 1).add(positions.grid(grid, sub));
            NDArray prefix = positions.prefixTokens();
            if (prefix != null) {
                NDArray expanded = Scopes.own(prefix.broadcast(new Shape(b, prefix.getShape().get(1), c)), sub);
                x = NDArrays.concat(new NDList(expanded, x), 1);
            }
            if (config.preNorm()) {
                x = layerNorm(x, weights.preNormWeight(), weights.preNormBias());
            }
            return Scopes.own(x, out);
        }
    }

    /** Output of the attention half of a block and, when asked for, its head-averaged keys. */
    public record AttentionResult(NDArray tokens, NDArray keys) {}

    /**
     * {@code x + ls1 · attn(norm1(x))} of block {@code index}.
     *
     * @param x (B, L, C)
     * @param sizes ToMe token sizes (B, L, 1) whose log is added to the logits (proportional attention), or null
     * @param wantKeys whether to return the keys averaged over heads (B, L, d_head), ToMe's metric
     */
    public AttentionResult attention(NDArray x, int index, NDArray sizes, boolean wantKeys, NDManager out) {
        BlockWeights w = weights.blocks().get(index);
        Shape s = x.getShape();
        long b = s.get(0);
        long l = s.get(1);
        long c = s.get(2);
        int heads = config.numHeads();
        try (NDManager sub = out.newSubManager()) {
            NDArray h = Scopes.own(layerNorm(x, w.norm1Weight(), w.norm1Bias()), sub);
            NDArray qkv = Linear.linear(h, w.qkvWeight(), w.qkvBias()).singletonOrThrow()
                    .reshape(b, l, 3, heads, c / heads).transpose(2, 0, 3, 1, 4); // (3, B, H, L, D)
            NDArray q = qkv.get(0);
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            NDArray logits = q.mul(scale).matMul(k.transpose(0, 1, 3, 2)); // (B, H, L, L)
            if (sizes != null) {
                NDArray logSize = Scopes.own(sizes.log(), sub).reshape(b, 1, 1, l);
                logits = logits.add(logSize);
            }
            NDArray attended = logits.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, l, c);
            NDArray y = Linear.linear(attended, w.projWeight(), w.projBias()).singletonOrThrow();
            if (w.ls1() != null) {
                y = y.mul(w.ls1());
            }
            NDArray result = Scopes.own(x.add(y), out);
            NDArray keys = null;
            if (wantKeys) {
                keys = k.mean(new int[] {1});
                keys.attach(out);
            }
            return new AttentionResult(result, keys);
        }
    }

    /**
     * The softmax attention the first token ([CLS]) pays every key in block {@code index}, averaged over heads:
     * {@code mean_h softmax(q_CLS·kᵀ·scale)} over all L keys (CLS included), as LLaVA-style pruners read it from the
     * feature layer. Computes the one query row only; the block's output is not changed or returned.
     *
     * @param x (B, L, C) the block's input
     * @return (B, L) float32, rows summing to 1
     */
    public NDArray clsAttention(NDArray x, int index, NDManager out) {
        BlockWeights w = weights.blocks().get(index);
        Shape s = x.getShape();
        long b = s.get(0);
        long l = s.get(1);
        long c = s.get(2);
        int heads = config.numHeads();
        try (NDManager sub = out.newSubManager()) {
            NDArray h = Scopes.own(layerNorm(x, w.norm1Weight(), w.norm1Bias()), sub);
            NDArray qkv = Linear.linear(h, w.qkvWeight(), w.qkvBias()).singletonOrThrow()
                    .reshape(b, l, 3, heads, c / heads).transpose(2, 0, 3, 1, 4); // (3, B, H, L, D)
            NDArray q = qkv.get(0).get(":, :, 0:1, :");
            NDArray k = qkv.get(1);
            NDArray probs = q.mul(scale).matMul(k.transpose(0, 1, 3, 2)).softmax(-1); // (B, H, 1, L)
            return Scopes.own(probs.mean(new int[] {1}).reshape(b, l), out);
        }
    }

    /** {@code x + ls2 · fc2(act(fc1(norm2(x))))} of block {@code index}. */
    public NDArray mlp(NDArray x, int index, NDManager out) {
        BlockWeights w = weights.blocks().get(index);
        try (NDManager sub = out.newSubManager()) {
            NDArray h = Scopes.own(layerNorm(x, w.norm2Weight(), w.norm2Bias()), sub);
            h = Linear.linear(h, w.fc1Weight(), w.fc1Bias()).singletonOrThrow();
            h = Activations.apply(config.activation(), h);
            h = Linear.linear(h, w.fc2Weight(), w.fc2Bias()).singletonOrThrow();
            if (w.ls2() != null) {
                h = h.mul(w.ls2());
            }
            return Scopes.own(x.add(h), out);
        }
    }

    /** A full block without hooks (attention half then MLP half). */
    public NDArray block(NDArray x, int index, NDArray sizes, NDManager out) {
        try (NDManager sub = out.newSubManager()) {
            NDArray mid = attention(x, index, sizes, false, sub).tokens();
            return Scopes.own(mlp(mid, index, sub), out);
        }
    }

    /** The final LayerNorm on every token, or {@code x} itself when the model has none. */
    public NDArray finalNorm(NDArray x, NDManager out) {
        if (!config.finalNorm()) {
            return x;
        }
        return Scopes.own(layerNorm(x, weights.normWeight(), weights.normBias()), out);
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, normShape, gamma, beta, eps).singletonOrThrow();
    }
}
