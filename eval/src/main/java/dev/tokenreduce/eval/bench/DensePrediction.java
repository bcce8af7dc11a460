package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenState;
import java.util.ArrayList;
import java.util.List;

/**
 * One dense prediction of an image: logits (reduced tokens already restored) and what the reduction did. Arrays live
 * in the scope passed to {@link DensePredictor#predict}.
 *
 * <p>A whole-image pass has one window; a {@link SlidingWindowPredictor} run has one entry of
 * {@link #windowRecords()} per window, so FLOPs per image can be summed over the windows.
 *
 * @param logits (B, classes, gridHeight, gridWidth) for a whole-image pass; (1, classes, H, W) at pixel resolution
 *     for a sliding-window run (windows upsampled to the crop and stitched)
 * @param gridTokens final patch tokens on the full grid (B, cells, C), restored through the state's restoration; one
 *     batch row per window in a sliding-window run
 * @param state the encoder's final token state (layout, kept indices, restoration); of the first forward pass in a
 *     sliding-window run
 * @param records what every policy step did, in order (of the first window in a sliding-window run)
 * @param grid the patch grid of one forward pass (the crop's grid in a sliding-window run)
 * @param windowRecords the records of every forward window, in window order (one entry for a whole-image pass)
 */
public record DensePrediction(NDArray logits, NDArray gridTokens, TokenState state, List<ReductionRecord> records,
        GridSize grid, List<List<ReductionRecord>> windowRecords) {

    public DensePrediction {
        records = List.copyOf(records);
        if (windowRecords.isEmpty()) {
            throw new InvalidInputException("DensePrediction: windowRecords needs at least one window");
        }
        List<List<ReductionRecord>> copy = new ArrayList<>(windowRecords.size());
        for (List<ReductionRecord> w : windowRecords) {
            copy.add(List.copyOf(w));
        }
        windowRecords = List.copyOf(copy);
    }

    /** A whole-image pass: one window whose records are {@code records}. */
    public DensePrediction(NDArray logits, NDArray gridTokens, TokenState state, List<ReductionRecord> records,
            GridSize grid) {
        this(logits, gridTokens, state, records, grid, List.of(records));
    }

    /** Forward windows behind this prediction (1 for a whole-image pass). */
    public int windows() {
        return windowRecords.size();
    }
}
