package dev.tokenreduce.pruning.todre;

/**
 * Optional {@link dev.tokenreduce.core.op.StepContext} signals of ToDRE stage 1 besides
 * {@link dev.tokenreduce.core.op.StepContext#CLS_ATTENTION}.
 */
public final class TodreSignals {

    private TodreSignals() {}

    /**
     * (B, visual) or (visual) boolean: the visual tokens allowed as pivot. AnyRes / multi-crop hosts mark the
     * global thumbnail's tokens so the pivot is the thumbnail's [CLS]-argmax, as the paper prescribes; absent =
     * every token is allowed (single image, video frames).
     */
    public static final String PIVOT_MASK = "todre-pivot-mask";
}
