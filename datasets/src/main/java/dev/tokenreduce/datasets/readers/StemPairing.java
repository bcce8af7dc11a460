package dev.tokenreduce.datasets.readers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pairs the files of an image folder with those of a target folder by file stem, recording unpaired files. */
final class StemPairing {

    private StemPairing() {}

    /**
     * Image {@code a.jpg} pairs with target {@code a.png}. Unpaired images and targets become problems; so do two
     * images with one stem (a.jpg and a.png).
     */
    static List<FilePair> pair(Path root, Path imageDir, Path targetDir, Set<String> imageExtensions,
            Set<String> targetExtensions, String targetKind, Problems problems) {
        List<Path> images = Folders.list(imageDir, imageExtensions, "image");
        List<Path> targets = Folders.list(targetDir, targetExtensions, targetKind);
        Map<String, Path> targetByStem = new LinkedHashMap<>();
        for (Path t : targets) {
            Path previous = targetByStem.put(Folders.stem(t), t);
            if (previous != null) {
                problems.add("two " + targetKind + " files for one stem: " + Folders.rel(root, previous) + " and "
                        + Folders.rel(root, t));
            }
        }
        Map<String, Path> imageByStem = new LinkedHashMap<>();
        List<FilePair> pairs = new ArrayList<>();
        for (Path image : images) {
            String stem = Folders.stem(image);
            Path previous = imageByStem.put(stem, image);
            if (previous != null) {
                problems.add("two images for one stem: " + Folders.rel(root, previous) + " and "
                        + Folders.rel(root, image));
                continue;
            }
            Path target = targetByStem.get(stem);
            if (target == null) {
                problems.add("image without " + targetKind + ": " + Folders.rel(root, image) + " (expected "
                        + Folders.rel(root, targetDir.resolve(stem + "." + targetExtensions.iterator().next()))
                        + ")");
            } else {
                pairs.add(new FilePair(stem, image, target));
            }
        }
        for (Map.Entry<String, Path> e : targetByStem.entrySet()) {
            if (!imageByStem.containsKey(e.getKey())) {
                problems.add(targetKind + " without image: " + Folders.rel(root, e.getValue()));
            }
        }
        return pairs;
    }
}
