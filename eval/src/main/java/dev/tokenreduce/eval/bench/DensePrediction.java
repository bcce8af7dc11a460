package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.token.TokenState;
import java.util.List;

/**
 * One dense forward pass: logits on the full patch grid (reduced tokens already restored) and what the reduction
 * did. Arrays live in the scope passed to {@link DensePredictor#predict}.
 *
 * @param logits (B, classes, gridHeight, gridWidth)
 * @param gridTokens final patch tokens on the full grid (B, cells, C), restored through the state's restoration
 * @param state the encoder's final token state (layout, kept indices, restoration)
 * @param records what every policy step did, in order
 * @param grid the input's patch grid
 */
public record DensePrediction(NDArray logits, NDArray gridTokens, TokenState state, List<ReductionRecord> records,
        GridSize grid) {

    public DensePrediction {
        records = List.copyOf(records);
    }
}
