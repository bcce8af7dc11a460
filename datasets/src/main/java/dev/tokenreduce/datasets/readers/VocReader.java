package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pascal VOC 2012 and Pascal Context, which share the VOC folder layout:
 *
 * <pre>
 * VOC2012/JPEGImages/2007_000033.jpg
 * VOC2012/SegmentationClass/2007_000033.png             palette PNG, 0..20, 255 = boundary (ignored)
 * VOC2012/ImageSets/Segmentation/{train,val,trainval}.txt
 *
 * VOC2010/JPEGImages/2008_000002.jpg
 * VOC2010/SegmentationClassContext/2008_000002.png      8-bit, 0 = background, 1..59 = classes
 * VOC2010/ImageSets/SegmentationContext/{train,val}.txt (falls back to ImageSets/Segmentation)
 * </pre>
 * {@code root} may be the VOC20xx folder itself, a {@code VOCdevkit} folder or the folder containing
 * {@code VOCdevkit}. Pascal Context's annotations come as .mat files; they must first be converted to index PNGs
 * with the 59 most frequent classes plus background (the conversion of mmsegmentation's
 * {@code pascal_context.py} tool, which writes {@code SegmentationClassContext}). The label and list folders can be
 * changed (e.g. {@code SegmentationClassAug} for augmented VOC). Split aliases: training, validation.
 */
public final class VocReader {

    /** Type name of Pascal VOC 2012. */
    public static final String TYPE_VOC = "voc";
    /** Type name of Pascal Context with background (60 classes). */
    public static final String TYPE_CONTEXT = "context";
    /** Type name of Pascal Context without background (59 classes, reduce-zero-label). */
    public static final String TYPE_CONTEXT59 = "context59";

    private VocReader() {}

    /** Pascal VOC 2012 with {@code SegmentationClass} and {@code ImageSets/Segmentation}. */
    public static SegmentationDataset openVoc(Path root, String split) {
        return openVoc(root, split, "SegmentationClass", "ImageSets/Segmentation");
    }

    /** Pascal VOC 2012 with other label and list folders (relative to the VOC2012 folder). */
    public static SegmentationDataset openVoc(Path root, String split, String labelDir, String listDir) {
        Path base = locate(root, "VOC2012");
        List<FilePair> pairs = pairs(TYPE_VOC, base, split, labelDir, List.of(listDir));
        return new PairedSegmentationDataset(TYPE_VOC, base, canonicalSplit(split), pairs, 21, false,
                ClassLists.voc());
    }

    /**
     * Pascal Context from index PNGs (0 = background, 1..59 classes).
     *
     * @param withoutBackground false: 60 classes, background is class 0; true: 59 classes, label 0 is ignored
     *     (reduce-zero-label), the usual "Pascal Context 59" protocol
     * @param labelDir label folder relative to VOC2010 (null: {@code SegmentationClassContext})
     * @param listDir list folder relative to VOC2010 (null: {@code ImageSets/SegmentationContext}, then
     *     {@code ImageSets/Segmentation})
     */
    public static SegmentationDataset openContext(Path root, String split, boolean withoutBackground,
            String labelDir, String listDir) {
        Path base = locate(root, "VOC2010");
        String type = withoutBackground ? TYPE_CONTEXT59 : TYPE_CONTEXT;
        List<String> lists = listDir != null ? List.of(listDir)
                : List.of("ImageSets/SegmentationContext", "ImageSets/Segmentation");
        List<FilePair> pairs = pairs(type, base, split, labelDir != null ? labelDir : "SegmentationClassContext",
                lists);
        return withoutBackground
                ? new PairedSegmentationDataset(type, base, canonicalSplit(split), pairs, 59, true,
                        ClassLists.context59())
                : new PairedSegmentationDataset(type, base, canonicalSplit(split), pairs, 60, false,
                        ClassLists.context60());
    }

    private static List<FilePair> pairs(String type, Path base, String split, String labelDir, List<String> lists) {
        String s = canonicalSplit(split);
        Path listFile = null;
        for (String dir : lists) {
            Path candidate = base.resolve(dir).resolve(s + ".txt");
            if (Files.isRegularFile(candidate)) {
                listFile = candidate;
                break;
            }
        }
        if (listFile == null) {
            List<String> tried = lists.stream().map(d -> Folders.rel(base, base.resolve(d).resolve(s + ".txt")))
                    .toList();
            throw new DatasetException(type + ": split list not found under " + base + " (tried " + tried + ")");
        }
        Path images = base.resolve("JPEGImages");
        Path labels = base.resolve(labelDir);
        Folders.requireDirectory(images, type + " JPEGImages");
        Folders.requireDirectory(labels, type + " label");
        Problems problems = new Problems();
        List<FilePair> pairs = new ArrayList<>();
        for (String line : Folders.readLines(listFile, type + " split list")) {
            String id = line.split("\\s+")[0];
            Path image = Folders.findImage(images, id);
            Path label = labels.resolve(id + ".png");
            boolean hasLabel = Files.isRegularFile(label);
            if (image == null) {
                problems.add("listed image missing: " + Folders.rel(base, images.resolve(id + ".jpg"))
                        + (hasLabel ? "" : " (and its label " + Folders.rel(base, label) + ")"));
            } else if (!hasLabel) {
                problems.add("image without label: " + Folders.rel(base, image) + " (expected "
                        + Folders.rel(base, label) + ")");
            } else {
                pairs.add(new FilePair(id, image, label));
            }
        }
        problems.throwIfAny(type + " " + s + " at " + base + " (list " + Folders.rel(base, listFile) + ")");
        return pairs;
    }

    private static String canonicalSplit(String split) {
        if (split == null || split.isBlank()) {
            throw new DatasetException("voc: a split name is required (train, val or trainval)");
        }
        return switch (split.trim().toLowerCase(Locale.ROOT)) {
            case "validation" -> "val";
            case "training" -> "train";
            default -> split.trim();
        };
    }

    /** The VOC20xx folder: root itself, root/VOC20xx, root/VOCdevkit/VOC20xx. */
    private static Path locate(Path root, String year) {
        for (Path candidate : List.of(root, root.resolve(year), root.resolve("VOCdevkit").resolve(year))) {
            if (Files.isDirectory(candidate.resolve("JPEGImages"))) {
                return candidate;
            }
        }
        throw new DatasetException("Pascal VOC folder not found: no JPEGImages in " + root + ", " + root.resolve(year)
                + " or " + root.resolve("VOCdevkit").resolve(year));
    }
}
