package dev.tokenreduce.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.token.IndexRestoration;
import dev.tokenreduce.core.token.Restoration;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every reducer; it owns the invariants so subclasses only decide what to keep or how to merge:
 * <ul>
 *   <li>prefix and suffix tokens are never touched; only the visual span is handed to {@link #reduce};</li>
 *   <li>inputs are checked for NaN/Inf (unless the host turned checks off);</li>
 *   <li>kept indices are range-checked and sorted, so original order and position ids are preserved;</li>
 *   <li>position ids, original-token indices, sizes and the restoration are carried in one place;</li>
 *   <li>every call returns a {@link ReductionRecord}; a call that kept the count is recorded as such.</li>
 * </ul>
 */
public abstract class AbstractTokenReducer implements TokenOperator {

    /**
     * Decides the reduction of the visual span.
     *
     * @param visual (B, V, C) visual tokens
     * @param layout the full layout (for the grid and counts)
     * @param state the whole input state (sizes, restoration, signals already aligned with it)
     * @param context host signals, seed, manager
     */
    protected abstract ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context);

    @Override
    public final Reduction apply(TokenState state, StepContext context) {
        long start = System.nanoTime();
        TokenLayout layout = state.layout();
        if (layout.visual() == 0) {
            throw new InvalidInputException(id() + ": the visual span is empty; nothing to reduce");
        }
        NDArray visual = state.visualTokens();
        if (context.checkFinite()) {
            Inputs.requireFinite(visual, id(), "visual tokens");
        }
        ReducedVisual decision = reduce(visual, layout, state, context);
        TokenState.Builder next = decision.isSelection()
                ? applySelection(state, decision)
                : applyMerge(state, decision);
        TokenState partial = next.build();
        ReductionRecord record = new ReductionRecord(id(), context.at().toString(), layout.visual(),
                partial.layout().visual(), System.nanoTime() - start, decision.details());
        TokenState result = partial.toBuilder().addRecord(record).build();
        return new Reduction(result, record);
    }

    private TokenState.Builder applySelection(TokenState state, ReducedVisual decision) {
        TokenLayout layout = state.layout();
        NDArray kept = decision.keptIndices();
        if (kept.getShape().dimension() != 2 || kept.getShape().get(0) != state.batchSize()) {
            throw new InvalidInputException(id() + ": kept indices must be (B, k), got " + kept.getShape());
        }
        int k = (int) kept.getShape().get(1);
        if (k < 1) {
            throw new InvalidInputException(id() + ": kept no visual tokens");
        }
        kept = kept.toType(DataType.INT64, false).sort(1);
        long min = kept.min().getLong();
        long max = kept.max().getLong();
        if (min < 0 || max >= layout.visual()) {
            throw new InvalidInputException(id() + ": kept index out of range [0, " + layout.visual() + "): "
                    + (min < 0 ? min : max));
        }
        // Indices into the whole sequence: prefix, kept visual (shifted), suffix.
        NDArray seqIndex = sequenceIndex(state, kept.add(layout.prefix()), layout);
        long b = state.batchSize();
        long c = state.channels();
        NDArray tokens = state.tokens().gather(seqIndex.expandDims(2).broadcast(new Shape(b, seqIndex.getShape().get(1), c)), 1);
        TokenState.Builder next = state.toBuilder()
                .setTokens(tokens)
                .setLayout(layout.withVisual(k, null));
        if (state.positionIds() != null) {
            NDArray pos = state.positionIds();
            NDArray idx = pos.getShape().get(0) == b ? seqIndex : seqIndex.get(new NDIndex("0:1"));
            next.optPositionIds(pos.gather(idx, 1));
        }
        if (state.sizes() != null) {
            next.optSizes(state.sizes().gather(seqIndex.expandDims(2), 1));
        }
        next.optVisualIndex(state.visualIndexAfterKeeping(kept));
        Restoration nearest = nearestKept(kept, layout);
        next.optRestoration(chain(state.restoration(), nearest));
        decision.withDetail("kept", k);
        return next;
    }

    private TokenState.Builder applyMerge(TokenState state, ReducedVisual decision) {
        TokenLayout layout = state.layout();
        NDArray merged = decision.mergedTokens();
        if (merged.getShape().dimension() != 3 || merged.getShape().get(0) != state.batchSize()
                || merged.getShape().get(2) != state.channels()) {
            throw new InvalidInputException(id() + ": merged tokens must be (" + state.batchSize() + ", M, "
                    + state.channels() + "), got " + merged.getShape());
        }
        int m = (int) merged.getShape().get(1);
        NDList parts = new NDList();
        if (layout.prefix() > 0) {
            parts.add(state.prefixTokens());
        }
        parts.add(merged);
        if (layout.suffix() > 0) {
            parts.add(state.suffixTokens());
        }
        NDArray tokens = parts.size() == 1 ? merged : NDArrays.concat(parts, 1);
        TokenState.Builder next = state.toBuilder()
                .setTokens(tokens)
                .setLayout(layout.withVisual(m, decision.grid()))
                .optVisualIndex(null)
                .markMerged()
                .optRestoration(chain(state.restoration(), decision.restoration()));
        if (decision.mergedSizes() != null || state.sizes() != null) {
            next.optSizes(mergedSizes(state, decision, m));
        }
        if (state.positionIds() != null && m != layout.visual()) {
            throw new InvalidInputException(id() + " merges tokens, which cannot keep per-token position ids;"
                    + " use a selection operator in hosts with position ids");
        }
        return next;
    }

    private NDArray mergedSizes(TokenState state, ReducedVisual decision, int m) {
        TokenLayout layout = state.layout();
        NDArray ones = state.tokens().getManager().ones(new Shape(state.batchSize(), layout.total(), 1));
        NDArray sizes = state.sizes() != null ? state.sizes() : ones;
        NDArray visualSizes = decision.mergedSizes() != null ? decision.mergedSizes()
                : ones.get(new NDIndex(":, :{}", m));
        NDList parts = new NDList();
        if (layout.prefix() > 0) {
            parts.add(sizes.get(new NDIndex(":, :{}", layout.prefix())));
        }
        parts.add(visualSizes);
        if (layout.suffix() > 0) {
            parts.add(sizes.get(new NDIndex(":, {}:", layout.prefix() + layout.visual())));
        }
        return parts.size() == 1 ? visualSizes : NDArrays.concat(parts, 1);
    }

    private static Restoration chain(Restoration earlier, Restoration later) {
        if (later == null) {
            return null;
        }
        return earlier == null ? later : earlier.compose(later);
    }

    private static NDArray sequenceIndex(TokenState state, NDArray keptInSequence, TokenLayout layout) {
        var manager = keptInSequence.getManager();
        long b = state.batchSize();
        NDList parts = new NDList();
        if (layout.prefix() > 0) {
            parts.add(dev.tokenreduce.core.Tensors.arangeLong(manager, 0, layout.prefix()).expandDims(0).repeat(0, b));
        }
        parts.add(keptInSequence);
        if (layout.suffix() > 0) {
            long from = layout.prefix() + layout.visual();
            parts.add(dev.tokenreduce.core.Tensors.arangeLong(manager, from, from + layout.suffix()).expandDims(0).repeat(0, b));
        }
        return parts.size() == 1 ? keptInSequence : NDArrays.concat(parts, 1);
    }

    /**
     * After a selection, each original visual token is restored from the kept token nearest to it: on the grid
     * when there is one (Euclidean in (y, x), lowest index on ties), otherwise in sequence order.
     */
    private static Restoration nearestKept(NDArray kept, TokenLayout layout) {
        var manager = kept.getManager();
        int n = layout.visual();
        NDArray all = dev.tokenreduce.core.Tensors.arangeLong(manager, 0, n);
        NDArray keptF = kept.toType(DataType.FLOAT32, false);
        NDArray allF = all.toType(DataType.FLOAT32, false);
        NDArray dist;
        if (layout.hasGrid()) {
            float w = layout.grid().width();
            NDArray ky = keptF.div(w).floor();
            NDArray kx = keptF.sub(ky.mul(w));
            NDArray ay = allF.div(w).floor();
            NDArray ax = allF.sub(ay.mul(w));
            NDArray dy = ay.reshape(1, n, 1).sub(ky.expandDims(1));
            NDArray dx = ax.reshape(1, n, 1).sub(kx.expandDims(1));
            dist = dy.square().add(dx.square());
        } else {
            dist = allF.reshape(1, n, 1).sub(keptF.expandDims(1)).abs();
        }
        return new IndexRestoration(dist.argMin(2), (int) kept.getShape().get(1));
    }

    /** Details map helper for subclasses. */
    protected static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
