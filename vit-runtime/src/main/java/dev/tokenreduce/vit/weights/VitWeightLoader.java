package dev.tokenreduce.vit.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.safetensors.TensorInfo;
import dev.tokenreduce.vit.ModelFormatException;
import dev.tokenreduce.vit.config.VitConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a {@link VitConfig}'s tensors from a checkpoint. Every expected tensor is checked (name, shape, float
 * dtype) before anything is read; all problems are reported together. Only the encoder's tensors are read
 * (heads, text towers and language models in the same checkpoint are skipped).
 */
public final class VitWeightLoader {

    /** Problems listed in full before the message is cut. */
    private static final int MAX_LISTED = 40;

    private VitWeightLoader() {}

    /**
     * Loads the weights into {@code manager} as F32.
     *
     * @throws ModelFormatException listing every missing or mis-shaped tensor (expected and found)
     */
    public static VitWeights load(SafetensorsCheckpoint checkpoint, VitConfig config, NDManager manager) {
        WeightNaming naming = WeightNaming.of(config.weightFormat());
        String where = checkpoint.isSharded() ? checkpoint.path() + " (sharded checkpoint)"
                : checkpoint.files().isEmpty() ? checkpoint.path().toString() : checkpoint.files().get(0).toString();
        String prefix = KeyPrefixes.detect(checkpoint.names(), naming.anchor(), where);
        List<TensorSpec> specs = naming.specs(config);
        check(checkpoint, config, naming, prefix, specs, where);
        Map<String, NDArray> byKey = new HashMap<>();
        for (TensorSpec spec : specs) {
            NDArray a = checkpoint.load(prefix + spec.name(), manager);
            if (a.getDataType() != DataType.FLOAT32) {
                NDArray f = a.toType(DataType.FLOAT32, false);
                a.close();
                a = f;
            }
            if (!Arrays.equals(spec.stored(), spec.shape())) {
                a = a.reshape(new Shape(spec.shape()));
            }
            byKey.put(spec.key(), a);
        }
        return assemble(config, byKey);
    }

    private static void check(SafetensorsCheckpoint checkpoint, VitConfig config, WeightNaming naming, String prefix,
            List<TensorSpec> specs, String where) {
        List<String> problems = new ArrayList<>();
        for (TensorSpec spec : specs) {
            String name = prefix + spec.name();
            if (!checkpoint.contains(name)) {
                problems.add("missing " + name + " " + Arrays.toString(spec.stored()));
                continue;
            }
            TensorInfo info = checkpoint.info(name);
            if (!Arrays.equals(info.shape(), spec.stored())) {
                problems.add("mis-shaped " + name + ": expected " + Arrays.toString(spec.stored()) + ", found "
                        + Arrays.toString(info.shape()));
            } else if (!info.dtype().isFloating()) {
                problems.add("wrong dtype " + name + ": expected a float tensor, found " + info.dtype());
            }
        }
        if (checkpoint.contains(prefix + naming.blockProbe(config.depth()))) {
            problems.add("the checkpoint has more blocks than the config's depth " + config.depth() + " (found "
                    + prefix + naming.blockProbe(config.depth()) + ")");
        }
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder(where).append(": the weights do not match ").append(config.source())
                .append(" (").append(problems.size()).append(" problem").append(problems.size() == 1 ? "" : "s")
                .append(", key prefix '").append(prefix).append("'):");
        problems.stream().limit(MAX_LISTED).forEach(p -> msg.append("\n  ").append(p));
        if (problems.size() > MAX_LISTED) {
            msg.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
        }
        throw new ModelFormatException(msg.toString());
    }

    private static VitWeights assemble(VitConfig config, Map<String, NDArray> w) {
        NDList prefixParts = new NDList();
        for (String key : List.of("cls", "dist", "reg")) {
            if (w.containsKey(key)) {
                prefixParts.add(w.get(key));
            }
        }
        NDArray prefixTokens = prefixParts.isEmpty() ? null
                : prefixParts.size() == 1 ? prefixParts.head() : NDArrays.concat(prefixParts, 1);
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < config.depth(); i++) {
            String b = "blocks." + i + ".";
            NDArray qkvW = w.get(b + "qkv.weight");
            NDArray qkvB = w.get(b + "qkv.bias");
            if (qkvW == null) {
                // HF layouts: separate q, k, v projections fused once at load time (one matmul per forward)
                qkvW = fuse(w, b, "weight");
                if (w.containsKey(b + "q.bias")) {
                    qkvB = fuse(w, b, "bias");
                }
                for (String part : List.of("q", "k", "v")) {
                    close(w.get(b + part + ".weight"));
                    close(w.get(b + part + ".bias"));
                }
            }
            blocks.add(new BlockWeights(w.get(b + "norm1.weight"), w.get(b + "norm1.bias"), qkvW, qkvB,
                    w.get(b + "proj.weight"), w.get(b + "proj.bias"), w.get(b + "ls1"), w.get(b + "norm2.weight"),
                    w.get(b + "norm2.bias"), w.get(b + "fc1.weight"), w.get(b + "fc1.bias"), w.get(b + "fc2.weight"),
                    w.get(b + "fc2.bias"), w.get(b + "ls2")));
        }
        if (prefixParts.size() > 1) {
            prefixParts.forEach(NDArray::close);
        }
        return new VitWeights(w.get("patch.weight"), w.get("patch.bias"), prefixTokens, w.get("pos"),
                w.get("pre.weight"), w.get("pre.bias"), blocks, w.get("norm.weight"), w.get("norm.bias"));
    }

    private static NDArray fuse(Map<String, NDArray> w, String block, String part) {
        return NDArrays.concat(new NDList(w.get(block + "q." + part), w.get(block + "k." + part),
                w.get(block + "v." + part)), 0);
    }

    private static void close(NDArray a) {
        if (a != null) {
            a.close();
        }
    }
}
