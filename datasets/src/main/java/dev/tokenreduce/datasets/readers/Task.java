package dev.tokenreduce.datasets.readers;

/** What a dataset's targets are. */
public enum Task {
    /** Per-pixel class labels. */
    SEGMENTATION,
    /** Per-pixel metric depth. */
    DEPTH
}
