package dev.tokenreduce.pruning.todre;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.DecoderLayers;
import dev.tokenreduce.pruning.DecoderSignals;
import dev.tokenreduce.pruning.Details;
import dev.tokenreduce.pruning.PositionIds;
import dev.tokenreduce.pruning.SequenceSurgery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code todre-relevance}: ToDRE stage 2 inside the decoder during prefill, at {@code {decoder-layer: N}} (or at
 * {@code decoder}, checking the layers of {@code layers}). From the check layer's {@link DecoderSignals#QUERIES} and
 * {@link DecoderSignals#KEYS} it computes α_t→v and α_v→t ({@link RelevanceCheck}); when the condition holds (for
 * every batch element) every visual token is removed from the sequence for all later layers: the new state holds
 * the prefix and suffix tokens with their original position ids and a layout with no visual token. Earlier layers'
 * KV caches are the host's and keep them. Both ratios are recorded ({@code alpha-text-to-visual},
 * {@code alpha-visual-to-text}) with {@code dropped}. No text → no drop; no visual token left → nothing to do.
 *
 * <p>Implemented on {@link TokenOperator} directly: {@link dev.tokenreduce.core.op.AbstractTokenReducer} requires
 * keeping at least one visual token.
 */
public final class TodreRelevanceOperator implements TokenOperator {

    public static final String ID = "todre-relevance";

    private final double tau;
    private final RelevanceCondition condition;
    private final List<Integer> layers;

    /**
     * @param tau threshold (default {@link RelevanceCheck#DEFAULT_TAU})
     * @param condition which ratios must be below τ
     * @param layers 1-based check layers, or {@code null} = the layer of the hook point
     */
    public TodreRelevanceOperator(double tau, RelevanceCondition condition, List<Integer> layers) {
        if (!(tau > 0 && tau <= 1)) {
            throw new InvalidInputException(ID + ": tau must be in (0, 1], got " + tau);
        }
        this.tau = tau;
        this.condition = java.util.Objects.requireNonNull(condition, "condition");
        this.layers = layers == null ? null : List.copyOf(layers);
    }

    @Override
    public String id() {
        return ID;
    }

    public double tau() {
        return tau;
    }

    public RelevanceCondition condition() {
        return condition;
    }

    /** The configured check layers, or {@code null} when the hook point decides. */
    public List<Integer> layers() {
        return layers;
    }

    @Override
    public Reduction apply(TokenState state, StepContext context) {
        long start = System.nanoTime();
        int layer = DecoderLayers.current(context, ID);
        TokenLayout layout = state.layout();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("layer", layer);
        details.put("tau", tau);
        details.put("condition", condition.word());
        if (layers == null && context.at() instanceof dev.tokenreduce.core.policy.HookPoint.Decoder) {
            throw new InvalidInputException(ID + " at 'decoder' needs 'layers' (e.g. the default "
                    + "floor(7L/8) from RelevanceCheck.defaultCheckLayer), or place it at {decoder-layer: N}");
        }
        if (layers != null && !layers.contains(layer)) {
            details.put("skipped", "not a check layer " + layers);
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        if (layout.visual() == 0) {
            details.put("skipped", "no visual tokens left");
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        if (layout.suffix() == 0) {
            details.put("skipped", "no text tokens");
            details.put("dropped", false);
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        NDArray queries = context.requireSignal(DecoderSignals.QUERIES, ID);
        NDArray keys = context.requireSignal(DecoderSignals.KEYS, ID);
        if (queries.getShape().dimension() == 4 && queries.getShape().get(0) != state.batchSize()) {
            throw new InvalidInputException(ID + ": signal '" + DecoderSignals.QUERIES + "' has batch "
                    + queries.getShape().get(0) + " but the state has " + state.batchSize());
        }
        RelevanceRatios ratios = RelevanceCheck.ratios(queries, keys, layout);
        boolean drop = ratios.below(tau, condition);
        details.put("alpha-text-to-visual", Details.perBatch(ratios.textToVisual()));
        details.put("alpha-visual-to-text", Details.perBatch(ratios.visualToText()));
        details.put("dropped", drop);
        TokenState next = drop ? SequenceSurgery.dropVisual(state, PositionIds.KEEP) : state;
        return SequenceSurgery.finish(ID, context, state, next, start, details);
    }
}
