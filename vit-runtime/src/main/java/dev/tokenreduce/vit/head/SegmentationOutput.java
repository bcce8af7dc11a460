package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.vit.EncoderOutput;
import java.util.List;

/**
 * One {@link SegmentationModel#predict} result; every array lives in the caller's scope.
 *
 * @param gridLogits (B, classes, H/p, W/p) logits on the full patch grid (restored when tokens were reduced)
 * @param logits (B, classes, height, width) the grid logits bilinearly upsampled to the requested size
 * @param restored whether the logits were reconstructed from reduced tokens through the state's restoration
 * @param encoder the encoder's output (final tokens, token state, reduction records)
 */
public record SegmentationOutput(NDArray gridLogits, NDArray logits, boolean restored, EncoderOutput encoder) {

    /** The reduction records of the encoder run, in run order. */
    public List<ReductionRecord> records() {
        return encoder.records();
    }

    /** (B, height, width) INT64 class predictions (argmax over classes of {@link #logits}). */
    public NDArray predictions() {
        return logits.argMax(1);
    }
}
