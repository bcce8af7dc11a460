package dev.tokenreduce.datasets.readers;

import dev.tokenreduce.datasets.DatasetException;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens datasets from {@code type:path} specs, as given on the command line:
 *
 * <table>
 *   <caption>dataset types</caption>
 *   <tr><th>type</th><th>reader</th><th>options</th></tr>
 *   <tr><td>ade20k</td><td>{@link Ade20kReader}</td><td></td></tr>
 *   <tr><td>cityscapes</td><td>{@link CityscapesReader}</td><td></td></tr>
 *   <tr><td>voc</td><td>{@link VocReader#openVoc}</td><td>labelDir, listDir</td></tr>
 *   <tr><td>context, context59</td><td>{@link VocReader#openContext}</td><td>labelDir, listDir</td></tr>
 *   <tr><td>nyu</td><td>{@link NyuDepthReader} (depth)</td><td>depthScale (metres per unit, default 0.001)</td></tr>
 *   <tr><td>synthetic</td><td>{@link SyntheticReader} (segmentation; depth via {@link #openDepth})</td><td></td></tr>
 *   <tr><td>generated</td><td>in-memory scenes, no files: {@code generated:count=64,seed=0,size=128}</td>
 *       <td>count (32), seed (0), size (128), shapes ("3..6")</td></tr>
 * </table>
 * Options may also be passed as a map. For {@code generated}, the validation/val split uses the seed as given,
 * train/training uses seed + 1 and test uses seed + 2, so splits never share scenes.
 */
public final class Datasets {

    /** Every supported type name. */
    public static final List<String> TYPES = List.of(Ade20kReader.TYPE, CityscapesReader.TYPE, VocReader.TYPE_VOC,
            VocReader.TYPE_CONTEXT, VocReader.TYPE_CONTEXT59, NyuDepthReader.TYPE, SyntheticReader.TYPE,
            SyntheticReader.TYPE_GENERATED);

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            VocReader.TYPE_VOC, Set.of("labelDir", "listDir"),
            VocReader.TYPE_CONTEXT, Set.of("labelDir", "listDir"),
            VocReader.TYPE_CONTEXT59, Set.of("labelDir", "listDir"),
            NyuDepthReader.TYPE, Set.of("depthScale"),
            SyntheticReader.TYPE_GENERATED, Set.of("count", "seed", "size", "shapes"));

    private Datasets() {}

    /** Opens a dataset in its natural task (depth for nyu, segmentation otherwise). */
    public static Dataset open(String spec, String split) {
        return open(spec, split, Map.of());
    }

    /** {@link #open(String, String)} with reader options. */
    public static Dataset open(String spec, String split, Map<String, String> options) {
        Spec s = parse(spec, options);
        if (s.type.equals(NyuDepthReader.TYPE)) {
            return openDepth(s, split);
        }
        return openSegmentation(s, split);
    }

    /**
     * Opens a segmentation dataset.
     *
     * @throws DatasetException for a malformed spec, an unknown type, a depth-only type or problems with the files
     */
    public static SegmentationDataset openSegmentation(String spec, String split) {
        return openSegmentation(parse(spec, Map.of()), split);
    }

    /** {@link #openSegmentation(String, String)} with reader options. */
    public static SegmentationDataset openSegmentation(String spec, String split, Map<String, String> options) {
        return openSegmentation(parse(spec, options), split);
    }

    /**
     * Opens a depth dataset (nyu, synthetic, generated).
     *
     * @throws DatasetException for a malformed spec, an unknown type, a segmentation-only type or file problems
     */
    public static DepthDataset openDepth(String spec, String split) {
        return openDepth(parse(spec, Map.of()), split);
    }

    /** {@link #openDepth(String, String)} with reader options. */
    public static DepthDataset openDepth(String spec, String split, Map<String, String> options) {
        return openDepth(parse(spec, options), split);
    }

    private static SegmentationDataset openSegmentation(Spec s, String split) {
        return switch (s.type) {
            case Ade20kReader.TYPE -> Ade20kReader.open(s.root(), split);
            case CityscapesReader.TYPE -> CityscapesReader.open(s.root(), split);
            case VocReader.TYPE_VOC -> VocReader.openVoc(s.root(), split,
                    s.options.getOrDefault("labelDir", "SegmentationClass"),
                    s.options.getOrDefault("listDir", "ImageSets/Segmentation"));
            case VocReader.TYPE_CONTEXT, VocReader.TYPE_CONTEXT59 -> VocReader.openContext(s.root(), split,
                    s.type.equals(VocReader.TYPE_CONTEXT59), s.options.get("labelDir"), s.options.get("listDir"));
            case SyntheticReader.TYPE -> SyntheticReader.open(s.root(), split);
            case SyntheticReader.TYPE_GENERATED -> generated(s, split);
            default -> throw new DatasetException("'" + s.type + "' is a depth dataset, not a segmentation dataset"
                    + " (spec '" + s.text + "')");
        };
    }

    private static DepthDataset openDepth(Spec s, String split) {
        return switch (s.type) {
            case NyuDepthReader.TYPE -> NyuDepthReader.open(s.root(), split,
                    s.number("depthScale", 0.001, Double.MIN_VALUE));
            case SyntheticReader.TYPE -> SyntheticReader.openDepth(s.root(), split);
            case SyntheticReader.TYPE_GENERATED -> generated(s, split).depthView();
            default -> throw new DatasetException("'" + s.type + "' is a segmentation dataset, not a depth dataset"
                    + " (spec '" + s.text + "'); depth types: nyu, synthetic, generated");
        };
    }

    private static GeneratedScenes generated(Spec s, String split) {
        long seed = (long) s.number("seed", 0, -Double.MAX_VALUE);
        long offset = switch (split == null ? "" : split.trim().toLowerCase(Locale.ROOT)) {
            case "val", "validation" -> 0;
            case "train", "training" -> 1;
            case "test" -> 2;
            default -> throw new DatasetException("generated: unknown split '" + split
                    + "', expected validation, train or test");
        };
        SceneGenerator.Builder b = SceneGenerator.builder().optSeed(seed + offset)
                .optSize((int) s.number("size", 128, 1));
        String shapes = s.options.get("shapes");
        if (shapes != null) {
            String[] parts = shapes.split("\\.\\.");
            try {
                b.optShapes(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[parts.length - 1].trim()));
            } catch (NumberFormatException e) {
                throw new DatasetException("generated: option shapes must look like 3..6, got '" + shapes + "'", e);
            }
        }
        return SyntheticReader.generated(b.build(), (int) s.number("count", 32, 1), split);
    }

    private static Spec parse(String spec, Map<String, String> options) {
        if (spec == null || spec.isBlank()) {
            throw new DatasetException("dataset spec is empty: expected type:path with type one of " + TYPES);
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new DatasetException("dataset spec '" + spec + "' has no type: expected type:path with type one of "
                    + TYPES + " (e.g. ade20k:/data/ADEChallengeData2016)");
        }
        String type = spec.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new DatasetException("unknown dataset type '" + spec.substring(0, colon) + "' in '" + spec
                    + "': expected one of " + TYPES);
        }
        String rest = spec.substring(colon + 1).trim();
        Map<String, String> merged = new LinkedHashMap<>();
        if (type.equals(SyntheticReader.TYPE_GENERATED) && !rest.isEmpty()) {
            for (String kv : rest.split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new DatasetException("generated: expected key=value options such as count=64,seed=0,"
                            + "size=128, got '" + kv + "' in '" + spec + "'");
                }
                merged.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        if (options != null) {
            merged.putAll(options);
        }
        Set<String> allowed = OPTIONS.getOrDefault(type, Set.of());
        for (String key : merged.keySet()) {
            if (!allowed.contains(key)) {
                throw new DatasetException("unknown option '" + key + "' for dataset type " + type + ": "
                        + (allowed.isEmpty() ? "it takes no options" : "expected one of " + allowed.stream().sorted()
                                .toList()));
            }
        }
        if (!type.equals(SyntheticReader.TYPE_GENERATED) && rest.isEmpty()) {
            throw new DatasetException("dataset spec '" + spec + "' has no path after '" + type + ":'");
        }
        return new Spec(spec, type, rest, merged);
    }

    /** A parsed spec. */
    private record Spec(String text, String type, String path, Map<String, String> options) {

        Path root() {
            Path p;
            try {
                p = Path.of(path);
            } catch (InvalidPathException e) {
                throw new DatasetException("invalid dataset path '" + path + "' in '" + text + "'", e);
            }
            if (!Files.isDirectory(p)) {
                throw new DatasetException(type + " dataset root not found: " + p + " (from '" + text + "')");
            }
            return p;
        }

        double number(String key, double fallback, double min) {
            String v = options.get(key);
            if (v == null) {
                return fallback;
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new DatasetException(type + ": option " + key + " must be a number, got '" + v + "'", e);
            }
            if (!(d >= min) || Double.isInfinite(d)) {
                throw new DatasetException(type + ": option " + key + " out of range: " + v);
            }
            return d;
        }
    }
}
