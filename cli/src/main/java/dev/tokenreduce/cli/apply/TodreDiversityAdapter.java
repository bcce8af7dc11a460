package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.pruning.todre.DiversityMode;
import dev.tokenreduce.pruning.todre.DiversitySelection;
import dev.tokenreduce.pruning.todre.DiversitySelector;
import dev.tokenreduce.pruning.todre.PivotStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code todre-diversity} (ToDRE stage 1): in {@code visual_tokens} (n, d) or (B, n, d) and {@code cls_attention}
 * (n) or (B, n) (needed for the default pivot {@code cls}); params {@code keep} (count or ratio), {@code mode}
 * (max-sum or k-center), {@code pivot} (cls, random, center, farthest), {@code seed}; out {@code kept_indices}
 * (sorted, int64) and {@code selection_order} (pivot first, int64).
 */
final class TodreDiversityAdapter implements OperatorAdapter {

    @Override
    public String id() {
        return "todre-diversity";
    }

    @Override
    public List<String> inputs() {
        return List.of("visual_tokens (n,d)", "cls_attention (n)");
    }

    @Override
    public List<String> outputs() {
        return List.of("kept_indices (k) int64 sorted", "selection_order (k) int64");
    }

    @Override
    public List<String> params() {
        return List.of("keep", "mode=max-sum|k-center", "[pivot=cls|random|center|farthest]", "[seed]");
    }

    @Override
    public Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager) {
        Budget keep = params.requireBudget("keep");
        DiversityMode mode = DiversityMode.parse(params.optChoice("mode", "max-sum", "max-sum", "k-center"));
        PivotStrategy pivot = PivotStrategy.parse(params.optChoice("pivot", "cls", "cls", "random", "center",
                "farthest"));
        long seed = params.optLong("seed", 0);
        params.requireAllUsed();

        NDArray tokens = inputs.require("visual_tokens", 2, 3);
        NDArray cls = pivot == PivotStrategy.CLS ? inputs.require("cls_attention", 1, 2)
                : inputs.optional("cls_attention", 1, 2).orElse(null);
        int n = (int) tokens.getShape().get(tokens.getShape().dimension() - 2);
        int k;
        try {
            k = keep.resolve(n);
        } catch (dev.tokenreduce.core.InvalidInputException e) {
            throw params.invalid("keep", e.getMessage());
        }
        DiversitySelection selection = DiversitySelector.builder().optMode(mode).optPivot(pivot).optSeed(seed)
                .build().select(tokens, cls, k);
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("kept_indices", Tensors.asLong(selection.kept()));
        out.put("selection_order", Tensors.asLong(selection.order()));
        return out;
    }
}
