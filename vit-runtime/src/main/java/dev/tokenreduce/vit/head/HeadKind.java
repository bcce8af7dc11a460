package dev.tokenreduce.vit.head;

/** The kinds of dense head a {@link SegmentationModel} can carry. */
public enum HeadKind {

    /** {@link LinearSegmentationHead}: one linear map per token (a 1×1 conv). */
    LINEAR("linear"),
    /** {@link MaskTransformerHead}: Segmenter's mask-transformer decoder. */
    MASK_TRANSFORMER("mask-transformer"),
    /** {@link LinearDepthHead}: one linear output per token and an activation, depth in metres. */
    LINEAR_DEPTH("linear-depth");

    private final String label;

    HeadKind(String label) {
        this.label = label;
    }

    /** Whether the head predicts depth rather than class logits. */
    public boolean depth() {
        return this == LINEAR_DEPTH;
    }

    /** A short lower-case name for reports ({@code linear}, {@code mask-transformer}, {@code linear-depth}). */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
