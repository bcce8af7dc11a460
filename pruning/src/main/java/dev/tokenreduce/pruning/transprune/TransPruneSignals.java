package dev.tokenreduce.pruning.transprune;

/**
 * {@link dev.tokenreduce.core.op.StepContext} signals of the stateless {@code transprune} step
 * ({@link TransPruneOperator#apply}); a decoder that keeps a {@link TransPruneSession} needs none of them.
 */
public final class TransPruneSignals {

    private TransPruneSignals() {}

    /** (B, L) float: TTV accumulated over the accumulate-layers up to this layer, over the whole current sequence. */
    public static final String TTV = "transprune-ttv";

    /** (B, image tokens) float: instruction-guided attention from the next layer ({@link InstructionGuidedAttention}). */
    public static final String IGA = "transprune-iga";
}
