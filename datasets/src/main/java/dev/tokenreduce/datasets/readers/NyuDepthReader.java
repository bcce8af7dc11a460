package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * NYU Depth v2 as RGB images with 16-bit depth PNGs (millimetres by default). Three folder layouts are recognised,
 * tried in this order:
 *
 * <ol>
 *   <li><b>images/depth</b> (the synthetic writer's layout): {@code root/images/{split}/x.jpg|png} with
 *       {@code root/depth/{split}/x.png}.</li>
 *   <li><b>rgb/depth per split</b>: {@code root/{split}/rgb/x.jpg|png} with {@code root/{split}/depth/x.png}.</li>
 *   <li><b>official splits</b> (the {@code nyu_depth_v2} folders used by BTS, AdaBins, NeWCRFs and others):
 *       {@code root/official_splits/{test,train}/{scene}/rgb_00045.jpg} with {@code sync_depth_00045.png} beside it.
 *       {@code root} may also be {@code official_splits} itself. NYU has no validation split: {@code val} and
 *       {@code validation} mean {@code test} here. Sample names are {@code scene/00045}.</li>
 * </ol>
 * Evaluation conventions: depth range 0.001..10 m, Eigen crop.
 */
public final class NyuDepthReader {

    /** Type name in dataset specs. */
    public static final String TYPE = "nyu";

    private NyuDepthReader() {}

    /** Opens a split with millimetre depth PNGs. */
    public static DepthDataset open(Path root, String split) {
        return open(root, split, ImageFiles.MILLIMETRES);
    }

    /**
     * Opens a split whose depth PNG units are {@code metresPerUnit} metres.
     *
     * @throws DatasetException when no supported layout is found, or for unpaired files (all listed)
     */
    public static DepthDataset open(Path root, String split, double metresPerUnit) {
        Folders.requireDirectory(root, "NYU Depth v2 root");
        if (split == null || split.isBlank()) {
            throw new DatasetException("nyu: a split name is required (e.g. test)");
        }
        Problems problems = new Problems();
        List<FilePair> pairs;
        String found;
        if (Files.isDirectory(root.resolve("images")) && Files.isDirectory(root.resolve("depth"))) {
            found = Splits.resolveFolder(root.resolve("images"), split, TYPE);
            pairs = StemPairing.pair(root, root.resolve("images").resolve(found), root.resolve("depth").resolve(found),
                    Folders.IMAGE_EXTENSIONS, Folders.PNG, "depth", problems);
        } else if (splitFolder(root, split, "rgb") != null) {
            found = splitFolder(root, split, "rgb");
            Path dir = root.resolve(found);
            pairs = StemPairing.pair(root, dir.resolve("rgb"), dir.resolve("depth"), Folders.IMAGE_EXTENSIONS,
                    Folders.PNG, "depth", problems);
        } else {
            Path official = Files.isDirectory(root.resolve("official_splits")) ? root.resolve("official_splits")
                    : root;
            found = officialSplit(split);
            Path splitDir = official.resolve(found);
            if (!Files.isDirectory(splitDir)) {
                throw new DatasetException("nyu: no supported layout under " + root + ": looked for images/ + depth/,"
                        + " " + split + "/rgb + " + split + "/depth, and official_splits/" + found
                        + "/{scene}/rgb_*.jpg + sync_depth_*.png");
            }
            pairs = officialPairs(root, splitDir, problems);
        }
        problems.throwIfAny("nyu " + found + " at " + root);
        return new PairedDepthDataset(TYPE, root, found, pairs, metresPerUnit, 1e-3, 10.0, true);
    }

    private static String splitFolder(Path root, String split, String sub) {
        for (String candidate : Splits.candidates(split)) {
            if (Files.isDirectory(root.resolve(candidate).resolve(sub))) {
                return candidate;
            }
        }
        return null;
    }

    private static String officialSplit(String split) {
        String s = split.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "val", "validation", "test" -> "test";
            case "train", "training" -> "train";
            default -> split.trim();
        };
    }

    private static List<FilePair> officialPairs(Path root, Path splitDir, Problems problems) {
        List<FilePair> pairs = new ArrayList<>();
        for (Path scene : Folders.subfolders(splitDir, "NYU scene")) {
            String sceneName = scene.getFileName().toString();
            Set<String> imageIds = new HashSet<>();
            for (Path image : Folders.list(scene, Folders.IMAGE_EXTENSIONS, "NYU scene")) {
                String stem = Folders.stem(image);
                if (!stem.startsWith("rgb_")) {
                    continue;
                }
                String id = stem.substring("rgb_".length());
                imageIds.add(id);
                Path depth = scene.resolve("sync_depth_" + id + ".png");
                if (Files.isRegularFile(depth)) {
                    pairs.add(new FilePair(sceneName + "/" + id, image, depth));
                } else {
                    problems.add("image without depth: " + Folders.rel(root, image) + " (expected "
                            + Folders.rel(root, depth) + ")");
                }
            }
            for (Path depth : Folders.list(scene, Folders.PNG, "NYU scene")) {
                String stem = Folders.stem(depth);
                if (stem.startsWith("sync_depth_") && !imageIds.contains(stem.substring("sync_depth_".length()))) {
                    problems.add("depth without image: " + Folders.rel(root, depth));
                }
            }
        }
        return pairs;
    }
}
