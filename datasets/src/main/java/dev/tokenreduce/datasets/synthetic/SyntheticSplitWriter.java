package dev.tokenreduce.datasets.synthetic;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.image.ImageFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Writes generated scenes to disk in an ADE20K-like layout, which the {@code synthetic} reader (and, for depth, the
 * NYU-style reader) reads back:
 *
 * <pre>
 * root/images/{split}/synthetic_000000.png        RGB (or .jpg)
 * root/annotations/{split}/synthetic_000000.png   8-bit class indices (0 = background, a real class)
 * root/depth/{split}/synthetic_000000.png         16-bit depth in millimetres
 * root/synthetic.properties                       classes, seed, size, shape counts, scenes per split
 * </pre>
 */
public final class SyntheticSplitWriter {

    /** Name of the metadata file at the root. */
    public static final String METADATA_FILE = "synthetic.properties";

    private SyntheticSplitWriter() {}

    /**
     * Generates scenes {@code first .. first + count − 1} and writes them as split {@code split}.
     *
     * @param imageExtension {@code png} (lossless, the default choice) or {@code jpg} (as ADE20K ships images)
     * @return the root folder
     * @throws DatasetException when a file cannot be written
     */
    public static Path write(SceneGenerator generator, Path root, String split, long first, int count,
            String imageExtension) {
        String ext = imageExtension == null ? "" : imageExtension.toLowerCase(Locale.ROOT);
        if (!ext.equals("png") && !ext.equals("jpg")) {
            throw new InvalidInputException("synthetic images are written as png or jpg, got '" + imageExtension
                    + "'");
        }
        if (split == null || !split.matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidInputException("split name must be a plain folder name, got '" + split + "'");
        }
        if (count < 1 || first < 0) {
            throw new InvalidInputException("need count >= 1 and first >= 0, got first=" + first + " count="
                    + count);
        }
        for (long i = first; i < first + count; i++) {
            SyntheticScene scene = generator.generate(i);
            ImageFiles.writeRgb(root.resolve("images").resolve(split).resolve(scene.name() + "." + ext),
                    scene.image());
            ImageFiles.writeLabel(root.resolve("annotations").resolve(split).resolve(scene.name() + ".png"),
                    scene.label());
            ImageFiles.writeDepthMillimetres(root.resolve("depth").resolve(split).resolve(scene.name() + ".png"),
                    scene.depth());
        }
        writeMetadata(generator, root, split, first, count);
        return root;
    }

    /** {@link #write(SceneGenerator, Path, String, long, int, String)} from scene 0, as PNG. */
    public static Path write(SceneGenerator generator, Path root, String split, int count) {
        return write(generator, root, split, 0, count, "png");
    }

    private static void writeMetadata(SceneGenerator generator, Path root, String split, long first, int count) {
        Path file = root.resolve(METADATA_FILE);
        TreeMap<String, String> entries = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                Properties existing = new Properties();
                try (Reader r = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
                    existing.load(r);
                }
                for (String key : existing.stringPropertyNames()) {
                    entries.put(key, existing.getProperty(key));
                }
            }
            entries.put("classes", String.join(",", generator.classNames()));
            entries.put("seed", Long.toString(generator.seed()));
            entries.put("size", Integer.toString(generator.size()));
            entries.put("shapes", generator.minShapes() + ".." + generator.maxShapes());
            entries.put("split." + split + ".first", Long.toString(first));
            entries.put("split." + split + ".count", Integer.toString(count));
            StringBuilder text = new StringBuilder("# tokenreduce synthetic scenes (SceneGenerator)\n");
            entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.createDirectories(root);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
