package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.clustering.tome.BipartiteSoftMatching;
import dev.tokenreduce.clustering.tome.TokenMatching;
import dev.tokenreduce.clustering.tome.WeightedMerge;
import dev.tokenreduce.core.op.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tome}: one bipartite soft matching and size-weighted merge (ToMe's {@code merge_wavg}, all sizes 1 before
 * the merge). In {@code metric} (B, N, c) and {@code x} (B, N, C); params {@code r} and {@code class-token}
 * (true: the first token never merges); out {@code merged} (B, N − r, C) and {@code size} (B, N − r, 1). An r above
 * (N − protected)/2 is an error here (a policy step caps it per block, as ToMe does).
 */
final class TomeAdapter implements OperatorAdapter {

    @Override
    public String id() {
        return "tome";
    }

    @Override
    public List<String> inputs() {
        return List.of("metric (B,N,c)", "x (B,N,C)");
    }

    @Override
    public List<String> outputs() {
        return List.of("merged (B,N-r,C)", "size (B,N-r,1)");
    }

    @Override
    public List<String> params() {
        return List.of("r", "[class-token=true|false]");
    }

    @Override
    public Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager) {
        int r = params.requireInt("r");
        if (r < 0) {
            throw params.invalid("r", "must be >= 0, got " + r);
        }
        boolean classToken = params.optBoolean("class-token", true);
        params.requireAllUsed();

        NDArray metric = inputs.require("metric", 3);
        NDArray x = inputs.require("x", 3);
        TokenMatching matching = BipartiteSoftMatching.builder().setR(r).optProtectedPrefix(classToken ? 1 : 0)
                .build().match(metric);
        if (matching.r() < r) {
            // Inside a model ToMe caps r per block (the official schedule relies on it); asked for one step, a
            // budget that cannot be met is the caller's mistake and is reported instead of silently shrunk.
            throw params.invalid("r", r + " exceeds the " + matching.r() + " merges " + metric.getShape().get(1)
                    + " tokens allow (at most (N - protected) / 2, protected = " + (classToken ? 1 : 0) + ")");
        }
        WeightedMerge merged = matching.mergeWeighted(x, null);
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("merged", merged.tokens());
        out.put("size", merged.sizes());
        return out;
    }
}
