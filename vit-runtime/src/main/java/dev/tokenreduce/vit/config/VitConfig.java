package dev.tokenreduce.vit.config;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.vit.ModelFormatException;
import java.util.List;

/**
 * Everything the encoder needs to know about a ViT-family model, resolved from {@code config.json} and the family
 * defaults. Immutable; {@link #toBuilder()} derives variants.
 *
 * @param family {@code vit}, {@code deit}, {@code deit3}, {@code dinov2}, {@code clip} or {@code siglip}
 * @param source where it came from, e.g. {@code timm:vit_base_patch16_224} or {@code hf:clip_vision_model}
 * @param weightFormat tensor naming scheme of the checkpoint
 * @param imageHeight image height the position table was trained for (pixels)
 * @param imageWidth image width the position table was trained for (pixels)
 * @param channels input channels (3)
 * @param patchSize patch side, also the stride of the patch-embedding convolution
 * @param embedDim token width C
 * @param depth number of blocks
 * @param numHeads attention heads (C must be a multiple)
 * @param mlpHidden hidden width of the block MLP
 * @param classToken whether a [CLS] token is prepended
 * @param distillationToken whether a DeiT distillation token follows [CLS]
 * @param registerTokens register tokens, inserted after [CLS] (and the distillation token)
 * @param positionPrefixRows how many of the leading prefix tokens have a row in the position table: all of them
 *     for classic ViT, 0 for timm's {@code no_embed_class} (DINOv2 registers, DeiT III, SigLIP), 1 for HF DINOv2
 *     with registers (registers get no position)
 * @param preNorm LayerNorm after the embeddings (CLIP's {@code norm_pre}/{@code pre_layrnorm})
 * @param layerScale per-channel γ on both residual branches (DINOv2, DeiT III)
 * @param activation MLP activation
 * @param layerNormEps LayerNorm epsilon of every norm
 * @param qkvBias whether the fused qkv projection has a bias
 * @param patchBias whether the patch-embedding convolution has a bias (CLIP has none)
 * @param finalNorm whether a LayerNorm is applied to all tokens after the last block (timm {@code norm})
 * @param imageMean per-channel normalisation mean for preprocessing
 * @param imageStd per-channel normalisation std for preprocessing
 * @param positionResampling how the position table is resampled for other grids
 */
public record VitConfig(
        String family,
        String source,
        WeightFormat weightFormat,
        int imageHeight,
        int imageWidth,
        int channels,
        int patchSize,
        int embedDim,
        int depth,
        int numHeads,
        int mlpHidden,
        boolean classToken,
        boolean distillationToken,
        int registerTokens,
        int positionPrefixRows,
        boolean preNorm,
        boolean layerScale,
        Activation activation,
        double layerNormEps,
        boolean qkvBias,
        boolean patchBias,
        boolean finalNorm,
        List<Double> imageMean,
        List<Double> imageStd,
        PositionResampling positionResampling) {

    public VitConfig {
        imageMean = List.copyOf(imageMean);
        imageStd = List.copyOf(imageStd);
        String where = "model config (" + source + ")";
        positive(imageHeight, "image height", where);
        positive(imageWidth, "image width", where);
        positive(channels, "channels", where);
        positive(patchSize, "patch size", where);
        positive(embedDim, "embed dim", where);
        positive(depth, "depth", where);
        positive(numHeads, "heads", where);
        positive(mlpHidden, "mlp hidden size", where);
        if (embedDim % numHeads != 0) {
            throw new ModelFormatException(where + ": embed dim " + embedDim + " is not a multiple of " + numHeads
                    + " heads");
        }
        if (imageHeight < patchSize || imageWidth < patchSize) {
            throw new ModelFormatException(where + ": image size " + imageHeight + "x" + imageWidth
                    + " is smaller than the patch " + patchSize);
        }
        if (registerTokens < 0) {
            throw new ModelFormatException(where + ": register tokens must be >= 0, got " + registerTokens);
        }
        int prefix = (classToken ? 1 : 0) + (distillationToken ? 1 : 0) + registerTokens;
        if (positionPrefixRows < 0 || positionPrefixRows > prefix) {
            throw new ModelFormatException(where + ": position rows for prefix tokens must be in [0, " + prefix
                    + "], got " + positionPrefixRows);
        }
        if (distillationToken && !classToken) {
            throw new ModelFormatException(where + ": a distillation token needs a class token");
        }
        if (!(layerNormEps > 0)) {
            throw new ModelFormatException(where + ": LayerNorm eps must be > 0, got " + layerNormEps);
        }
        if (imageMean.size() != channels || imageStd.size() != channels) {
            throw new ModelFormatException(where + ": image mean/std need " + channels + " values, got "
                    + imageMean + " / " + imageStd);
        }
        for (double s : imageStd) {
            if (!(s > 0)) {
                throw new ModelFormatException(where + ": image std must be > 0, got " + imageStd);
            }
        }
        if (activation == null || weightFormat == null || positionResampling == null) {
            throw new ModelFormatException(where + ": activation, weight format and position resampling are required");
        }
    }

    private static void positive(int v, String what, String where) {
        if (v < 1) {
            throw new ModelFormatException(where + ": " + what + " must be >= 1, got " + v);
        }
    }

    /** Prefix tokens before the patch grid: [CLS], distillation, registers (in that order). */
    public int prefixTokens() {
        return (classToken ? 1 : 0) + (distillationToken ? 1 : 0) + registerTokens;
    }

    /** Width of one attention head. */
    public int headDim() {
        return embedDim / numHeads;
    }

    /** The patch grid the position table was trained for. */
    public GridSize positionGrid() {
        return new GridSize(imageHeight / patchSize, imageWidth / patchSize);
    }

    /** Rows of the position table: positioned prefix tokens plus the trained grid. */
    public int positionRows() {
        return positionPrefixRows + positionGrid().cells();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder().family(family).source(source).weightFormat(weightFormat)
                .imageSize(imageHeight, imageWidth).channels(channels).patchSize(patchSize).embedDim(embedDim)
                .depth(depth).numHeads(numHeads).mlpHidden(mlpHidden).classToken(classToken)
                .distillationToken(distillationToken).registerTokens(registerTokens)
                .positionPrefixRows(positionPrefixRows).preNorm(preNorm).layerScale(layerScale)
                .activation(activation).layerNormEps(layerNormEps).qkvBias(qkvBias).patchBias(patchBias)
                .finalNorm(finalNorm).imageMean(imageMean).imageStd(imageStd).positionResampling(positionResampling);
    }

    /** The same model with another position resampling mode. */
    public VitConfig withPositionResampling(PositionResampling mode) {
        return toBuilder().positionResampling(mode).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return source + " [" + family + ", " + depth + " blocks, C=" + embedDim + ", heads=" + numHeads
                + ", mlp=" + mlpHidden + ", patch " + patchSize + ", image " + imageHeight + "x" + imageWidth
                + ", prefix=" + prefixTokens() + " (pos rows " + positionPrefixRows + "), " + activation
                + ", eps=" + layerNormEps + (preNorm ? ", pre-norm" : "") + (layerScale ? ", layer scale" : "")
                + (finalNorm ? "" : ", no final norm") + "]";
    }

    /**
     * Mutable builder used by the config parsers (family defaults first, then overrides). Setters have plain
     * names because every field is filled from defaults before {@link #build()}.
     */
    public static final class Builder {
        private String family = "vit";
        private String source = "custom";
        private WeightFormat weightFormat = WeightFormat.TIMM;
        private int imageHeight = 224;
        private int imageWidth = 224;
        private int channels = 3;
        private int patchSize = 16;
        private int embedDim = 768;
        private int depth = 12;
        private int numHeads = 12;
        private int mlpHidden = -1;
        private double mlpRatio = 4.0;
        private boolean classToken = true;
        private boolean distillationToken;
        private int registerTokens;
        private Integer positionPrefixRows;
        private boolean preNorm;
        private boolean layerScale;
        private Activation activation = Activation.GELU;
        private double layerNormEps = 1e-6;
        private boolean qkvBias = true;
        private boolean patchBias = true;
        private boolean finalNorm = true;
        private List<Double> imageMean = List.of(0.5, 0.5, 0.5);
        private List<Double> imageStd = List.of(0.5, 0.5, 0.5);
        private PositionResampling positionResampling = PositionResampling.TIMM_ANTIALIAS;

        public Builder family(String v) {
            family = v;
            return this;
        }

        public Builder source(String v) {
            source = v;
            return this;
        }

        public Builder weightFormat(WeightFormat v) {
            weightFormat = v;
            return this;
        }

        public Builder imageSize(int height, int width) {
            imageHeight = height;
            imageWidth = width;
            return this;
        }

        public Builder channels(int v) {
            channels = v;
            return this;
        }

        public Builder patchSize(int v) {
            patchSize = v;
            return this;
        }

        public Builder embedDim(int v) {
            embedDim = v;
            return this;
        }

        public Builder depth(int v) {
            depth = v;
            return this;
        }

        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }

        /** Explicit MLP hidden width; wins over {@link #mlpRatio}. */
        public Builder mlpHidden(int v) {
            mlpHidden = v;
            return this;
        }

        /** MLP hidden width as a multiple of the embed dim (timm {@code mlp_ratio}); clears an explicit width. */
        public Builder mlpRatio(double v) {
            mlpRatio = v;
            mlpHidden = -1;
            return this;
        }

        public Builder classToken(boolean v) {
            classToken = v;
            return this;
        }

        public Builder distillationToken(boolean v) {
            distillationToken = v;
            return this;
        }

        public Builder registerTokens(int v) {
            registerTokens = v;
            return this;
        }

        /** Positioned prefix rows; unset = all prefix tokens have one. */
        public Builder positionPrefixRows(Integer v) {
            positionPrefixRows = v;
            return this;
        }

        public Builder preNorm(boolean v) {
            preNorm = v;
            return this;
        }

        public Builder layerScale(boolean v) {
            layerScale = v;
            return this;
        }

        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        public Builder qkvBias(boolean v) {
            qkvBias = v;
            return this;
        }

        public Builder patchBias(boolean v) {
            patchBias = v;
            return this;
        }

        public Builder finalNorm(boolean v) {
            finalNorm = v;
            return this;
        }

        public Builder imageMean(List<Double> v) {
            imageMean = v;
            return this;
        }

        public Builder imageStd(List<Double> v) {
            imageStd = v;
            return this;
        }

        public Builder positionResampling(PositionResampling v) {
            positionResampling = v;
            return this;
        }

        public VitConfig build() {
            int hidden = mlpHidden > 0 ? mlpHidden : (int) (embedDim * mlpRatio);
            int prefix = (classToken ? 1 : 0) + (distillationToken ? 1 : 0) + registerTokens;
            int posRows = positionPrefixRows != null ? positionPrefixRows : prefix;
            return new VitConfig(family, source, weightFormat, imageHeight, imageWidth, channels, patchSize, embedDim,
                    depth, numHeads, hidden, classToken, distillationToken, registerTokens, posRows, preNorm,
                    layerScale, activation, layerNormEps, qkvBias, patchBias, finalNorm, imageMean, imageStd,
                    positionResampling);
        }
    }
}
