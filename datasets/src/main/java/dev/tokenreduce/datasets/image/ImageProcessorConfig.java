package dev.tokenreduce.datasets.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.datasets.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image pipeline of a HuggingFace {@code CLIPImageProcessor} (LLaVA-1.5's): resize the shortest side with
 * bicubic filtering, centre-crop, rescale by 1/255 and normalise. Built from the defaults of a model (its tower's
 * image size and statistics) or from a {@code preprocessor_config.json}, then turned into a {@link Preprocessor}.
 *
 * <p>Resampling is OpenCV's (bicubic a = −0.75, no antialiasing), not PIL's (a = −0.5, antialiased when shrinking):
 * pixel values of a resized image differ slightly from transformers' on photos, exactly the same when no resize is
 * needed or the image has one colour.
 *
 * @param resize size rule of the resize step (null = no resize)
 * @param interpolation filter of the resize
 * @param centerCrop size of the centre crop (null = no crop)
 * @param normalization statistics applied after the 1/255 rescale
 */
public record ImageProcessorConfig(SizeRule resize, Interpolation interpolation, ImageSize centerCrop,
        Normalization normalization) {

    /** The file name HuggingFace gives an image processor's settings. */
    public static final String FILE = "preprocessor_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double RESCALE = 1.0 / 255.0;

    public ImageProcessorConfig {
        if (interpolation == null || normalization == null) {
            throw new DatasetException("image processor: interpolation and normalisation are required");
        }
    }

    /**
     * {@code CLIPImageProcessor}'s defaults for a tower of {@code imageSize}: shortest side to {@code imageSize}
     * (bicubic), centre crop {@code imageSize}², the given statistics.
     */
    public static ImageProcessorConfig clip(int imageSize, Normalization normalization) {
        return new ImageProcessorConfig(SizeRule.shortestSide(imageSize), Interpolation.BICUBIC,
                new ImageSize(imageSize, imageSize), normalization);
    }

    /**
     * {@code directory/preprocessor_config.json} over {@code defaults} when the file exists, else the defaults.
     *
     * @throws DatasetException for a file that is not readable JSON or has unsupported settings
     */
    public static ImageProcessorConfig forModelDirectory(Path directory, ImageProcessorConfig defaults) {
        Path file = directory.resolve(FILE);
        return Files.isRegularFile(file) ? read(file, defaults) : defaults;
    }

    /**
     * The settings of a {@code preprocessor_config.json}; fields it leaves out keep the values of {@code defaults}.
     * Read: {@code do_resize}, {@code size} (an int or {@code shortest_edge}, or {@code height}+{@code width}),
     * {@code resample} (PIL codes 0 nearest, 2 bilinear, 3 bicubic, 4 box), {@code do_center_crop},
     * {@code crop_size} (an int or {@code height}+{@code width}), {@code do_rescale}/{@code rescale_factor} (only
     * 1/255), {@code do_normalize}, {@code image_mean}, {@code image_std}.
     *
     * @throws DatasetException naming the file and field for unreadable JSON or unsupported values
     */
    public static ImageProcessorConfig read(Path file, ImageProcessorConfig defaults) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new DatasetException(file + ": not readable JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DatasetException(file + ": expected a JSON object");
        }
        Fields f = new Fields(root, file);
        SizeRule resize = defaults.resize();
        if (root.has("size")) {
            resize = f.sizeRule("size");
        }
        if (!f.bool("do_resize", true)) {
            resize = null;
        }
        Interpolation interpolation = root.has("resample") ? f.resample("resample") : defaults.interpolation();
        ImageSize crop = root.has("crop_size") ? f.imageSize("crop_size") : defaults.centerCrop();
        if (!f.bool("do_center_crop", true)) {
            crop = null;
        }
        if (!f.bool("do_rescale", true)) {
            throw f.error("do_rescale", "false is not supported: pixels are always rescaled by 1/255");
        }
        if (root.has("rescale_factor")) {
            double factor = f.number("rescale_factor");
            if (Math.abs(factor - RESCALE) > 1e-9) {
                throw f.error("rescale_factor", factor + " is not supported: only 1/255 (0.00392156862745098)");
            }
        }
        Normalization norm = defaults.normalization();
        if (root.has("image_mean") || root.has("image_std")) {
            norm = Normalization.of(root.has("image_mean") ? f.triple("image_mean") : norm.mean(),
                    root.has("image_std") ? f.triple("image_std") : norm.std());
        }
        if (!f.bool("do_normalize", true)) {
            norm = Normalization.of(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});
        }
        return new ImageProcessorConfig(resize, interpolation, crop, norm);
    }

    /** The pipeline: resize, centre crop, normalise. */
    public Preprocessor preprocessor() {
        Preprocessor.Builder b = Preprocessor.builder().optInterpolation(interpolation).setNormalization(normalization);
        if (resize != null) {
            b.optResize(resize);
        }
        if (centerCrop != null) {
            b.optCenterCrop(centerCrop);
        }
        return b.build();
    }

    /** Typed access to the fields of one file, with errors naming file and field. */
    private record Fields(JsonNode root, Path file) {

        DatasetException error(String field, String problem) {
            return new DatasetException(file + ", field '" + field + "': " + problem);
        }

        boolean bool(String field, boolean fallback) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isBoolean()) {
                throw error(field, "expected true or false, got " + n);
            }
            return n.booleanValue();
        }

        double number(String field) {
            JsonNode n = root.get(field);
            if (n == null || !n.isNumber()) {
                throw error(field, "expected a number, got " + n);
            }
            return n.doubleValue();
        }

        float[] triple(String field) {
            JsonNode n = root.get(field);
            if (n != null && n.isNumber()) {
                float v = n.floatValue();
                return new float[] {v, v, v};
            }
            if (n == null || !n.isArray() || n.size() != 3) {
                throw error(field, "expected 3 numbers (R, G, B), got " + n);
            }
            float[] out = new float[3];
            for (int c = 0; c < 3; c++) {
                if (!n.get(c).isNumber()) {
                    throw error(field, "expected 3 numbers (R, G, B), got " + n);
                }
                out[c] = n.get(c).floatValue();
            }
            return out;
        }

        /** {@code size}: an int or {shortest_edge} resize the shortest side; {height, width} is a fixed size. */
        SizeRule sizeRule(String field) {
            JsonNode n = root.get(field);
            if (n.isInt()) {
                return SizeRule.shortestSide(positive(field, n));
            }
            if (n.isObject() && n.has("shortest_edge")) {
                if (n.has("longest_edge")) {
                    throw error(field, "longest_edge is not supported (only shortest_edge, or height and width)");
                }
                return SizeRule.shortestSide(positive(field + ".shortest_edge", n.get("shortest_edge")));
            }
            ImageSize fixed = heightWidth(field, n);
            return SizeRule.fixed(fixed.width(), fixed.height());
        }

        /** {@code crop_size}: an int (square) or {height, width}. */
        ImageSize imageSize(String field) {
            JsonNode n = root.get(field);
            if (n.isInt()) {
                int side = positive(field, n);
                return new ImageSize(side, side);
            }
            return heightWidth(field, n);
        }

        Interpolation resample(String field) {
            JsonNode n = root.get(field);
            if (!n.isInt()) {
                throw error(field, "expected a PIL resampling code, got " + n);
            }
            return switch (n.intValue()) {
                case 0 -> Interpolation.NEAREST;
                case 2 -> Interpolation.BILINEAR;
                case 3 -> Interpolation.BICUBIC;
                case 4 -> Interpolation.AREA;
                default -> throw error(field, n.intValue() + " is not supported: 0 (nearest), 2 (bilinear), "
                        + "3 (bicubic) or 4 (box)");
            };
        }

        private ImageSize heightWidth(String field, JsonNode n) {
            if (!n.isObject() || !n.has("height") || !n.has("width")) {
                throw error(field, "expected an int, {\"shortest_edge\": n} or {\"height\": h, \"width\": w}, got "
                        + n);
            }
            return new ImageSize(positive(field + ".width", n.get("width")),
                    positive(field + ".height", n.get("height")));
        }

        private int positive(String field, JsonNode n) {
            if (n == null || !n.isInt() || n.intValue() < 1) {
                throw error(field, "expected a positive integer, got " + n);
            }
            return n.intValue();
        }
    }
}
