package dev.tokenreduce.datasets.readers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * ADE20K SceneParsing (ADEChallengeData2016) as distributed:
 *
 * <pre>
 * root/images/{training,validation}/ADE_val_00000001.jpg
 * root/annotations/{training,validation}/ADE_val_00000001.png   8-bit, 0 = unlabelled, 1..150 = classes
 * </pre>
 * {@code root} may also be the folder that contains {@code ADEChallengeData2016/}. Split aliases: train, val.
 * 150 classes with reduce-zero-label.
 */
public final class Ade20kReader {

    /** Type name in dataset specs. */
    public static final String TYPE = "ade20k";

    private Ade20kReader() {}

    /**
     * Lists the split.
     *
     * @throws dev.tokenreduce.datasets.DatasetException for a missing folder or any unpaired file (all listed)
     */
    public static SegmentationDataset open(Path root, String split) {
        Path base = root;
        if (!Files.isDirectory(base.resolve("images")) && Files.isDirectory(root.resolve("ADEChallengeData2016"))) {
            base = root.resolve("ADEChallengeData2016");
        }
        Folders.requireDirectory(base.resolve("images"), "ADE20K images");
        String s = Splits.canonical(split, TYPE, List.of("training", "validation"));
        Problems problems = new Problems();
        List<FilePair> pairs = StemPairing.pair(base, base.resolve("images").resolve(s),
                base.resolve("annotations").resolve(s), Folders.IMAGE_EXTENSIONS, Folders.PNG, "label", problems);
        problems.throwIfAny("ade20k " + s + " at " + base);
        return new PairedSegmentationDataset(TYPE, base, s, pairs, 150, true, ClassLists.ade20k());
    }
}
