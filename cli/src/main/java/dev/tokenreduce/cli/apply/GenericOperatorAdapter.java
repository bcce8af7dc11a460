package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any registered operator on a token sequence. In {@code tokens} (B, L, C) and optional host signals
 * {@code cls_attention} (B, visual) and {@code key_metric} (B, L, d); layout params {@code prefix} and
 * {@code suffix} (tokens never reduced, default 0), {@code grid=HxW} (default: square when the visual count is a
 * square), {@code at} (hook point, default output), {@code context-seed}; every other param goes to the operator's
 * factory. Out {@code tokens} (the reduced sequence), {@code kept_indices} (selections), {@code sizes} (merges that
 * track them) and {@code restored} (the reduced visual tokens mapped back to the original ones, when the operator
 * leaves a restoration).
 */
final class GenericOperatorAdapter implements OperatorAdapter {

    private static final String[] LAYOUT_KEYS = {"prefix", "suffix", "grid", "at", "context-seed"};

    private final OperatorRegistry registry;
    private final String id;

    GenericOperatorAdapter(OperatorRegistry registry, String id) {
        this.registry = registry;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> inputs() {
        return List.of("tokens (B,L,C)", "[cls_attention (B,visual)]", "[key_metric (B,L,d)]");
    }

    @Override
    public List<String> outputs() {
        return List.of("tokens", "[kept_indices]", "[sizes]", "[restored]");
    }

    @Override
    public List<String> params() {
        return List.of("[prefix]", "[suffix]", "[grid=HxW]", "[at]", "[context-seed]", "operator params");
    }

    @Override
    public Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager) {
        int prefix = params.optInt("prefix", 0);
        int suffix = params.optInt("suffix", 0);
        if (prefix < 0 || suffix < 0) {
            throw params.invalid(prefix < 0 ? "prefix" : "suffix", "must be >= 0");
        }
        HookPoint at = PolicyLoader.parseHookText(params.optString("at", "output"), params.where());
        long seed = params.optLong("context-seed", 0);
        TokenOperator op = registry.create(id, AdapterParams.without(params, LAYOUT_KEYS));

        NDArray tokens = inputs.require("tokens", 3);
        long total = tokens.getShape().get(1);
        long visual = total - prefix - suffix;
        if (visual < 1) {
            throw new InvalidInputException("apply " + id + ": " + total + " tokens leave no visual span after prefix "
                    + prefix + " and suffix " + suffix);
        }
        GridSize grid = null;
        if (params.has("grid")) {
            grid = AdapterParams.gridOrSquare(params, visual, id);
        } else {
            long side = Math.round(Math.sqrt((double) visual));
            grid = side * side == visual ? GridSize.square((int) side) : null;
        }
        TokenLayout layout = new TokenLayout(prefix, (int) visual, suffix, grid);
        StepContext.Builder ctx = StepContext.builder(at, manager).optSeed(seed);
        inputs.optional("cls_attention", 2).ifPresent(a -> ctx.optSignal(StepContext.CLS_ATTENTION, a));
        inputs.optional("key_metric", 3).ifPresent(a -> ctx.optSignal(StepContext.KEY_METRIC, a));
        Reduction reduction = op.apply(TokenState.of(tokens, layout), ctx.build());
        TokenState state = reduction.state();
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("tokens", state.tokens());
        if (state.visualIndex() != null) {
            out.put("kept_indices", Tensors.asLong(state.visualIndex()));
        }
        if (state.sizes() != null) {
            out.put("sizes", state.sizes());
        }
        if (state.restoration() != null) {
            out.put("restored", state.restoration().restore(state.visualTokens()));
        }
        return out;
    }
}
