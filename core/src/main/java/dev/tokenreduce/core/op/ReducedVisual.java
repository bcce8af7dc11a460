package dev.tokenreduce.core.op;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.token.Restoration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a reducer decided about the visual span: either which tokens to keep ({@link #kept}) or the merged tokens
 * that replace them ({@link #merged}). The base class does the rest (prefix/suffix, positions, records).
 */
public final class ReducedVisual {

    private final NDArray keptIndices;
    private final NDArray mergedTokens;
    private final GridSize grid;
    private final Restoration restoration;
    private final NDArray mergedSizes;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private ReducedVisual(NDArray keptIndices, NDArray mergedTokens, GridSize grid, Restoration restoration,
            NDArray mergedSizes) {
        this.keptIndices = keptIndices;
        this.mergedTokens = mergedTokens;
        this.grid = grid;
        this.restoration = restoration;
        this.mergedSizes = mergedSizes;
    }

    /**
     * Keep these visual tokens. The base class sorts the indices, so original order and positions are kept.
     *
     * @param keptIndices (B, k) integer indices into the visual span
     */
    public static ReducedVisual kept(NDArray keptIndices) {
        return new ReducedVisual(keptIndices, null, null, null, null);
    }

    /**
     * Replace the visual span by merged tokens.
     *
     * @param tokens (B, M, C) new visual tokens
     * @param grid their 2-D arrangement, or {@code null}
     * @param restoration maps tensors aligned with them back to the visual tokens before the merge (may be null)
     */
    public static ReducedVisual merged(NDArray tokens, GridSize grid, Restoration restoration) {
        return new ReducedVisual(null, tokens, grid, restoration, null);
    }

    /** Same as {@link #merged(NDArray, GridSize, Restoration)} with ToMe-style sizes (B, M, 1) of the new tokens. */
    public static ReducedVisual merged(NDArray tokens, GridSize grid, Restoration restoration, NDArray sizes) {
        return new ReducedVisual(null, tokens, grid, restoration, sizes);
    }

    /** Adds a detail for the record (numbers, strings, arrays). */
    public ReducedVisual withDetail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public boolean isSelection() {
        return keptIndices != null;
    }

    public NDArray keptIndices() {
        return keptIndices;
    }

    public NDArray mergedTokens() {
        return mergedTokens;
    }

    public GridSize grid() {
        return grid;
    }

    public Restoration restoration() {
        return restoration;
    }

    public NDArray mergedSizes() {
        return mergedSizes;
    }

    public Map<String, Object> details() {
        return details;
    }
}
