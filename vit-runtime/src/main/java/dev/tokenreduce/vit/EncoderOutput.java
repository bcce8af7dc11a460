package dev.tokenreduce.vit;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one forward pass produced. Its arrays belong to the NDManager scope passed to
 * {@link VisionEncoder#encode}; they are valid until that scope closes.
 */
public final class EncoderOutput {

    private final TokenState state;
    private final NDArray reconstructed;
    private final Map<String, NDArray> intermediates;
    private final GridSize inputGrid;

    EncoderOutput(TokenState state, NDArray reconstructed, Map<String, NDArray> intermediates, GridSize inputGrid) {
        this.state = state;
        this.reconstructed = reconstructed;
        this.intermediates = Collections.unmodifiableMap(new LinkedHashMap<>(intermediates));
        this.inputGrid = inputGrid;
    }

    /** All tokens after the final norm and the output steps: (B, prefix + visual, C), prefix tokens first. */
    public NDArray finalTokens() {
        return state.tokens();
    }

    /** The prefix tokens ([CLS], distillation, registers) of {@link #finalTokens()}: (B, prefix, C). */
    public NDArray prefixTokens() {
        return state.prefixTokens();
    }

    /** The (possibly reduced) patch tokens of {@link #finalTokens()}: (B, visual, C). */
    public NDArray patchTokens() {
        return state.visualTokens();
    }

    /**
     * The final patch tokens restored to the input's full patch grid, (B, grid cells, C), through the state's
     * restoration (Expedit reconstruction, ToMe unmerge, nearest kept token), or {@code null} when nothing was
     * reduced in a restorable way (or restoration was turned off).
     */
    public NDArray reconstructed() {
        return reconstructed;
    }

    /** Recorded intermediate outputs by name ({@code embeddings}, {@code block.i}, {@code final}), in run order. */
    public Map<String, NDArray> intermediates() {
        return intermediates;
    }

    /** One recorded intermediate output, or an error listing the recorded ones. */
    public NDArray intermediate(String name) {
        NDArray a = intermediates.get(name);
        if (a == null) {
            throw new IllegalArgumentException("intermediate '" + name + "' was not recorded; recorded: "
                    + intermediates.keySet() + " (ask for it with EncodeOptions.optRecord)");
        }
        return a;
    }

    /** What every policy step did, in order. */
    public List<ReductionRecord> records() {
        return state.records();
    }

    /** The final token state (layout, sizes, restoration, records). */
    public TokenState state() {
        return state;
    }

    /** The patch grid of the input image. */
    public GridSize inputGrid() {
        return inputGrid;
    }
}
