package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** File-listing helpers shared by the readers. */
final class Folders {

    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png");
    static final Set<String> PNG = Set.of("png");

    private Folders() {}

    /**
     * The regular files directly in {@code folder} whose extension is in {@code extensions}, sorted by name.
     *
     * @throws DatasetException when the folder does not exist
     */
    static List<Path> list(Path folder, Set<String> extensions, String what) {
        requireDirectory(folder, what);
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(p -> extensions.contains(extension(p)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + what + " folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Sub-folders of {@code folder}, sorted by name. */
    static List<Path> subfolders(Path folder, String what) {
        requireDirectory(folder, what);
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + what + " folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** @throws DatasetException naming {@code what} when {@code folder} is not a directory */
    static void requireDirectory(Path folder, String what) {
        if (!Files.isDirectory(folder)) {
            throw new DatasetException(what + " folder not found: " + folder);
        }
    }

    /** The file name without its last extension. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code path} relative to {@code root} when it lies below it (shorter messages). */
    static String rel(Path root, Path path) {
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    /** The first of {@code stem}.{jpg,jpeg,png,JPG,...} that exists in {@code folder}, or null. */
    static Path findImage(Path folder, String stem) {
        for (String ext : new String[] {"jpg", "png", "jpeg", "JPG", "PNG", "JPEG"}) {
            Path p = folder.resolve(stem + "." + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Reads a list file's non-blank lines, trimmed. */
    static List<String> readLines(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(what + " not found: " + file);
        }
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            throw new DatasetException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }
}
