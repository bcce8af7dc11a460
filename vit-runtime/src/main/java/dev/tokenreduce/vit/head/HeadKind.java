package dev.tokenreduce.vit.head;

/** The kinds of dense head a {@link SegmentationModel} can carry. */
public enum HeadKind {

    /** {@link LinearSegmentationHead}: one linear map per token (a 1×1 conv). */
    LINEAR("linear"),
    /** {@link MaskTransformerHead}: Segmenter's mask-transformer decoder. */
    MASK_TRANSFORMER("mask-transformer");

    private final String label;

    HeadKind(String label) {
        this.label = label;
    }

    /** A short lower-case name for reports ({@code linear}, {@code mask-transformer}). */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
