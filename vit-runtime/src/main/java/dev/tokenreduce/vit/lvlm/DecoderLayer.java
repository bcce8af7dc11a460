package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.core.Tensors;

/**
 * One LLaMA decoder layer on DJL ops: {@code h + o_proj(attn(rms(h)))} then {@code h + down(silu(gate(x)) · up(x))}
 * with {@code x = rms(h)} (HuggingFace {@code LlamaDecoderLayer}), grouped-query attention without copying key heads
 * (queries are grouped per key head and broadcast), a causal mask by sequence order over the layer's cache, and
 * the keys/values appended to the {@link KvCache}.
 */
final class DecoderLayer {

    private final LlamaConfig config;
    private final LlamaLayerWeights w;
    private final int index;
    private final float scale;

    DecoderLayer(LlamaConfig config, LlamaLayerWeights weights, int index) {
        this.config = config;
        this.w = weights;
        this.index = index;
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    LlamaLayerWeights weights() {
        return w;
    }

    /**
     * What one layer produced: the hidden states and, when asked for, its queries and keys (after RoPE) and the
     * sub-module tensors TransPrune measures. All attached to the manager passed to {@link #forward}.
     *
     * @param hidden (B, L, C) layer output
     * @param queries (B, heads, L, d_head) or {@code null}
     * @param keys (B, kv_heads, entries, d_head) the layer's whole cache, or {@code null}
     * @param taps attention input (after the input norm), attention output (before the residual), FFN input
     *     (after the post-attention norm), FFN output (before the residual); or {@code null}
     */
    record Output(NDArray hidden, NDArray queries, NDArray keys, NDArray[] taps) {}

    /**
     * @param h (B, L, C) hidden states of the L new tokens
     * @param rope rotary tables for their position ids
     * @param cache receives their keys and values (the L new tokens follow the layer's existing entries)
     * @param wantQk keep queries and keys for policy steps
     * @param wantTaps keep the sub-module tensors
     * @param out receives the results; temporaries are freed
     */
    Output forward(NDArray h, Rope rope, KvCache cache, boolean wantQk, boolean wantTaps, NDManager out) {
        long b = h.getShape().get(0);
        long l = h.getShape().get(1);
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int d = config.headDim();
        int groups = config.groups();
        try (NDManager sub = out.newSubManager()) {
            h.tempAttach(sub); // every op on h then puts its result in sub; h returns to its manager afterwards
            NDArray x = rmsNorm(h, w.inputNorm(), sub);
            NDArray q = linear(x, w.qProj(), w.qBias()).reshape(b, l, heads, d).transpose(0, 2, 1, 3);
            NDArray k = linear(x, w.kProj(), w.kBias()).reshape(b, l, kvHeads, d).transpose(0, 2, 1, 3);
            NDArray v = linear(x, w.vProj(), w.vBias()).reshape(b, l, kvHeads, d).transpose(0, 2, 1, 3);
            q = rope.apply(q);
            k = rope.apply(k);
            NDArray[] kv = cache.append(index, k, v);
            long entries = kv[0].getShape().get(2);
            // (B, kv, G·L, d): query head h = kv·G + g reads key head kv, as HF's repeat_kv.
            NDArray qg = q.reshape(b, kvHeads, (long) groups * l, d);
            NDArray scores = qg.matMul(kv[0].transpose(0, 1, 3, 2)).mul(scale);
            if (l > 1) {
                scores = scores.reshape(b, kvHeads, groups, l, entries)
                        .add(causalBias(sub, entries - l, l, entries))
                        .reshape(b, kvHeads, (long) groups * l, entries);
            }
            NDArray ctx = scores.softmax(-1).matMul(kv[1]) // (B, kv, G·L, d)
                    .reshape(b, heads, l, d).transpose(0, 2, 1, 3).reshape(b, l, (long) heads * d);
            NDArray attn = linear(ctx, w.oProj(), w.oBias());
            NDArray mid = attn.add(h);
            NDArray y = rmsNorm(mid, w.postAttentionNorm(), sub);
            NDArray gate = linear(y, w.gateProj(), w.gateBias());
            NDArray ffn = linear(gate.mul(Activation.sigmoid(gate)).mul(linear(y, w.upProj(), w.upBias())),
                    w.downProj(), w.downBias());
            NDArray hidden = Scoped.own(ffn.add(mid), out);
            NDArray queries = wantQk ? Scoped.own(q, out) : null;
            NDArray keys = wantQk ? kv[0] : null;
            NDArray[] taps = null;
            if (wantTaps) {
                taps = new NDArray[] {Scoped.own(x, out), Scoped.own(attn, out), Scoped.own(y, out),
                    Scoped.own(ffn, out)};
            }
            return new Output(hidden, queries, keys, taps);
        }
    }

    /** HuggingFace LlamaRMSNorm in float32: {@code x · rsqrt(mean(x²) + eps) · w}. */
    NDArray rmsNorm(NDArray x, NDArray weight, NDManager manager) {
        return rmsNorm(x, weight, config.rmsNormEps(), manager);
    }

    static NDArray rmsNorm(NDArray x, NDArray weight, double eps, NDManager manager) {
        NDArray r = x.square().mean(new int[] {-1}, true).add((float) eps).sqrt();
        return Scoped.own(x.div(r).mul(weight), manager);
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** (rows, entries) additive mask: row i (sequence index offset + i) sees entries 0..offset + i. */
    private static NDArray causalBias(NDManager manager, long offset, long rows, long entries) {
        NDArray key = Tensors.arangeLong(manager, 0, entries).expandDims(0);
        NDArray row = Tensors.arangeLong(manager, offset, offset + rows).expandDims(1);
        NDArray future = key.gt(row);
        return NDArrays.where(future, manager.full(new Shape(rows, entries), Float.NEGATIVE_INFINITY),
                manager.zeros(new Shape(rows, entries)));
    }
}
