package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.datasets.synthetic.ShapeClass;
import dev.tokenreduce.datasets.synthetic.SyntheticSplitWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Synthetic scenes, either as written by {@link SyntheticSplitWriter} ({@code root/images/{split}},
 * {@code root/annotations/{split}}, {@code root/depth/{split}}, {@code root/synthetic.properties}) or generated in
 * memory. Label 0 is the background class (no reduce-zero-label); class names come from the metadata file, or are
 * the generator's when it is absent.
 */
public final class SyntheticReader {

    /** Type name of a synthetic split folder. */
    public static final String TYPE = "synthetic";
    /** Type name of in-memory generated scenes. */
    public static final String TYPE_GENERATED = "generated";

    private SyntheticReader() {}

    /** Segmentation view of a split folder. */
    public static SegmentationDataset open(Path root, String split) {
        Folders.requireDirectory(root.resolve("images"), "synthetic images");
        String s = Splits.resolveFolder(root.resolve("images"), split, TYPE);
        Problems problems = new Problems();
        List<FilePair> pairs = StemPairing.pair(root, root.resolve("images").resolve(s),
                root.resolve("annotations").resolve(s), Folders.IMAGE_EXTENSIONS, Folders.PNG, "label", problems);
        problems.throwIfAny("synthetic " + s + " at " + root);
        List<String> classes = classNames(root);
        return new PairedSegmentationDataset(TYPE, root, s, pairs, classes.size(), false, classes);
    }

    /** Depth view of a split folder (millimetre PNGs; range 0.001..20 m, no Eigen crop). */
    public static DepthDataset openDepth(Path root, String split) {
        Folders.requireDirectory(root.resolve("images"), "synthetic images");
        String s = Splits.resolveFolder(root.resolve("images"), split, TYPE);
        Problems problems = new Problems();
        List<FilePair> pairs = StemPairing.pair(root, root.resolve("images").resolve(s),
                root.resolve("depth").resolve(s), Folders.IMAGE_EXTENSIONS, Folders.PNG, "depth", problems);
        problems.throwIfAny("synthetic " + s + " (depth) at " + root);
        return new PairedDepthDataset(TYPE, root, s, pairs, ImageFiles.MILLIMETRES, 1e-3, 20.0, false);
    }

    /**
     * Scenes {@code 0 .. count − 1} of {@code generator}, generated on demand (nothing on disk). The returned object
     * is both the segmentation and the depth dataset.
     */
    public static GeneratedScenes generated(SceneGenerator generator, int count, String split) {
        return new GeneratedScenes(generator, count, split);
    }

    private static List<String> classNames(Path root) {
        Path meta = root.resolve(SyntheticSplitWriter.METADATA_FILE);
        if (!Files.isRegularFile(meta)) {
            return ShapeClass.names();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        String classes = p.getProperty("classes");
        if (classes == null || classes.isBlank()) {
            throw new DatasetException(meta + " has no 'classes' entry (comma-separated class names)");
        }
        return Arrays.stream(classes.split(",")).map(String::trim).toList();
    }
}
