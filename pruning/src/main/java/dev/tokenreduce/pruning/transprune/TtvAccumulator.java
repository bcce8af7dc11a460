package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-layer TTV vectors of one forward pass and their sums. Vectors cover the whole current sequence; when a stage
 * removes tokens every stored vector is re-indexed the same way ({@link #reindex}), so later sums stay aligned.
 * Mutable: one instance per forward pass.
 */
public final class TtvAccumulator {

    private final TreeMap<Integer, NDArray> perLayer = new TreeMap<>();

    /**
     * Stores layer {@code layer}'s TTV.
     *
     * @param layer 1-based layer number
     * @param ttv (B, L) over the current sequence
     */
    public void add(int layer, NDArray ttv) {
        if (ttv.getShape().dimension() != 2) {
            throw new InvalidInputException("transprune: TTV must be (B, L), got " + ttv.getShape());
        }
        if (!perLayer.isEmpty()) {
            NDArray any = perLayer.firstEntry().getValue();
            if (!any.getShape().equals(ttv.getShape())) {
                throw new InvalidInputException("transprune: TTV of layer " + layer + " has shape " + ttv.getShape()
                        + " but the stored ones have " + any.getShape() + " (was a pruning stage not re-indexed?)");
            }
        }
        if (perLayer.put(layer, ttv) != null) {
            throw new InvalidInputException("transprune: TTV of layer " + layer + " stored twice");
        }
    }

    /** Σ of the stored TTV of layers ≤ {@code layer}, (B, L). */
    public NDArray sumUpTo(int layer) {
        Map<Integer, NDArray> head = perLayer.headMap(layer, true);
        if (head.isEmpty()) {
            throw new InvalidInputException("transprune: no TTV accumulated up to layer " + layer
                    + " (accumulate-layers must include a layer at or before each prune-after layer)");
        }
        NDArray sum = null;
        for (NDArray v : head.values()) {
            sum = sum == null ? v : sum.add(v);
        }
        return sum;
    }

    /**
     * Keeps, in every stored vector, the positions {@code sequenceIndex} (B, L') and drops the others.
     */
    public void reindex(NDArray sequenceIndex) {
        perLayer.replaceAll((layer, v) -> v.gather(sequenceIndex, 1));
    }

    /** The 1-based layers stored so far. */
    public java.util.Set<Integer> layers() {
        return java.util.Collections.unmodifiableSet(perLayer.keySet());
    }
}
