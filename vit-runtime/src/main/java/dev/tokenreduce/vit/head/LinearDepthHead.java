package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.vit.ModelFormatException;

/**
 * A linear per-token depth head: {@code depth = act(tokens · Wᵀ + b)} with one output per patch token, laid out as a
 * (B, 1, h, w) map of metres. The activation ({@link DepthActivation}) runs on the patch grid, so the map is already
 * in metres before a caller upsamples it bilinearly (bilinear weights are convex, so positive depths stay positive
 * and a sigmoid-bounded map stays below {@code max_depth}).
 *
 * <p>Weights: {@value #WEIGHT} (1, C) and {@value #BIAS} (1), the linear segmentation head's names with one output.
 * The head is a {@link SegmentationHead} with a single channel so every host of dense heads (the segmentation model,
 * the benchmark's predictor) runs it unchanged; being non-linear after the activation, hosts restore the reduced
 * <em>tokens</em> before it (Expedit's reconstruction, ToMe's unmerge), as for the mask transformer.
 */
public final class LinearDepthHead implements SegmentationHead {

    /** Weight (1, C). */
    public static final String WEIGHT = LinearSegmentationHead.WEIGHT;
    /** Bias (1). */
    public static final String BIAS = LinearSegmentationHead.BIAS;

    private final NDArray weight;
    private final NDArray bias;
    private final DepthActivation activation;
    private final float maxDepth;

    /**
     * @param weight (1, C) float32
     * @param bias (1) float32
     * @param activation raw output → metres
     * @param maxDepth upper bound in metres for {@link DepthActivation#SIGMOID} (NaN otherwise allowed)
     * @throws InvalidInputException for mis-shaped weights or a sigmoid without a positive maximum depth
     */
    public LinearDepthHead(NDArray weight, NDArray bias, DepthActivation activation, float maxDepth) {
        Shape w = weight.getShape();
        if (w.dimension() != 2 || w.get(0) != 1) {
            throw new InvalidInputException("linear depth head: " + WEIGHT + " must be (1, C), got " + w);
        }
        if (bias.getShape().dimension() != 1 || bias.getShape().get(0) != 1) {
            throw new InvalidInputException("linear depth head: " + BIAS + " must be (1), got " + bias.getShape());
        }
        if (activation == DepthActivation.SIGMOID && !(maxDepth > 0)) {
            throw new InvalidInputException("linear depth head: the sigmoid activation needs a positive max_depth,"
                    + " got " + maxDepth);
        }
        this.weight = weight;
        this.bias = bias;
        this.activation = activation;
        this.maxDepth = maxDepth;
    }

    /**
     * Loads {@value #WEIGHT} and {@value #BIAS} from {@code checkpoint} into {@code manager} (F32).
     *
     * @throws ModelFormatException for missing or mis-shaped tensors, or a sigmoid without a positive max depth
     */
    public static LinearDepthHead load(SafetensorsCheckpoint checkpoint, DepthActivation activation, float maxDepth,
            NDManager manager) {
        for (String name : new String[] {WEIGHT, BIAS}) {
            if (!checkpoint.contains(name)) {
                throw new ModelFormatException("linear depth head: " + checkpoint.path() + " has no '" + name + "'");
            }
        }
        NDArray w = checkpoint.load(WEIGHT, manager);
        NDArray b = checkpoint.load(BIAS, manager);
        if (w.getShape().dimension() != 2 || w.getShape().get(0) != 1) {
            throw new ModelFormatException("linear depth head: '" + WEIGHT + "' must be (1, C) for one depth output"
                    + " per token, got " + w.getShape() + " in " + checkpoint.path());
        }
        if (b.getShape().dimension() != 1 || b.getShape().get(0) != 1) {
            throw new ModelFormatException("linear depth head: '" + BIAS + "' must be (1), got " + b.getShape()
                    + " in " + checkpoint.path());
        }
        if (activation == DepthActivation.SIGMOID && !(maxDepth > 0)) {
            throw new ModelFormatException("linear depth head: the sigmoid activation needs a positive max_depth");
        }
        return new LinearDepthHead(w.toType(DataType.FLOAT32, false), b.toType(DataType.FLOAT32, false), activation,
                maxDepth);
    }

    /** {@link HeadKind#LINEAR_DEPTH}. */
    @Override
    public HeadKind kind() {
        return HeadKind.LINEAR_DEPTH;
    }

    /** One output channel: depth. */
    @Override
    public int numClasses() {
        return 1;
    }

    @Override
    public int channels() {
        return (int) weight.getShape().get(1);
    }

    public DepthActivation activation() {
        return activation;
    }

    /** The sigmoid's upper bound in metres (NaN when not set). */
    public float maxDepth() {
        return maxDepth;
    }

    /**
     * Depth on the patch grid: (B, h·w, C) patch tokens → (B, 1, h, w) metres, attached to {@code out}.
     *
     * @throws InvalidInputException for tokens of the wrong rank, width or count
     */
    @Override
    public NDArray logitMap(NDArray patchTokens, GridSize grid, NDManager out) {
        Shape s = patchTokens.getShape();
        if (s.dimension() != 3 || s.get(2) != channels() || s.get(1) != grid.cells()) {
            throw new InvalidInputException("linear depth head: tokens must be (B, " + grid.cells() + ", "
                    + channels() + ") for grid " + grid + ", got " + s);
        }
        try (NDManager sub = out.newSubManager()) {
            NDArray raw = Linear.linear(patchTokens, weight, bias).singletonOrThrow();
            raw.attach(sub);
            NDArray depth = activation.apply(raw, maxDepth).reshape(s.get(0), 1, grid.height(), grid.width());
            depth.attach(out);
            return depth;
        }
    }
}
