package dev.tokenreduce.eval.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.readers.Task;
import dev.tokenreduce.eval.flops.FlopCount;
import dev.tokenreduce.eval.flops.VitShape;
import java.util.Map;

/**
 * A dense model as the benchmark sees it: normalised pixels and a policy in, full-grid logits (or, for a depth model,
 * a one-channel map of metres) out, plus what the report needs to describe and count it.
 */
public interface DensePredictor extends AutoCloseable {

    /**
     * One forward pass under {@code policy} ({@link Policy#none()} for the baseline).
     *
     * @param pixels (B, 3, H, W) normalised with {@link #normalization()}
     * @param scope receives every array of the result
     * @param seed handed to operators with randomness
     */
    DensePrediction predict(NDArray pixels, Policy policy, NDManager scope, long seed);

    /** Classes the head predicts (1 for a depth model). */
    int numClasses();

    /** What the head predicts: {@link Task#SEGMENTATION} (default) or {@link Task#DEPTH} (metres, one channel). */
    default Task task() {
        return Task.SEGMENTATION;
    }

    /** The mean/std the model was trained with. */
    Normalization normalization();

    /** The square side (pixels) the model was trained at. */
    int imageSize();

    /** The patch side in pixels. */
    int patchSize();

    /** The encoder's shape on {@code grid}, for FLOPs. */
    VitShape shape(GridSize grid);

    /** The head's own FLOPs per image on {@code grid} (it always runs on the full grid). */
    FlopCount headFlops(GridSize grid);

    /** A description for the report (source, sizes). */
    Map<String, Object> describe();

    /** Frees the weights. */
    @Override
    void close();
}
