package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;

/**
 * A dense head that turns the full grid of patch tokens into per-class logit maps. Implementations:
 * {@link LinearSegmentationHead} and {@link MaskTransformerHead}; {@link SegmentationHeads#load} picks one from a
 * checkpoint.
 */
public interface SegmentationHead {

    /** Which head this is. */
    HeadKind kind();

    /** Number of classes K (channels of the logit maps). */
    int numClasses();

    /** Width C of the patch tokens the head reads. */
    int channels();

    /**
     * Logits on the patch grid: (B, h·w, C) patch tokens in row-major grid order → (B, K, h, w), attached to
     * {@code out}.
     *
     * @throws dev.tokenreduce.core.InvalidInputException for tokens of the wrong rank, width or count
     */
    NDArray logitMap(NDArray patchTokens, GridSize grid, NDManager out);
}
