package dev.tokenreduce.vit.head;

import static dev.tokenreduce.vit.head.MaskTransformerLayer.own;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.vit.ModelFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Segmenter's mask-transformer decoder (Strudel et al. 2021), with the semantics and tensor names of
 * mmsegmentation's {@code SegmenterMaskTransformerHead} at inference:
 * <ol>
 *   <li>patch tokens (B, N, C) → {@code dec_proj} linear to width D;</li>
 *   <li>K learned class embeddings {@code cls_emb} (1, K, D) appended after the N patches;</li>
 *   <li>{@code layers.*}: pre-norm transformer layers ({@link MaskTransformerLayer}) on the N + K tokens;</li>
 *   <li>{@code decoder_norm} LayerNorm; {@code patch_proj} (no bias) on the first N tokens, {@code classes_proj}
 *       (no bias) on the last K, each L2-normalised over channels;</li>
 *   <li>masks = patches · classesᵀ (B, N, K), {@code mask_norm} LayerNorm over the K scores, laid out as
 *       (B, K, h, w).</li>
 * </ol>
 * All LayerNorms use eps {@value #DEFAULT_EPS} (mmseg's {@code norm_cfg=dict(type='LN')} default) unless
 * {@link Builder#optEps} says otherwise. The head count is not recoverable from tensor shapes and must be given;
 * everything else (K, D, C, layer count, FFN width) is read from the shapes. The decoder mixes tokens
 * (attention), so it needs the complete patch grid; see {@link SegmentationModel} for reduced-token runs.
 */
public final class MaskTransformerHead implements SegmentationHead {

    /** LayerNorm epsilon of mmseg's default {@code LN} config. */
    public static final float DEFAULT_EPS = 1e-5f;

    /** F.normalize's lower bound on the norm. */
    private static final double NORMALIZE_EPS = 1e-12;

    private final MaskTransformerSpec spec;
    private final float eps;
    private final NDArray decProjWeight;
    private final NDArray decProjBias;
    private final NDArray clsEmb;
    private final List<MaskTransformerLayer> layers;
    private final NDArray decoderNormWeight;
    private final NDArray decoderNormBias;
    private final NDArray patchProj;
    private final NDArray classesProj;
    private final NDArray maskNormWeight;
    private final NDArray maskNormBias;

    private MaskTransformerHead(MaskTransformerSpec spec, float eps, Map<String, NDArray> t) {
        this.spec = spec;
        this.eps = eps;
        this.decProjWeight = t.get(MaskTransformerNames.DEC_PROJ_WEIGHT);
        this.decProjBias = t.get(MaskTransformerNames.DEC_PROJ_BIAS);
        this.clsEmb = t.get(MaskTransformerNames.CLS_EMB);
        List<MaskTransformerLayer> list = new ArrayList<>();
        for (int i = 0; i < spec.layers; i++) {
            list.add(new MaskTransformerLayer(t, i));
        }
        this.layers = Collections.unmodifiableList(list);
        this.decoderNormWeight = t.get(MaskTransformerNames.DECODER_NORM_WEIGHT);
        this.decoderNormBias = t.get(MaskTransformerNames.DECODER_NORM_BIAS);
        this.patchProj = t.get(MaskTransformerNames.PATCH_PROJ);
        this.classesProj = t.get(MaskTransformerNames.CLASSES_PROJ);
        this.maskNormWeight = t.get(MaskTransformerNames.MASK_NORM_WEIGHT);
        this.maskNormBias = t.get(MaskTransformerNames.MASK_NORM_BIAS);
    }

    /** A builder over in-memory tensors. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code checkpoint} holds a mask-transformer decoder (it has {@value MaskTransformerNames#CLS_EMB}). */
    public static boolean isPresent(SafetensorsCheckpoint checkpoint) {
        return checkpoint.contains(MaskTransformerNames.CLS_EMB);
    }

    /**
     * Loads the decoder's {@code decode_head.*} tensors from {@code checkpoint} into {@code manager} as F32 (other
     * tensors, e.g. mmseg's unused {@code decode_head.conv_seg}, are ignored).
     *
     * @param numHeads attention heads per layer (not recoverable from the shapes)
     * @param eps LayerNorm epsilon, normally {@link #DEFAULT_EPS}
     * @throws ModelFormatException listing every missing or mis-shaped tensor (expected vs found)
     */
    public static MaskTransformerHead load(SafetensorsCheckpoint checkpoint, int numHeads, float eps,
            NDManager manager) {
        Map<String, Shape> found = new LinkedHashMap<>();
        for (String name : checkpoint.names()) {
            if (name.startsWith(MaskTransformerNames.PREFIX)) {
                found.put(name, new Shape(checkpoint.info(name).shape()));
            }
        }
        MaskTransformerSpec spec = MaskTransformerSpec.infer(found, numHeads, msg -> new ModelFormatException(
                checkpoint.path() + ": mask-transformer head: " + msg));
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (String name : spec.expected.keySet()) {
            NDArray a = checkpoint.load(name, manager);
            tensors.put(name, a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
        }
        return new MaskTransformerHead(spec, checkEps(eps, ModelFormatException::new), tensors);
    }

    private static float checkEps(float eps, java.util.function.Function<String, RuntimeException> fail) {
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw fail.apply("mask-transformer head: LayerNorm eps must be a positive number, got " + eps);
        }
        return eps;
    }

    @Override
    public HeadKind kind() {
        return HeadKind.MASK_TRANSFORMER;
    }

    /** K. */
    @Override
    public int numClasses() {
        return spec.classes;
    }

    /** C, the width of the tokens the decoder reads. */
    @Override
    public int channels() {
        return spec.channels;
    }

    /** D, the decoder's width. */
    public int embedDim() {
        return spec.dim;
    }

    /** Number of transformer layers. */
    public int numLayers() {
        return spec.layers;
    }

    /** Attention heads per layer. */
    public int numHeads() {
        return spec.heads;
    }

    /** FFN hidden width. */
    public int mlpHidden() {
        return spec.hidden;
    }

    /** LayerNorm epsilon. */
    public float eps() {
        return eps;
    }

    /**
     * The decoder on all patch tokens: (B, h·w, C) → (B, K, h, w) mask logits, attached to {@code out}.
     *
     * @throws InvalidInputException when the tokens are not (B, h·w, C)
     */
    @Override
    public NDArray logitMap(NDArray patchTokens, GridSize grid, NDManager out) {
        Objects.requireNonNull(grid, "grid");
        Shape s = patchTokens.getShape();
        if (s.dimension() != 3 || s.get(1) != grid.cells() || s.get(2) != spec.channels || s.get(0) < 1) {
            throw new InvalidInputException("mask-transformer head: patch tokens must be (B, " + grid.cells()
                    + ", " + spec.channels + ") for grid " + grid + " (the decoder needs the full grid), got " + s);
        }
        long b = s.get(0);
        long n = s.get(1);
        int k = spec.classes;
        int d = spec.dim;
        try (NDManager sub = out.newSubManager()) {
            NDArray x = own(Linear.linear(patchTokens, decProjWeight, decProjBias).singletonOrThrow(), sub);
            NDArray cls = own(clsEmb.broadcast(b, k, d), sub);
            x = own(NDArrays.concat(new NDList(x, cls), 1), sub); // (B, N + K, D), classes last
            for (MaskTransformerLayer layer : layers) {
                x = layer.forward(x, spec.heads, eps, sub);
            }
            x = own(LayerNorm.layerNorm(x, new Shape(d), decoderNormWeight, decoderNormBias, eps)
                    .singletonOrThrow(), sub);
            NDArray patches = own(x.get(new NDIndex(":, :{}, :", n)), sub);
            NDArray classes = own(x.get(new NDIndex(":, {}:, :", n)), sub);
            patches = own(Linear.linear(patches, patchProj).singletonOrThrow(), sub).normalize(2, -1, NORMALIZE_EPS);
            classes = own(Linear.linear(classes, classesProj).singletonOrThrow(), sub)
                    .normalize(2, -1, NORMALIZE_EPS);
            NDArray masks = patches.matMul(classes.transpose(0, 2, 1)); // (B, N, K) cosine similarities
            masks = own(LayerNorm.layerNorm(masks, new Shape(k), maskNormWeight, maskNormBias, eps)
                    .singletonOrThrow(), sub);
            NDArray map = masks.transpose(0, 2, 1).reshape(b, k, grid.height(), grid.width());
            return own(map, out);
        }
    }

    @Override
    public String toString() {
        return "MaskTransformerHead(K=" + spec.classes + ", C=" + spec.channels + ", D=" + spec.dim + ", "
                + spec.layers + " layers, " + spec.heads + " heads, FFN " + spec.hidden + ")";
    }

    /**
     * Builds a head from tensors under their full mmseg names ({@link MaskTransformerNames}); {@code setTensors} and
     * {@code setNumHeads} are required. The arrays are used as they are (F32 expected) and stay owned by the caller.
     */
    public static final class Builder {

        private Map<String, NDArray> tensors;
        private int numHeads;
        private float eps = DEFAULT_EPS;

        private Builder() {}

        /** The decoder tensors by full name, e.g. {@value MaskTransformerNames#CLS_EMB}; other names are ignored. */
        public Builder setTensors(Map<String, NDArray> tensors) {
            this.tensors = Objects.requireNonNull(tensors, "tensors");
            return this;
        }

        /** Attention heads per layer (mmseg config {@code num_heads}). */
        public Builder setNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /** LayerNorm epsilon; default {@link #DEFAULT_EPS}. */
        public Builder optEps(float eps) {
            this.eps = eps;
            return this;
        }

        /**
         * @throws InvalidInputException listing every missing or mis-shaped tensor, or a head count that does not
         *     divide D
         */
        public MaskTransformerHead build() {
            if (tensors == null) {
                throw new InvalidInputException("mask-transformer head: setTensors is required");
            }
            Map<String, Shape> found = new LinkedHashMap<>();
            tensors.forEach((name, a) -> found.put(name, a.getShape()));
            MaskTransformerSpec spec = MaskTransformerSpec.infer(found, numHeads,
                    msg -> new InvalidInputException("mask-transformer head: " + msg));
            for (String name : spec.expected.keySet()) {
                if (tensors.get(name).getDataType() != DataType.FLOAT32) {
                    throw new InvalidInputException("mask-transformer head: " + name + " must be FLOAT32, got "
                            + tensors.get(name).getDataType());
                }
            }
            return new MaskTransformerHead(spec, checkEps(eps, InvalidInputException::new), tensors);
        }
    }
}
