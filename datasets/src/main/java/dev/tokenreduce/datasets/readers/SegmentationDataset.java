package dev.tokenreduce.datasets.readers;

import java.util.List;

/**
 * Images with per-pixel class labels.
 *
 * <p>Labels are returned exactly as stored. When {@link #reduceZeroLabel()} is true (ADE20K, Pascal Context 59),
 * label 0 means "unlabelled" and class c is stored as c + 1: consumers (the metrics) map 0 to the ignore index and
 * subtract one from the rest, and predictions are in the reduced space 0..numClasses−1.
 */
public interface SegmentationDataset extends Dataset {

    /** Sample {@code index}, decoded. */
    SegmentationSample sample(int index);

    /** Number of evaluated classes (after reduce-zero-label where it applies). */
    int numClasses();

    /** Label value excluded from evaluation. */
    default int ignoreIndex() {
        return 255;
    }

    /** Whether stored labels use the reduce-zero-label convention (0 = ignore, class c stored as c + 1). */
    boolean reduceZeroLabel();

    /** Class names in class-index order ({@link #numClasses()} entries), or empty when unknown. */
    List<String> classNames();

    @Override
    default Task task() {
        return Task.SEGMENTATION;
    }
}
