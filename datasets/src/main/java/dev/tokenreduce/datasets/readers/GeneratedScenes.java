package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.datasets.synthetic.SyntheticScene;
import java.nio.file.Path;
import java.util.List;

/**
 * Synthetic scenes generated on demand: the embedded default dataset, needing no files. Implements both dataset
 * views; {@link #task()} reports segmentation, and {@link #depthView()} gives a {@link DepthDataset}.
 */
public final class GeneratedScenes implements SegmentationDataset {

    private final SceneGenerator generator;
    private final int count;
    private final String split;

    GeneratedScenes(SceneGenerator generator, int count, String split) {
        if (count < 1) {
            throw new InvalidInputException("generated scenes: count must be >= 1, got " + count);
        }
        this.generator = generator;
        this.count = count;
        this.split = split;
    }

    /** The generator behind the scenes. */
    public SceneGenerator generator() {
        return generator;
    }

    /** The full generated scene (image, labels, depth, instances, shapes). */
    public SyntheticScene scene(int index) {
        return generator.generate(check(index));
    }

    @Override
    public String type() {
        return SyntheticReader.TYPE_GENERATED;
    }

    @Override
    public Path root() {
        return null;
    }

    @Override
    public String split() {
        return split;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String name(int index) {
        return String.format("synthetic_%06d", check(index));
    }

    @Override
    public SegmentationSample sample(int index) {
        SyntheticScene s = scene(index);
        return new SegmentationSample(s.name(), s.image(), s.label(), null, null);
    }

    @Override
    public int numClasses() {
        return generator.numClasses();
    }

    @Override
    public boolean reduceZeroLabel() {
        return false;
    }

    @Override
    public List<String> classNames() {
        return generator.classNames();
    }

    /** The same scenes as a depth dataset (range 0.001..20 m, no Eigen crop). */
    public DepthDataset depthView() {
        GeneratedScenes self = this;
        return new DepthDataset() {
            @Override
            public DepthSample sample(int index) {
                SyntheticScene s = self.scene(index);
                return new DepthSample(s.name(), s.image(), s.depth(), null, null);
            }

            @Override
            public double minDepth() {
                return 1e-3;
            }

            @Override
            public double maxDepth() {
                return 20.0;
            }

            @Override
            public boolean eigenCrop() {
                return false;
            }

            @Override
            public String type() {
                return self.type();
            }

            @Override
            public Path root() {
                return null;
            }

            @Override
            public String split() {
                return self.split();
            }

            @Override
            public int size() {
                return self.size();
            }

            @Override
            public String name(int index) {
                return self.name(index);
            }

            @Override
            public String toString() {
                return "generated-depth[" + self.generator + ", " + self.count + " scenes]";
            }
        };
    }

    private int check(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("generated scenes: index " + index + " outside 0.." + (count - 1));
        }
        return index;
    }

    @Override
    public String toString() {
        return "generated[" + split + ", " + generator + ", " + count + " scenes]";
    }
}
