package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.encoder.VitForward;

/**
 * LLaVA's use of the CLIP tower: the blocks up to the feature layer (later blocks never run), the feature tokens
 * selected by the strategy, and the [CLS] attention of the block whose output is the feature layer (softmax of the
 * [CLS] query over all keys, mean over heads; the columns of the selected tokens).
 */
final class VisionTower {

    private final LlavaConfig config;
    private final VitForward forward;

    VisionTower(LlavaConfig config, VitForward forward) {
        this.config = config;
        this.forward = forward;
    }

    /** Feature-layer tokens and [CLS] attention of one batch of images; both are attached to {@code out}. */
    record Output(NDArray features, NDArray clsAttention) {}

    /**
     * @param pixels (B, channels, H, W) normalised, H and W multiples of the patch size
     */
    Output run(NDArray pixels, NDManager out, boolean checkFinite) {
        VitConfig v = config.vision();
        GridSize grid = checkPixels(pixels, checkFinite);
        int blocks = config.featureBlocks();
        int prefix = v.prefixTokens();
        try (NDManager sub = out.newSubManager()) {
            NDArray x = pixels.toType(DataType.FLOAT32, false);
            x = forward.embeddings(x, grid, sub);
            NDArray cls = null;
            for (int i = 0; i < blocks; i++) {
                if (i == blocks - 1 && v.classToken()) {
                    cls = forward.clsAttention(x, i, sub);
                }
                x = forward.block(x, i, null, sub);
            }
            boolean full = config.featureSelect() == FeatureSelect.FULL;
            NDArray features = full ? x : x.get(":, {}:", prefix);
            NDArray attention = cls == null ? null : full ? cls : cls.get(":, {}:", prefix);
            features = Scoped.own(features.duplicate(), out);
            if (attention != null) {
                attention = Scoped.own(attention.duplicate(), out);
            }
            return new Output(features, attention);
        }
    }

    private GridSize checkPixels(NDArray pixels, boolean checkFinite) {
        VitConfig v = config.vision();
        Shape s = pixels.getShape();
        String who = "llava vision tower";
        if (s.dimension() != 4 || s.get(1) != v.channels()) {
            throw new InvalidInputException(who + ": pixel_values must be (B, " + v.channels() + ", H, W), got " + s);
        }
        int p = v.patchSize();
        if (s.get(2) < p || s.get(3) < p || s.get(2) % p != 0 || s.get(3) % p != 0) {
            throw new InvalidInputException(who + ": image size " + s.get(2) + "x" + s.get(3)
                    + " must be a positive multiple of the patch size " + p + " (the checkpoint expects "
                    + v.imageHeight() + "x" + v.imageWidth() + ")");
        }
        if (!pixels.getDataType().isFloating()) {
            throw new InvalidInputException(who + ": pixel_values must be floating point, got " + pixels.getDataType());
        }
        if (checkFinite) {
            Inputs.requireFinite(pixels, who, "pixel_values");
        }
        return new GridSize((int) (s.get(2) / p), (int) (s.get(3) / p));
    }
}
