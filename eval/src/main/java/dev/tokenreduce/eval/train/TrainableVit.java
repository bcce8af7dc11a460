package dev.tokenreduce.eval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.head.LinearSegmentationHead;
import dev.tokenreduce.vit.weights.BlockWeights;
import dev.tokenreduce.vit.weights.VitWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable parameters of a plain timm ViT ([CLS] token, learned positions, qkv bias, final norm, no layer
 * scale) plus a linear segmentation head, keyed by their timm state-dict names, initialised as timm does: linear
 * and patch weights, positions and the head trunc-normal(0.02, cut at ±2σ), [CLS] normal(1e-6), biases zero, LayerNorm weights
 * one. Every parameter tracks gradients; {@link #weights()} and {@link #head()} view them in the runtime's layout.
 */
final class TrainableVit {

    private final VitConfig config;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int numClasses;

    TrainableVit(VitConfig config, int numClasses, long seed, NDManager manager) {
        this.config = config;
        this.numClasses = numClasses;
        SplittableRandom rng = new SplittableRandom(seed);
        long c = config.embedDim();
        long hidden = config.mlpHidden();
        int p = config.patchSize();
        trunc(manager, rng, "patch_embed.proj.weight", c, config.channels(), p, p);
        zeros(manager, "patch_embed.proj.bias", c);
        normal(manager, rng, "cls_token", 1e-6, 1, 1, c);
        trunc(manager, rng, "pos_embed", 1, config.positionRows(), c);
        for (int i = 0; i < config.depth(); i++) {
            String b = "blocks." + i;
            ones(manager, b + ".norm1.weight", c);
            zeros(manager, b + ".norm1.bias", c);
            trunc(manager, rng, b + ".attn.qkv.weight", 3 * c, c);
            zeros(manager, b + ".attn.qkv.bias", 3 * c);
            trunc(manager, rng, b + ".attn.proj.weight", c, c);
            zeros(manager, b + ".attn.proj.bias", c);
            ones(manager, b + ".norm2.weight", c);
            zeros(manager, b + ".norm2.bias", c);
            trunc(manager, rng, b + ".mlp.fc1.weight", hidden, c);
            zeros(manager, b + ".mlp.fc1.bias", hidden);
            trunc(manager, rng, b + ".mlp.fc2.weight", c, hidden);
            zeros(manager, b + ".mlp.fc2.bias", c);
        }
        ones(manager, "norm.weight", c);
        zeros(manager, "norm.bias", c);
        trunc(manager, rng, LinearSegmentationHead.WEIGHT, numClasses, c);
        zeros(manager, LinearSegmentationHead.BIAS, numClasses);
        for (NDArray a : params.values()) {
            a.setRequiresGradient(true);
        }
    }

    /** Parameters by timm name, in state-dict order. */
    Map<String, NDArray> parameters() {
        return params;
    }

    /** Whether weight decay applies: matrices and conv kernels only (not biases, norms, tokens, positions). */
    static boolean decays(String name, NDArray value) {
        return value.getShape().dimension() >= 2 && !name.equals("pos_embed") && !name.equals("cls_token");
    }

    long count() {
        long n = 0;
        for (NDArray a : params.values()) {
            n += a.size();
        }
        return n;
    }

    /** The encoder weights in the runtime's layout (the parameter arrays themselves, no copies). */
    VitWeights weights() {
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < config.depth(); i++) {
            String b = "blocks." + i;
            blocks.add(new BlockWeights(get(b + ".norm1.weight"), get(b + ".norm1.bias"), get(b + ".attn.qkv.weight"),
                    get(b + ".attn.qkv.bias"), get(b + ".attn.proj.weight"), get(b + ".attn.proj.bias"), null,
                    get(b + ".norm2.weight"), get(b + ".norm2.bias"), get(b + ".mlp.fc1.weight"),
                    get(b + ".mlp.fc1.bias"), get(b + ".mlp.fc2.weight"), get(b + ".mlp.fc2.bias"), null));
        }
        return new VitWeights(get("patch_embed.proj.weight"), get("patch_embed.proj.bias"), get("cls_token"),
                get("pos_embed"), null, null, blocks, get("norm.weight"), get("norm.bias"));
    }

    LinearSegmentationHead head() {
        return new LinearSegmentationHead(get(LinearSegmentationHead.WEIGHT), get(LinearSegmentationHead.BIAS));
    }

    int numClasses() {
        return numClasses;
    }

    /** Writes every parameter (encoder and head) to one safetensors file. */
    void save(Path file, Map<String, String> metadata) {
        SafetensorsWriter.write(file, params, metadata);
    }

    private NDArray get(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalStateException("no parameter " + name);
        }
        return a;
    }

    private void trunc(NDManager m, SplittableRandom rng, String name, long... shape) {
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            double x;
            do {
                x = rng.nextGaussian();
            } while (Math.abs(x) > 2.0); // truncated at ±2σ
            v[i] = (float) (0.02 * x);
        }
        params.put(name, m.create(v, new Shape(shape)));
    }

    private void normal(NDManager m, SplittableRandom rng, String name, double std, long... shape) {
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * rng.nextGaussian());
        }
        params.put(name, m.create(v, new Shape(shape)));
    }

    private void zeros(NDManager m, String name, long... shape) {
        params.put(name, m.zeros(new Shape(shape)));
    }

    private void ones(NDManager m, String name, long... shape) {
        params.put(name, m.ones(new Shape(shape)));
    }
}
