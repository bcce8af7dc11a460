package dev.tokenreduce.eval.flops;

/**
 * Analytic FLOPs of a ViT encoder forward pass (one image) under a token schedule.
 *
 * <p>Per block with n tokens entering attention and m entering the MLP (C = width, H = MLP hidden):
 * q/k/v and output projections 2·n·C·3C + 2·n·C·C, attention 2·n·n·C (QKᵀ) + 2·n·n·C (AV), MLP 2·m·C·H twice.
 * The patch embedding is a linear on P·P·3 values per patch. Norms, softmax, GELU, biases, position-embedding and
 * residual adds are "other" ({@link Flops}). Reducers are added with {@link FlopsBreakdown#plus} and
 * {@link ReducerFlops}. Component names: {@code patch-embed}, {@code attention-linear}, {@code attention},
 * {@code mlp}, {@code norms-residuals}.
 */
public final class VitFlops {

    private VitFlops() {}

    /** The unreduced encoder: every block sees prefix + grid tokens. */
    public static FlopsBreakdown baseline(VitShape shape) {
        return encoder(shape, TokenSchedule.constant(shape.depth(), shape.tokens()));
    }

    /**
     * The encoder under {@code schedule} (one entry per block), including the final norm on the output tokens.
     *
     * @throws IllegalArgumentException when the schedule has another number of layers than the encoder blocks
     */
    public static FlopsBreakdown encoder(VitShape shape, TokenSchedule schedule) {
        if (schedule.layers() != shape.depth()) {
            throw new IllegalArgumentException("token schedule has " + schedule.layers() + " layers but the encoder "
                    + shape.depth() + " blocks");
        }
        long c = shape.embedDim();
        long patches = shape.grid().cells();
        long tokens0 = shape.tokens();
        FlopsBreakdown.Accumulator acc = new FlopsBreakdown.Accumulator();
        long patchIn = (long) shape.patchSize() * shape.patchSize() * shape.inChannels();
        acc.add("patch-embed", Flops.linear(patches, patchIn, c, true).plus(Flops.adds(tokens0 * c)));
        if (shape.preNorm()) {
            acc.add("norms-residuals", Flops.norm(tokens0, c));
        }
        for (int l = 0; l < schedule.layers(); l++) {
            long n = schedule.attentionTokens(l);
            long m = schedule.mlpTokens(l);
            FlopCount attnLinear = Flops.linear(n, c, 3 * c, shape.qkvBias()).plus(Flops.linear(n, c, c, true));
            FlopCount attn = Flops.attention(n, n, c, shape.heads());
            FlopCount mlp = Flops.linear(m, c, shape.mlpHidden(), true)
                    .plus(Flops.activation(m * shape.mlpHidden()))
                    .plus(Flops.linear(m, shape.mlpHidden(), c, true));
            FlopCount normsResiduals = Flops.norm(n, c).plus(Flops.adds(n * c))
                    .plus(Flops.norm(m, c)).plus(Flops.adds(m * c));
            acc.add("attention-linear", attnLinear);
            acc.add("attention", attn);
            acc.add("mlp", mlp);
            acc.add("norms-residuals", normsResiduals);
            acc.addLayer(attnLinear.plus(attn).plus(mlp).plus(normsResiduals));
        }
        acc.add("norms-residuals", Flops.norm(schedule.outputTokens(), c));
        return acc.build(schedule);
    }

    /**
     * Matmul FLOPs of one block with {@code n} tokens and no in-block reduction:
     * 8·n·C² + 4·n²·C + 4·n·C·H (the closed form the papers use).
     */
    public static long blockMatmul(long n, long c, long mlpHidden) {
        return Math.addExact(Math.addExact(Flops.mul(8, n, c, c), Flops.mul(4, n, n, c)), Flops.mul(4, n, c, mlpHidden));
    }
}
