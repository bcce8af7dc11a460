package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.clustering.expedit.ClusteringResult;
import dev.tokenreduce.clustering.expedit.ExpeditClusterOperator;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code expedit-cluster}: in {@code tokens} (B, N, C) patch tokens; params {@code grid=HxW} (default: square) and
 * the operator's own ({@code clusters iterations window temperature [windowed]}, validated by its registered
 * factory); out {@code clustered} (B, M, C) and {@code hard_labels} (B, N) int64.
 */
final class ExpeditClusterAdapter implements OperatorAdapter {

    private final OperatorRegistry registry;

    ExpeditClusterAdapter(OperatorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String id() {
        return ExpeditClusterOperator.ID;
    }

    @Override
    public List<String> inputs() {
        return List.of("tokens (B,N,C)");
    }

    @Override
    public List<String> outputs() {
        return List.of("clustered (B,M,C)", "hard_labels (B,N) int64");
    }

    @Override
    public List<String> params() {
        return List.of("grid=HxW", "clusters=hxw", "iterations", "window", "temperature", "[windowed]");
    }

    @Override
    public Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager) {
        // the registry's factory reads (and checks) the operator's parameters; grid is the adapter's
        TokenOperator op = registry.create(id(), AdapterParams.without(params, "grid"));
        ExpeditClusterOperator cluster = (ExpeditClusterOperator) op;
        NDArray tokens = inputs.require("tokens", 3);
        GridSize grid = AdapterParams.gridOrSquare(params, tokens.getShape().get(1), id());
        ClusteringResult result = cluster.clustering().cluster(tokens, grid);
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("clustered", result.mergedTokens());
        out.put("hard_labels", Tensors.asLong(result.mergedHardLabels()));
        return out;
    }
}
