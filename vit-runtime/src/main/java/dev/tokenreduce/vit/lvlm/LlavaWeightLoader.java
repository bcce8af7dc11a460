package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.safetensors.TensorInfo;
import dev.tokenreduce.vit.ModelFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the projector and LLaMA tensors of a LLaVA checkpoint. Every expected tensor is checked (name, shape, float
 * dtype) before anything is read, and all problems are reported together, each with the expected and found shape.
 */
final class LlavaWeightLoader {

    private static final int MAX_LISTED = 40;

    private LlavaWeightLoader() {}

    static LlavaWeights load(SafetensorsCheckpoint checkpoint, LlavaConfig config, NDManager manager) {
        String where = checkpoint.isSharded() ? checkpoint.path() + " (sharded checkpoint)"
                : checkpoint.files().isEmpty() ? checkpoint.path().toString() : checkpoint.files().get(0).toString();
        LlavaNaming names = LlavaNaming.detect(checkpoint.names(), where);
        Map<String, long[]> specs = specs(config, names);
        check(checkpoint, specs, names, config.text().numLayers(), where);
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        for (String name : specs.keySet()) {
            NDArray a = checkpoint.load(name, manager);
            if (a.getDataType() != DataType.FLOAT32) {
                NDArray f = a.toType(DataType.FLOAT32, false);
                a.close();
                a = f;
            }
            loaded.put(name, a);
        }
        LlamaConfig t = config.text();
        List<LlamaLayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < t.numLayers(); i++) {
            final int li = i;
            java.util.function.Function<String, NDArray> w = rest -> loaded.get(names.layer(li, rest));
            layers.add(new LlamaLayerWeights(w.apply("input_layernorm.weight"),
                    w.apply("self_attn.q_proj.weight"), w.apply("self_attn.q_proj.bias"),
                    w.apply("self_attn.k_proj.weight"), w.apply("self_attn.k_proj.bias"),
                    w.apply("self_attn.v_proj.weight"), w.apply("self_attn.v_proj.bias"),
                    w.apply("self_attn.o_proj.weight"), w.apply("self_attn.o_proj.bias"),
                    w.apply("post_attention_layernorm.weight"),
                    w.apply("mlp.gate_proj.weight"), w.apply("mlp.gate_proj.bias"),
                    w.apply("mlp.up_proj.weight"), w.apply("mlp.up_proj.bias"),
                    w.apply("mlp.down_proj.weight"), w.apply("mlp.down_proj.bias")));
        }
        NDArray embed = loaded.get(names.embedTokens());
        NDArray head = t.tieWordEmbeddings() ? embed : loaded.get(names.lmHead());
        return new LlavaWeights(loaded.get(names.projectorLinear(1, "weight")),
                loaded.get(names.projectorLinear(1, "bias")), loaded.get(names.projectorLinear(2, "weight")),
                loaded.get(names.projectorLinear(2, "bias")), embed, layers, loaded.get(names.finalNorm()), head);
    }

    /** Every tensor the model reads, with its shape, in load order. */
    static Map<String, long[]> specs(LlavaConfig config, LlavaNaming names) {
        LlamaConfig t = config.text();
        long c = t.hiddenSize();
        long cv = config.vision().embedDim();
        long q = (long) t.numHeads() * t.headDim();
        long kv = (long) t.numKvHeads() * t.headDim();
        long m = t.intermediateSize();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(names.projectorLinear(1, "weight"), new long[] {c, cv});
        if (config.projectorBias()) {
            s.put(names.projectorLinear(1, "bias"), new long[] {c});
        }
        s.put(names.projectorLinear(2, "weight"), new long[] {c, c});
        if (config.projectorBias()) {
            s.put(names.projectorLinear(2, "bias"), new long[] {c});
        }
        s.put(names.embedTokens(), new long[] {t.vocabSize(), c});
        for (int i = 0; i < t.numLayers(); i++) {
            s.put(names.layer(i, "input_layernorm.weight"), new long[] {c});
            linear(s, names.layer(i, "self_attn.q_proj"), q, c, t.attentionBias());
            linear(s, names.layer(i, "self_attn.k_proj"), kv, c, t.attentionBias());
            linear(s, names.layer(i, "self_attn.v_proj"), kv, c, t.attentionBias());
            linear(s, names.layer(i, "self_attn.o_proj"), c, q, t.attentionBias());
            s.put(names.layer(i, "post_attention_layernorm.weight"), new long[] {c});
            linear(s, names.layer(i, "mlp.gate_proj"), m, c, t.mlpBias());
            linear(s, names.layer(i, "mlp.up_proj"), m, c, t.mlpBias());
            linear(s, names.layer(i, "mlp.down_proj"), c, m, t.mlpBias());
        }
        s.put(names.finalNorm(), new long[] {c});
        if (!t.tieWordEmbeddings()) {
            s.put(names.lmHead(), new long[] {t.vocabSize(), c});
        }
        return s;
    }

    private static void linear(Map<String, long[]> s, String prefix, long out, long in, boolean bias) {
        s.put(prefix + ".weight", new long[] {out, in});
        if (bias) {
            s.put(prefix + ".bias", new long[] {out});
        }
    }

    private static void check(SafetensorsCheckpoint checkpoint, Map<String, long[]> specs, LlavaNaming names,
            int numLayers, String where) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : specs.entrySet()) {
            String name = e.getKey();
            if (!checkpoint.contains(name)) {
                problems.add("missing " + name + " " + Arrays.toString(e.getValue()));
                continue;
            }
            TensorInfo info = checkpoint.info(name);
            if (!Arrays.equals(info.shape(), e.getValue())) {
                problems.add("mis-shaped " + name + ": expected " + Arrays.toString(e.getValue()) + ", found "
                        + Arrays.toString(info.shape()));
            } else if (!info.dtype().isFloating()) {
                problems.add("wrong dtype " + name + ": expected a float tensor, found " + info.dtype());
            }
        }
        String probe = names.layer(numLayers, "input_layernorm.weight");
        if (checkpoint.contains(probe)) {
            problems.add("the checkpoint has more decoder layers than text_config's num_hidden_layers " + numLayers
                    + " (found " + probe + ")");
        }
        if (!problems.isEmpty()) {
            List<String> listed = problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems;
            throw new ModelFormatException(where + ": " + problems.size() + " problem(s) with the LLaVA projector/"
                    + "language-model tensors:\n  " + String.join("\n  ", listed)
                    + (problems.size() > MAX_LISTED ? "\n  ... and " + (problems.size() - MAX_LISTED) + " more" : ""));
        }
    }
}
