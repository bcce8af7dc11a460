package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.vit.ModelFormatException;

/**
 * A linear per-token segmentation head: {@code logits = tokens · Wᵀ + b} on the patch tokens, laid out as a
 * (B, classes, h, w) map and optionally upsampled bilinearly ({@code align_corners=False}) to the label size.
 *
 * <p>Weight names in a safetensors checkpoint (looked up in this order):
 * <ul>
 *   <li>{@value #WEIGHT} (classes, C) and {@value #BIAS} (classes) — the names this project writes;</li>
 *   <li>{@value #MMSEG_WEIGHT} (classes, C, 1, 1) and {@value #MMSEG_BIAS} (classes) — an mmsegmentation-style 1×1
 *       conv, reshaped to (classes, C).</li>
 * </ul>
 * Being linear, the head commutes with any linear restoration of the reduced tokens (Expedit's reconstruction, ToMe's
 * unmerge copies, nearest-kept-token copies) once the bias is added after restoring
 * ({@link #tokenLogitsWithoutBias}): restoring the logits then equals running the head on the restored tokens, up
 * to float rounding. See {@link SegmentationModel}.
 */
public final class LinearSegmentationHead implements SegmentationHead {

    /** Weight (classes, C). */
    public static final String WEIGHT = "head.weight";
    /** Bias (classes). */
    public static final String BIAS = "head.bias";
    /** mmsegmentation-style 1×1 conv weight (classes, C, 1, 1). */
    public static final String MMSEG_WEIGHT = "decode_head.conv_seg.weight";
    /** mmsegmentation-style bias (classes). */
    public static final String MMSEG_BIAS = "decode_head.conv_seg.bias";

    private final NDArray weight;
    private final NDArray bias;

    /**
     * @param weight (classes, C) float32; gradient-tracked arrays are fine (the trainer uses this class too)
     * @param bias (classes) float32
     */
    public LinearSegmentationHead(NDArray weight, NDArray bias) {
        Shape w = weight.getShape();
        if (w.dimension() != 2) {
            throw new InvalidInputException("linear segmentation head: weight must be (classes, C), got " + w);
        }
        if (bias.getShape().dimension() != 1 || bias.getShape().get(0) != w.get(0)) {
            throw new InvalidInputException("linear segmentation head: bias must be (" + w.get(0) + "), got "
                    + bias.getShape());
        }
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Loads the head from a checkpoint into {@code manager} (F32).
     *
     * @throws ModelFormatException when neither naming is present or the shapes disagree
     */
    public static LinearSegmentationHead load(SafetensorsCheckpoint checkpoint, NDManager manager) {
        String where = "linear segmentation head";
        NDArray w;
        NDArray b;
        if (checkpoint.contains(WEIGHT)) {
            w = checkpoint.load(WEIGHT, manager);
            b = require(checkpoint, BIAS, manager);
        } else if (checkpoint.contains(MMSEG_WEIGHT)) {
            w = checkpoint.load(MMSEG_WEIGHT, manager);
            Shape s = w.getShape();
            if (s.dimension() != 4 || s.get(2) != 1 || s.get(3) != 1) {
                throw new ModelFormatException(where + ": " + MMSEG_WEIGHT + " must be (classes, C, 1, 1), got " + s);
            }
            w = w.reshape(s.get(0), s.get(1));
            b = require(checkpoint, MMSEG_BIAS, manager);
        } else {
            throw new ModelFormatException(where + ": the checkpoint has neither '" + WEIGHT + "' nor '"
                    + MMSEG_WEIGHT + "'");
        }
        if (w.getShape().dimension() != 2 || b.getShape().dimension() != 1 || b.getShape().get(0)
                != w.getShape().get(0)) {
            throw new ModelFormatException(where + ": weight " + w.getShape() + " and bias " + b.getShape()
                    + " do not match (classes, C) and (classes)");
        }
        return new LinearSegmentationHead(w.toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                b.toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
    }

    private static NDArray require(SafetensorsCheckpoint checkpoint, String name, NDManager manager) {
        if (!checkpoint.contains(name)) {
            throw new ModelFormatException("linear segmentation head: missing '" + name + "'");
        }
        return checkpoint.load(name, manager);
    }

    /** {@link HeadKind#LINEAR}. */
    @Override
    public HeadKind kind() {
        return HeadKind.LINEAR;
    }

    @Override
    public int numClasses() {
        return (int) weight.getShape().get(0);
    }

    @Override
    public int channels() {
        return (int) weight.getShape().get(1);
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    /**
     * Per-token logits: (B, N, C) → (B, N, classes), attached to {@code out}.
     *
     * @throws InvalidInputException for tokens of the wrong rank or width
     */
    public NDArray tokenLogits(NDArray tokens, NDManager out) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(2) != channels()) {
            throw new InvalidInputException("linear segmentation head: tokens must be (B, N, " + channels()
                    + "), got " + s);
        }
        NDArray logits = Linear.linear(tokens, weight, bias).singletonOrThrow();
        if (logits.getManager() != out) {
            logits.attach(out);
        }
        return logits;
    }

    /**
     * Per-token logits without the bias, {@code tokens · Wᵀ}: (B, N, C) → (B, N, classes). Restorations are linear
     * but not always convex (Expedit's official L2-normalised weights do not sum to one), so a host that restores
     * logits restores these and adds {@link #bias()} afterwards, which equals the head on restored tokens exactly.
     */
    public NDArray tokenLogitsWithoutBias(NDArray tokens, NDManager out) {
        Shape s = tokens.getShape();
        if (s.dimension() != 3 || s.get(2) != channels()) {
            throw new InvalidInputException("linear segmentation head: tokens must be (B, N, " + channels()
                    + "), got " + s);
        }
        NDArray logits = Linear.linear(tokens, weight).singletonOrThrow();
        if (logits.getManager() != out) {
            logits.attach(out);
        }
        return logits;
    }

    /**
     * Token-aligned logits (B, h·w, classes) laid out as a (B, classes, h, w) map, row-major like the patch grid.
     */
    public static NDArray toMap(NDArray tokenLogits, GridSize grid, NDManager out) {
        Shape s = tokenLogits.getShape();
        if (s.dimension() != 3 || s.get(1) != grid.cells()) {
            throw new InvalidInputException("linear segmentation head: logits must be (B, " + grid.cells()
                    + ", classes) for grid " + grid + ", got " + s);
        }
        NDArray map = tokenLogits.transpose(0, 2, 1).reshape(s.get(0), s.get(2), grid.height(), grid.width());
        if (map.getManager() != out) {
            map.attach(out);
        }
        return map;
    }

    /** {@link #tokenLogits} on all {@code grid} patch tokens, as a (B, classes, h, w) map. */
    @Override
    public NDArray logitMap(NDArray patchTokens, GridSize grid, NDManager out) {
        try (NDManager sub = out.newSubManager()) {
            NDArray map = toMap(tokenLogits(patchTokens, sub), grid, sub);
            map.attach(out);
            return map;
        }
    }
}
