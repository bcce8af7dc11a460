package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.LabelMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;

/** A segmentation dataset given as a list of image/label file pairs; what every folder reader returns. */
final class PairedSegmentationDataset implements SegmentationDataset {

    private final String type;
    private final Path root;
    private final String split;
    private final List<FilePair> pairs;
    private final int numClasses;
    private final boolean reduceZeroLabel;
    private final List<String> classNames;

    PairedSegmentationDataset(String type, Path root, String split, List<FilePair> pairs, int numClasses,
            boolean reduceZeroLabel, List<String> classNames) {
        if (pairs.isEmpty()) {
            throw new DatasetException(type + " " + split + " at " + root + ": no samples found");
        }
        if (!classNames.isEmpty() && classNames.size() != numClasses) {
            throw new IllegalArgumentException(type + ": " + classNames.size() + " class names for " + numClasses
                    + " classes");
        }
        this.type = type;
        this.root = root;
        this.split = split;
        this.pairs = List.copyOf(pairs);
        this.numClasses = numClasses;
        this.reduceZeroLabel = reduceZeroLabel;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public String split() {
        return split;
    }

    @Override
    public int size() {
        return pairs.size();
    }

    @Override
    public String name(int index) {
        return pair(index).name();
    }

    @Override
    public SegmentationSample sample(int index) {
        FilePair pair = pair(index);
        RgbImage image = ImageFiles.readRgb(pair.image());
        LabelMap label = ImageFiles.readLabel(pair.target());
        if (!image.size().equals(label.size())) {
            throw new DatasetException(type + " sample " + pair.name() + ": image " + pair.image() + " is "
                    + image.size() + " but label " + pair.target() + " is " + label.size());
        }
        return new SegmentationSample(pair.name(), image, label, pair.image(), pair.target());
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public boolean reduceZeroLabel() {
        return reduceZeroLabel;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    private FilePair pair(int index) {
        if (index < 0 || index >= pairs.size()) {
            throw new IndexOutOfBoundsException(type + " " + split + ": index " + index + " outside 0.."
                    + (pairs.size() - 1));
        }
        return pairs.get(index);
    }

    @Override
    public String toString() {
        return type + "[" + split + ", " + pairs.size() + " samples, " + numClasses + " classes, root=" + root + "]";
    }
}
