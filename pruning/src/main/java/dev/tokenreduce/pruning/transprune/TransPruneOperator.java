package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.DecoderLayers;
import dev.tokenreduce.pruning.Details;
import dev.tokenreduce.pruning.PositionIds;
import dev.tokenreduce.pruning.SequenceSurgery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code transprune} at hook {@code decoder}: progressive image-token pruning during prefill (see the package
 * documentation). Immutable configuration; the per-forward-pass state lives in a {@link TransPruneSession}
 * ({@link #newSession}), which a decoder drives layer by layer:
 * <pre>{@code
 * TransPruneSession s = op.newSession(layout, positionIds, numLayers);
 * for (int i = 0; i < numLayers; i++) {
 *     h = layer[i].forward(h, s.positionIds());            // the layer reports its sub-module tensors:
 *     s.observe(i, attnIn, attnOut, ffnIn, ffnOut);        //   inputs after pre-norm, outputs before residual
 *     if (s.prunesAfter(i)) {
 *         TransPruneStep step = s.prune(i, h, s.iga(h, igaWeightsOf(layer[i + 1])));
 *         h = step.hiddenState();                          // shorter sequence for layers i+1..
 *     }
 * }
 * }</pre>
 * {@link #apply} is the same pruning step without a session: it reads the accumulated TTV and the IGA from
 * {@link TransPruneSignals} and runs at the prune-after layers only.
 */
public final class TransPruneOperator implements TokenOperator {

    public static final String ID = "transprune";

    private final TransPruneSchedule schedule;
    private final double alpha;
    private final TtvDirection direction;
    private final PositionIds positions;

    /**
     * @param schedule layers and keep ratios
     * @param alpha weight of the TTV term, in [0, 1] (official: 0.5)
     * @param direction TTV form (official: {@link TtvDirection#CODE})
     * @param positions position ids after a stage (official: {@link PositionIds#RENUMBER})
     */
    public TransPruneOperator(TransPruneSchedule schedule, double alpha, TtvDirection direction, PositionIds positions) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new InvalidInputException("transprune: alpha must be in [0, 1], got " + alpha);
        }
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.alpha = alpha;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.positions = Objects.requireNonNull(positions, "positions");
    }

    @Override
    public String id() {
        return ID;
    }

    public TransPruneSchedule schedule() {
        return schedule;
    }

    public double alpha() {
        return alpha;
    }

    public TtvDirection direction() {
        return direction;
    }

    public PositionIds positions() {
        return positions;
    }

    /**
     * Starts one forward pass.
     *
     * @param layout the prefill sequence: [system prompt, image tokens, instruction]
     * @param positionIds (B or 1, L) position ids, or {@code null} for 0..L−1
     * @param numLayers decoder layers (validates the schedule against them)
     */
    public TransPruneSession newSession(TokenLayout layout, NDArray positionIds, int numLayers) {
        schedule.validateFor(numLayers);
        return new TransPruneSession(this, layout, positionIds);
    }

    /**
     * One pruning step without a session, after the layer the context names. Needs {@link TransPruneSignals#TTV}
     * and {@link TransPruneSignals#IGA}; at other layers, or without image tokens, the state passes unchanged (with
     * a record saying so). N0 is the image-token count at the first stage, carried to later stages in the records.
     */
    @Override
    public Reduction apply(TokenState state, StepContext context) {
        long start = System.nanoTime();
        int layer = DecoderLayers.current(context, ID);
        int stage = schedule.stageAfter(layer);
        TokenLayout layout = state.layout();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("layer", layer);
        if (stage < 0 || layout.visual() == 0) {
            details.put("skipped", stage < 0 ? "not a prune-after layer" : "no image tokens");
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        int original = stage == 0 ? layout.visual() : originalCount(state, stage);
        NDArray ttv = context.requireSignal(TransPruneSignals.TTV, ID);
        NDArray iga = context.requireSignal(TransPruneSignals.IGA, ID);
        if (ttv.getShape().dimension() != 2 || ttv.getShape().get(1) != layout.total()) {
            throw new InvalidInputException(ID + ": signal '" + TransPruneSignals.TTV + "' must be (B, "
                    + layout.total() + "), got " + ttv.getShape());
        }
        int keep = schedule.keep(stage, original);
        details.put("stage", stage + 1);
        details.put("original-image-tokens", original);
        details.put("requested", keep);
        if (keep >= layout.visual()) {
            details.put("skipped", "keep " + keep + " >= " + layout.visual() + " image tokens present");
            return SequenceSurgery.finish(ID, context, state, state, start, details);
        }
        NDArray kept = select(ttv, iga, layout, keep);
        details.put("kept", Details.indices(kept));
        TokenState next = SequenceSurgery.keep(state, kept, positions);
        return SequenceSurgery.finish(ID, context, state, next, start, details);
    }

    /** The kept image tokens (B, keep), sorted: score over the image slice of the sequence-wide TTV. */
    NDArray select(NDArray sequenceTtv, NDArray iga, TokenLayout layout, int keep) {
        NDArray imageTtv = sequenceTtv.get(":, {}:{}", layout.prefix(), layout.prefix() + layout.visual());
        if (iga.getShape().dimension() != 2 || iga.getShape().get(1) != layout.visual()) {
            throw new InvalidInputException(ID + ": IGA must be (B, " + layout.visual() + ") over the image tokens, got "
                    + iga.getShape());
        }
        return TransPruneScore.select(imageTtv, iga, alpha, keep);
    }

    private static int originalCount(TokenState state, int stage) {
        List<ReductionRecord> records = state.records();
        for (int i = records.size() - 1; i >= 0; i--) {
            ReductionRecord r = records.get(i);
            if (ID.equals(r.op()) && r.details().get("original-image-tokens") instanceof Integer n) {
                return n;
            }
        }
        throw new InvalidInputException(ID + ": stage " + (stage + 1) + " runs without the record of stage 1, so the"
                + " original image-token count N0 is unknown (run every stage on the same state, or use a session)");
    }

    @Override
    public String toString() {
        return ID + "{" + schedule + ", alpha " + alpha + ", direction " + direction.word() + ", positions "
                + positions.word() + "}";
    }
}
