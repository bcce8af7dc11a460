package dev.tokenreduce.datasets.readers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cityscapes fine annotations with train ids:
 *
 * <pre>
 * root/leftImg8bit/{train,val,test}/{city}/{city}_{seq}_{frame}_leftImg8bit.png
 * root/gtFine/{train,val,test}/{city}/{city}_{seq}_{frame}_gtFine_labelTrainIds.png   0..18, 255 = ignore
 * </pre>
 * The {@code labelTrainIds} files are not in the download; cityscapesscripts' {@code createTrainIdLabelImgs}
 * makes them. Sample names are {@code city/city_seq_frame}. 19 classes, no reduce-zero-label.
 */
public final class CityscapesReader {

    /** Type name in dataset specs. */
    public static final String TYPE = "cityscapes";

    static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    static final String LABEL_SUFFIX = "_gtFine_labelTrainIds.png";

    private CityscapesReader() {}

    /**
     * Lists the split.
     *
     * @throws dev.tokenreduce.datasets.DatasetException for a missing folder or any unpaired file (all listed)
     */
    public static SegmentationDataset open(Path root, String split) {
        Folders.requireDirectory(root.resolve("leftImg8bit"), "Cityscapes leftImg8bit");
        String s = Splits.canonical(split, TYPE, List.of("train", "val", "test"));
        Path imageSplit = root.resolve("leftImg8bit").resolve(s);
        Path labelSplit = root.resolve("gtFine").resolve(s);
        Problems problems = new Problems();
        Folders.requireDirectory(imageSplit, "Cityscapes image split");
        if (!Files.isDirectory(labelSplit)) {
            problems.add("label folder not found: " + Folders.rel(root, labelSplit));
            problems.throwIfAny("cityscapes " + s + " at " + root);
        }
        List<FilePair> pairs = new ArrayList<>();
        Set<Path> pairedLabels = new HashSet<>();
        boolean anyTrainIds = false;
        for (Path city : Folders.subfolders(imageSplit, "Cityscapes city")) {
            String cityName = city.getFileName().toString();
            for (Path image : Folders.list(city, Folders.PNG, "Cityscapes city")) {
                String file = image.getFileName().toString();
                if (!file.endsWith(IMAGE_SUFFIX)) {
                    continue;
                }
                String stem = file.substring(0, file.length() - IMAGE_SUFFIX.length());
                Path label = labelSplit.resolve(cityName).resolve(stem + LABEL_SUFFIX);
                if (Files.isRegularFile(label)) {
                    pairs.add(new FilePair(cityName + "/" + stem, image, label));
                    pairedLabels.add(label);
                    anyTrainIds = true;
                } else {
                    problems.add("image without label: " + Folders.rel(root, image) + " (expected "
                            + Folders.rel(root, label) + ")");
                }
            }
        }
        for (Path city : Folders.subfolders(labelSplit, "Cityscapes label city")) {
            for (Path label : Folders.list(city, Folders.PNG, "Cityscapes label city")) {
                if (label.getFileName().toString().endsWith(LABEL_SUFFIX)) {
                    anyTrainIds = true;
                    if (!pairedLabels.contains(label)) {
                        problems.add("label without image: " + Folders.rel(root, label));
                    }
                }
            }
        }
        if (!anyTrainIds && !problems.isEmpty()) {
            problems.add("no *" + LABEL_SUFFIX + " files at all: create them with cityscapesscripts'"
                    + " createTrainIdLabelImgs (CITYSCAPES_DATASET=" + root + ")");
        }
        problems.throwIfAny("cityscapes " + s + " at " + root);
        return new PairedSegmentationDataset(TYPE, root, s, pairs, 19, false, ClassLists.cityscapes());
    }
}
