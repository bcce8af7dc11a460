package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.pruning.Details;
import dev.tokenreduce.pruning.PositionIds;
import dev.tokenreduce.pruning.SequenceSurgery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one TransPrune prefill: accumulated TTV, the current layout and position ids, and which original
 * image tokens remain. A decoder calls {@link #observe} after every layer and {@link #prune} after each prune-after
 * layer (see {@link TransPruneOperator}). Layer indices are 0-based ({@code layerIndex = layer − 1}). Mutable and
 * not thread-safe: one per forward pass, arrays in that pass's NDManager.
 */
public final class TransPruneSession {

    private final TransPruneOperator op;
    private final TtvAccumulator ttv = new TtvAccumulator();
    private final int originalImageTokens;
    private final int originalLength;
    private final List<ReductionRecord> records = new ArrayList<>();
    private TokenLayout layout;
    private NDArray positionIds;
    private NDArray originalImageIndex;

    TransPruneSession(TransPruneOperator op, TokenLayout layout, NDArray positionIds) {
        this.op = op;
        this.layout = layout;
        this.originalImageTokens = layout.visual();
        this.originalLength = layout.total();
        this.positionIds = positionIds;
        if (positionIds != null && (positionIds.getShape().dimension() != 2
                || positionIds.getShape().get(1) != layout.total())) {
            throw new InvalidInputException("transprune: position ids must be (B, " + layout.total() + "), got "
                    + positionIds.getShape());
        }
    }

    /**
     * Records layer {@code layerIndex}'s sub-module tensors when the layer is in accumulate-layers (otherwise
     * nothing is computed). All four are (B, L, C) over the current sequence.
     *
     * @param attnIn attention input after the input norm
     * @param attnOut attention output (after o_proj) before the residual add
     * @param ffnIn FFN input after the post-attention norm
     * @param ffnOut FFN output before the residual add
     */
    public void observe(int layerIndex, NDArray attnIn, NDArray attnOut, NDArray ffnIn, NDArray ffnOut) {
        int layer = layerIndex + 1;
        if (!op.schedule().accumulates(layer) || layout.visual() == 0) {
            return;
        }
        if (attnIn.getShape().dimension() != 3 || attnIn.getShape().get(1) != layout.total()) {
            throw new InvalidInputException("transprune: layer " + layer + " tensors must be (B, " + layout.total()
                    + ", C) for the current sequence (" + layout + "), got " + attnIn.getShape());
        }
        ttv.add(layer, TokenTransitionVariation.layer(attnIn, attnOut, ffnIn, ffnOut, op.direction()));
    }

    /** Whether the decoder must call {@link #prune} after layer {@code layerIndex}. */
    public boolean prunesAfter(int layerIndex) {
        return op.schedule().stageAfter(layerIndex + 1) >= 0 && layout.visual() > 0;
    }

    /**
     * The instruction-guided attention for a prune after this layer, from the next layer's weights.
     *
     * @param hidden (B, L, C) hidden states after the pruning layer
     */
    public NDArray iga(NDArray hidden, IgaWeights nextLayer) {
        return InstructionGuidedAttention.compute(hidden, positionIds, layout, nextLayer);
    }

    /**
     * Prunes image tokens after layer {@code layerIndex} (which must be in prune-after).
     *
     * @param hidden (B, L, C) hidden states after that layer
     * @param iga (B, image tokens) instruction-guided attention ({@link #iga})
     * @return the remaining hidden states, position ids and layout, and what was kept
     */
    public TransPruneStep prune(int layerIndex, NDArray hidden, NDArray iga) {
        long start = System.nanoTime();
        int layer = layerIndex + 1;
        int stage = op.schedule().stageAfter(layer);
        if (stage < 0) {
            throw new InvalidInputException("transprune: layer " + layer + " is not in prune-after "
                    + op.schedule().pruneAfter());
        }
        if (hidden.getShape().dimension() != 3 || hidden.getShape().get(1) != layout.total()) {
            throw new InvalidInputException("transprune: hidden states must be (B, " + layout.total() + ", C), got "
                    + hidden.getShape());
        }
        long batch = hidden.getShape().get(0);
        int before = layout.visual();
        NDArray currentPositions = positions(hidden);
        if (originalImageIndex == null) {
            originalImageIndex = Tensors.arangeLong(hidden.getManager(), 0, before).expandDims(0).repeat(0, batch);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("layer", layer);
        details.put("stage", stage + 1);
        details.put("original-image-tokens", originalImageTokens);
        NDArray kept;
        if (before == 0) {
            kept = hidden.getManager().zeros(new Shape(batch, 0), ai.djl.ndarray.types.DataType.INT64);
            details.put("skipped", "no image tokens");
        } else {
            int keep = op.schedule().keep(stage, originalImageTokens);
            details.put("requested", keep);
            kept = keep >= before
                    ? Tensors.arangeLong(hidden.getManager(), 0, before).expandDims(0).repeat(0, batch)
                    : op.select(ttv.sumUpTo(layer), iga, layout, keep);
        }
        NDArray seq = SequenceSurgery.sequenceIndex(layout, kept);
        long length = seq.getShape().get(1);
        NDArray nextHidden = hidden.gather(seq.expandDims(2).broadcast(new Shape(batch, length, hidden.getShape().get(2))), 1);
        NDArray nextPositions;
        if (op.positions() == PositionIds.RENUMBER) {
            nextPositions = Tensors.arangeLong(hidden.getManager(), 0, length).expandDims(0);
        } else {
            NDArray full = currentPositions.getShape().get(0) == batch ? currentPositions
                    : currentPositions.broadcast(new Shape(batch, currentPositions.getShape().get(1)));
            nextPositions = full.gather(seq, 1);
        }
        NDArray originalKept = originalImageIndex.gather(kept, 1);
        ttv.reindex(seq);
        TokenLayout next = layout.withVisual((int) kept.getShape().get(1), null);
        details.put("kept", Details.indices(originalKept));
        ReductionRecord record = new ReductionRecord(TransPruneOperator.ID, "decoder layer " + layer, before,
                next.visual(), System.nanoTime() - start, details);
        records.add(record);
        layout = next;
        positionIds = nextPositions;
        originalImageIndex = originalKept;
        return new TransPruneStep(layer, stage, kept, originalKept, seq, nextHidden, nextPositions, next, record);
    }

    private NDArray positions(NDArray hidden) {
        if (positionIds == null) {
            positionIds = Tensors.arangeLong(hidden.getManager(), 0, layout.total()).expandDims(0);
        }
        return Tensors.asLong(positionIds);
    }

    /** The current layout. */
    public TokenLayout layout() {
        return layout;
    }

    /** The current position ids ((B or 1, L)), or {@code null} while they are still 0..L−1 and never asked for. */
    public NDArray positionIds() {
        return positionIds;
    }

    /** (B, image tokens) the original image-token index of each remaining image token, or {@code null} before any stage. */
    public NDArray originalImageIndex() {
        return originalImageIndex;
    }

    /** N0. */
    public int originalImageTokens() {
        return originalImageTokens;
    }

    /** Tokens removed so far: the shift of the next decoded token's position id when positions are renumbered. */
    public int removedTokens() {
        return originalLength - layout.total();
    }

    /** The accumulated TTV store (for inspection and tests). */
    public TtvAccumulator accumulator() {
        return ttv;
    }

    /** One record per stage run so far. */
    public List<ReductionRecord> records() {
        return Collections.unmodifiableList(records);
    }
}
