package dev.tokenreduce.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.Map;

/**
 * Removes visual tokens from a decoder sequence: the new sequence is {@code [prefix, kept visual tokens, suffix]}
 * with position ids kept or renumbered. Unlike {@link dev.tokenreduce.core.op.AbstractTokenReducer} it allows
 * keeping no visual token at all (ToDRE stage 2) and carries no grid restoration: decoder hidden states are never
 * mapped back onto the image grid, so the result's restoration is {@code null}.
 */
public final class SequenceSurgery {

    private SequenceSurgery() {}

    /**
     * (B, L') int64 indices into the current sequence: the prefix, {@code prefix + kept}, the suffix.
     *
     * @param kept (B, k) int64 visual indices, sorted ascending, k ≥ 0
     */
    public static NDArray sequenceIndex(TokenLayout layout, NDArray kept) {
        NDManager manager = kept.getManager();
        long batch = kept.getShape().get(0);
        NDList parts = new NDList();
        if (layout.prefix() > 0) {
            parts.add(Tensors.arangeLong(manager, 0, layout.prefix()).expandDims(0).repeat(0, batch));
        }
        if (kept.getShape().get(1) > 0) {
            parts.add(Tensors.asLong(kept).add(layout.prefix()));
        }
        if (layout.suffix() > 0) {
            long from = layout.prefix() + layout.visual();
            parts.add(Tensors.arangeLong(manager, from, from + layout.suffix()).expandDims(0).repeat(0, batch));
        }
        if (parts.isEmpty()) {
            return manager.zeros(new Shape(batch, 0), DataType.INT64);
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    /**
     * The state with only the {@code kept} visual tokens.
     *
     * @param kept (B, k) int64 visual indices sorted ascending (k ≥ 0; k = 0 drops every visual token)
     * @param positions whether remaining tokens keep their position ids or are renumbered
     * @return the new state (without a record); restoration is {@code null}
     */
    public static TokenState keep(TokenState state, NDArray kept, PositionIds positions) {
        TokenLayout layout = state.layout();
        long batch = state.batchSize();
        if (kept.getShape().dimension() != 2 || kept.getShape().get(0) != batch) {
            throw new InvalidInputException("kept indices must be (" + batch + ", k), got " + kept.getShape());
        }
        int k = (int) kept.getShape().get(1);
        kept = Tensors.asLong(kept);
        NDArray seq = sequenceIndex(layout, kept);
        long length = seq.getShape().get(1);
        long channels = state.channels();
        NDArray tokens = state.tokens().gather(seq.expandDims(2).broadcast(new Shape(batch, length, channels)), 1);
        TokenState.Builder next = state.toBuilder()
                .setTokens(tokens)
                .setLayout(layout.withVisual(k, null))
                .optRestoration(null)
                .optPositionIds(newPositions(state, seq, positions))
                .optVisualIndex(state.visualIndexAfterKeeping(kept));
        if (state.sizes() != null) {
            next.optSizes(state.sizes().gather(seq.expandDims(2), 1));
        }
        return next.build();
    }

    /** The state without any visual token (ToDRE stage 2's drop). */
    public static TokenState dropVisual(TokenState state, PositionIds positions) {
        NDArray none = state.tokens().getManager().zeros(new Shape(state.batchSize(), 0), DataType.INT64);
        return keep(state, none, positions);
    }

    /** Adds the record of a step to {@code after} and wraps both. */
    public static Reduction finish(String op, StepContext context, TokenState before, TokenState after,
            long startNanos, Map<String, Object> details) {
        ReductionRecord record = new ReductionRecord(op, context.at().toString(), before.layout().visual(),
                after.layout().visual(), System.nanoTime() - startNanos, details);
        return new Reduction(after.toBuilder().addRecord(record).build(), record);
    }

    private static NDArray newPositions(TokenState state, NDArray seq, PositionIds mode) {
        NDArray old = state.positionIds();
        long batch = seq.getShape().get(0);
        long length = seq.getShape().get(1);
        if (mode == PositionIds.RENUMBER) {
            // Contiguous again; hosts without explicit ids already assume that.
            return old == null ? null
                    : Tensors.arangeLong(seq.getManager(), 0, length).expandDims(0).repeat(0, old.getShape().get(0));
        }
        if (old == null) {
            // Without explicit ids the original positions are the sequence indices themselves.
            return seq;
        }
        NDArray full = Tensors.asLong(old);
        if (full.getShape().get(0) != batch) {
            full = full.broadcast(new Shape(batch, full.getShape().get(1)));
        }
        return full.gather(seq, 1);
    }
}
