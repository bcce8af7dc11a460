package dev.tokenreduce.datasets.readers;

import java.nio.file.Path;

/**
 * An indexed, read-only collection of evaluation samples. Listing happens when the dataset is opened (so missing or
 * unpaired files are reported at once); decoding happens per sample. Implementations are immutable and safe to read
 * from several threads.
 */
public interface Dataset {

    /** The type name used by {@link Datasets#open(String, String)}, e.g. {@code ade20k}. */
    String type();

    /** The folder the dataset was opened from (null for generated data). */
    Path root();

    /** The split as found on disk, e.g. {@code validation} or {@code val}. */
    String split();

    /** Number of samples. */
    int size();

    /** The sample's name (file stem, with a sub-folder where the layout has one), without decoding it. */
    String name(int index);

    /** What the targets are. */
    Task task();
}
