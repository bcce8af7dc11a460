package dev.tokenreduce.eval.flops;

import dev.tokenreduce.core.GridSize;

/**
 * The sizes of a ViT encoder that its FLOPs depend on.
 *
 * @param embedDim channel width C
 * @param depth number of blocks
 * @param heads attention heads (only the softmax count depends on it)
 * @param mlpHidden MLP hidden width
 * @param patchSize patch side P (the patch embedding is a linear on P·P·inChannels values)
 * @param inChannels image channels, 3 for RGB
 * @param prefixTokens CLS, distillation and register tokens
 * @param grid patch grid of the input image
 * @param qkvBias whether the q/k/v projection has a bias
 * @param preNorm whether a norm runs on the embeddings before block 0 (CLIP)
 */
public record VitShape(int embedDim, int depth, int heads, int mlpHidden, int patchSize, int inChannels,
        int prefixTokens, GridSize grid, boolean qkvBias, boolean preNorm) {

    public VitShape {
        if (embedDim < 1 || depth < 1 || heads < 1 || mlpHidden < 1 || patchSize < 1 || inChannels < 1
                || prefixTokens < 0 || grid == null) {
            throw new IllegalArgumentException("invalid ViT shape: dim=" + embedDim + " depth=" + depth + " heads="
                    + heads + " mlp=" + mlpHidden + " patch=" + patchSize + " in=" + inChannels + " prefix="
                    + prefixTokens + " grid=" + grid);
        }
        if (embedDim % heads != 0) {
            throw new IllegalArgumentException("embed dim " + embedDim + " is not divisible by " + heads + " heads");
        }
    }

    /** ViT-B/16 (C 768, 12 blocks, 12 heads, MLP 3072) with a CLS token on {@code grid}. */
    public static VitShape vitBase16(GridSize grid) {
        return builder().setEmbedDim(768).setDepth(12).setHeads(12).setMlpHidden(3072).setPatchSize(16)
                .setGrid(grid).optPrefixTokens(1).build();
    }

    /** ViT-L/16 (C 1024, 24 blocks, 16 heads, MLP 4096) with a CLS token on {@code grid}. */
    public static VitShape vitLarge16(GridSize grid) {
        return builder().setEmbedDim(1024).setDepth(24).setHeads(16).setMlpHidden(4096).setPatchSize(16)
                .setGrid(grid).optPrefixTokens(1).build();
    }

    /** ViT-S/16 (C 384, 12 blocks, 6 heads, MLP 1536) with a CLS token on {@code grid}. */
    public static VitShape vitSmall16(GridSize grid) {
        return builder().setEmbedDim(384).setDepth(12).setHeads(6).setMlpHidden(1536).setPatchSize(16)
                .setGrid(grid).optPrefixTokens(1).build();
    }

    /** Tokens entering block 0 when nothing is reduced: prefix + grid cells. */
    public int tokens() {
        return prefixTokens + grid.cells();
    }

    /** The same encoder on another patch grid. */
    public VitShape withGrid(GridSize newGrid) {
        return new VitShape(embedDim, depth, heads, mlpHidden, patchSize, inChannels, prefixTokens, newGrid, qkvBias,
                preNorm);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private int embedDim;
        private int depth;
        private int heads;
        private int mlpHidden;
        private int patchSize;
        private GridSize grid;
        private int inChannels = 3;
        private int prefixTokens = 1;
        private boolean qkvBias = true;
        private boolean preNorm;

        public Builder setEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        public Builder setDepth(int depth) {
            this.depth = depth;
            return this;
        }

        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public Builder setMlpHidden(int mlpHidden) {
            this.mlpHidden = mlpHidden;
            return this;
        }

        public Builder setPatchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        public Builder setGrid(GridSize grid) {
            this.grid = grid;
            return this;
        }

        public Builder optInChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        public Builder optPrefixTokens(int prefixTokens) {
            this.prefixTokens = prefixTokens;
            return this;
        }

        public Builder optQkvBias(boolean qkvBias) {
            this.qkvBias = qkvBias;
            return this;
        }

        public Builder optPreNorm(boolean preNorm) {
            this.preNorm = preNorm;
            return this;
        }

        public VitShape build() {
            return new VitShape(embedDim, depth, heads, mlpHidden, patchSize, inChannels, prefixTokens, grid, qkvBias,
                    preNorm);
        }
    }
}
