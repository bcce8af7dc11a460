package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Split-name aliases: each dataset spells its splits its own way (validation, val, ...). */
final class Splits {

    private Splits() {}

    /** The names to try for {@code split}, the given spelling first, then its aliases. */
    static List<String> candidates(String split) {
        String s = split == null ? "" : split.trim();
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "val", "validation" -> List.of(s, "validation", "val");
            case "train", "training" -> List.of(s, "training", "train");
            default -> List.of(s);
        };
    }

    /**
     * The first alias of {@code split} for which {@code parent/alias} is a directory.
     *
     * @throws DatasetException listing what was tried
     */
    static String resolveFolder(Path parent, String split, String type) {
        requireSplit(split, type);
        for (String candidate : candidates(split)) {
            if (Files.isDirectory(parent.resolve(candidate))) {
                return candidate;
            }
        }
        throw new DatasetException(type + ": split '" + split + "' not found under " + parent + " (tried "
                + String.join(", ", candidates(split).stream().distinct().toList()) + ")");
    }

    /** The canonical name among {@code allowed} for {@code split}, or an error listing them. */
    static String canonical(String split, String type, List<String> allowed) {
        requireSplit(split, type);
        for (String candidate : candidates(split)) {
            if (allowed.contains(candidate)) {
                return candidate;
            }
        }
        throw new DatasetException(type + ": unknown split '" + split + "', expected one of " + allowed);
    }

    private static void requireSplit(String split, String type) {
        if (split == null || split.isBlank()) {
            throw new DatasetException(type + ": a split name is required (e.g. validation)");
        }
    }
}
