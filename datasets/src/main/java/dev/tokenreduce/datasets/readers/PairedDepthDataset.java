package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.DepthMap;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.RgbImage;
import java.nio.file.Path;
import java.util.List;

/** A depth dataset given as image/depth-PNG pairs with a fixed metric scale. */
final class PairedDepthDataset implements DepthDataset {

    private final String type;
    private final Path root;
    private final String split;
    private final List<FilePair> pairs;
    private final double metresPerUnit;
    private final double minDepth;
    private final double maxDepth;
    private final boolean eigenCrop;

    PairedDepthDataset(String type, Path root, String split, List<FilePair> pairs, double metresPerUnit,
            double minDepth, double maxDepth, boolean eigenCrop) {
        if (pairs.isEmpty()) {
            throw new DatasetException(type + " " + split + " at " + root + ": no samples found");
        }
        this.type = type;
        this.root = root;
        this.split = split;
        this.pairs = List.copyOf(pairs);
        this.metresPerUnit = metresPerUnit;
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
        this.eigenCrop = eigenCrop;
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
    public DepthSample sample(int index) {
        FilePair pair = pair(index);
        RgbImage image = ImageFiles.readRgb(pair.image());
        DepthMap depth = ImageFiles.readDepth(pair.target(), metresPerUnit);
        if (!image.size().equals(depth.size())) {
            throw new DatasetException(type + " sample " + pair.name() + ": image " + pair.image() + " is "
                    + image.size() + " but depth " + pair.target() + " is " + depth.size());
        }
        return new DepthSample(pair.name(), image, depth, pair.image(), pair.target());
    }

    @Override
    public double minDepth() {
        return minDepth;
    }

    @Override
    public double maxDepth() {
        return maxDepth;
    }

    @Override
    public boolean eigenCrop() {
        return eigenCrop;
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
        return type + "[" + split + ", " + pairs.size() + " samples, depth " + minDepth + ".." + maxDepth
                + " m, root=" + root + "]";
    }
}
