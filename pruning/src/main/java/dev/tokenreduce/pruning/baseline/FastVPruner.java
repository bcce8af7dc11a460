package dev.tokenreduce.pruning.baseline;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.Budgets;
import dev.tokenreduce.pruning.DecoderLayers;
import dev.tokenreduce.pruning.DecoderSignals;
import dev.tokenreduce.pruning.Details;
import dev.tokenreduce.pruning.PositionIds;
import dev.tokenreduce.pruning.SequenceSurgery;
import dev.tokenreduce.pruning.TopK;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code fastv} (Chen et al., ECCV 2024): after decoder layer K (1-based; pruning happens before layer K + 1), keeps
 * the visual tokens the LAST prompt token attends to most in layer K (mean over heads), the top {@code keep} share
 * (default 0.5 = FastV's R = 50 %), sorted; position ids keep their original values unless {@code positions:
 * renumber}. The attention comes from {@link DecoderSignals#LAST_TOKEN_ATTENTION} when the host provides it, else it
 * is computed from {@link DecoderSignals#QUERIES} and {@link DecoderSignals#KEYS} ({@link FastVAttention}).
 *
 * <p>At {@code {decoder-layer: N}} K is N (a {@code layer} parameter must agree); at {@code decoder} K is
 * {@code layer} (default 2) and other layers pass the state through.
 */
public final class FastVPruner implements TokenOperator {

    public static final String ID = "fastv";

    /** FastV's default K. */
    public static final int DEFAULT_LAYER = 2;

    private final OptionalInt layer;
    private final Budget keep;
    private final PositionIds positions;

    /**
     * @param layer K, or empty = the hook point's layer (2 at {@code decoder})
     * @param keep visual tokens kept (count or ratio; FastV's 1 − R)
     * @param positions what happens to position ids
     */
    public FastVPruner(OptionalInt layer, Budget keep, PositionIds positions) {
        this.layer = layer == null ? OptionalInt.empty() : layer;
        this.keep = Objects.requireNonNull(keep, "keep");
        this.positions = Objects.requireNonNull(positions, "positions");
        if (this.layer.isPresent() && this.layer.getAsInt() < 1) {
            throw new InvalidInputException(ID + ": layer must be >= 1, got " + this.layer.getAsInt());
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Reduction apply(TokenState state, StepContext context) {
        long start = System.nanoTime();
        int current = DecoderLayers.current(context, ID);
        int k = target(context, current);
        TokenLayout layout = state.layout();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("layer", current);
        if (current != k) {
            details.put("skipped", "prunes after layer " + k);
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        if (layout.visual() == 0) {
            details.put("skipped", "no visual tokens");
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        int n = layout.visual();
        int count = Budgets.resolve(keep, n, ID);
        NDArray attention = lastTokenAttention(state, context);
        NDArray visual = attention.get(":, {}:{}", layout.prefix(), layout.prefix() + n);
        NDArray kept = TopK.largest(visual, count);
        details.put("requested", count);
        details.put("n", n);
        details.put("kept", Details.indices(kept));
        TokenState next = SequenceSurgery.keep(state, kept, positions);
        return SequenceSurgery.finish(ID, context, state, next, start, details);
    }

    private int target(StepContext context, int current) {
        if (context.at() instanceof HookPoint.AfterDecoderLayer) {
            if (layer.isPresent() && layer.getAsInt() != current) {
                throw new InvalidInputException(ID + ": placed at decoder-layer " + current + " but its layer is "
                        + layer.getAsInt() + "; drop 'layer' or place it at {decoder-layer: " + layer.getAsInt() + "}");
            }
            return current;
        }
        return layer.orElse(DEFAULT_LAYER);
    }

    private static NDArray lastTokenAttention(TokenState state, StepContext context) {
        long length = state.layout().total();
        long batch = state.batchSize();
        NDArray attention = context.signal(DecoderSignals.LAST_TOKEN_ATTENTION).orElse(null);
        if (attention == null) {
            NDArray q = context.requireSignal(DecoderSignals.QUERIES, ID);
            NDArray k = context.requireSignal(DecoderSignals.KEYS, ID);
            if (k.getShape().dimension() == 4 && k.getShape().get(2) != length) {
                throw new InvalidInputException(ID + ": signal '" + DecoderSignals.KEYS + "' covers "
                        + k.getShape().get(2) + " positions but the sequence has " + length);
            }
            attention = FastVAttention.lastTokenAttention(q, k);
        }
        if (attention.getShape().dimension() != 2 || attention.getShape().get(0) != batch
                || attention.getShape().get(1) != length) {
            throw new InvalidInputException(ID + ": the last token's attention must be (" + batch + ", " + length
                    + "), got " + attention.getShape());
        }
        Inputs.requireFinite(attention, ID, "last-token attention");
        return attention;
    }
}
