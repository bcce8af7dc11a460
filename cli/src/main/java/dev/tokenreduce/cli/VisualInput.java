package dev.tokenreduce.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.image.Preprocessor;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.datasets.image.SizeRule;
import dev.tokenreduce.vit.config.VitConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one image {@code tokenreduce visualize} runs: the normalised pixels the encoder gets, (1, 3, H, W), and the RGB
 * view the pictures are drawn over, at the same H×W.
 *
 * @param pixels (1, channels, H, W) normalised, in the caller's scope
 * @param view what the model saw, as 8-bit RGB (grey when the pixels are not RGB)
 * @param description where the image came from, for the command's output
 */
record VisualInput(NDArray pixels, RgbImage view, String description) {

    /** Grey of the background when the pixels cannot be shown as RGB. */
    static final int GREY = 128;

    /**
     * Decodes an image file with the datasets module's OpenCV pipeline, resizes it (bilinear) to the model's input
     * size and normalises it with the model's mean and std, as {@code bench} does.
     */
    static VisualInput fromImage(Path file, VitConfig config, NDManager scope) {
        requireFile(file, "--image");
        if (config.channels() != 3) {
            throw new InvalidInputException("--image: the model takes " + config.channels() + " channels, not RGB;"
                    + " give already normalised pixels with --pixels");
        }
        RgbImage decoded = ImageFiles.readRgb(file);
        Preprocessor pre = Preprocessor.builder().optResize(SizeRule.fixed(config.imageWidth(), config.imageHeight()))
                .setNormalization(normalization(config)).build();
        RgbImage prepared = pre.prepare(decoded);
        NDArray pixels = pre.normalization().toNDArray(scope, List.of(prepared));
        return new VisualInput(pixels, prepared, file + " (" + decoded.width() + "x" + decoded.height()
                + ", resized to " + prepared.width() + "x" + prepared.height() + ")");
    }

    /**
     * Reads {@code pixel_values} (B, C, H, W), already normalised, and keeps image {@code index} of the batch; the
     * view undoes the model's normalisation.
     */
    static VisualInput fromPixels(Path file, int index, VitConfig config, NDManager scope) {
        requireFile(file, "--pixels");
        String name = FeaturesCommand.PIXELS;
        NDArray all;
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            if (!in.contains(name)) {
                throw new InvalidInputException("--pixels: tensor '" + name + "' not found in " + file + " (it has: "
                        + String.join(", ", in.names()) + ")");
            }
            all = in.load(name, scope);
        }
        Shape s = all.getShape();
        if (s.dimension() != 4) {
            throw new InvalidInputException("--pixels: '" + name + "' in " + file + " must be (B, C, H, W), got " + s);
        }
        if (index >= s.get(0)) {
            throw new InvalidInputException("--index " + index + " is outside the batch of " + s.get(0) + " images in "
                    + file);
        }
        NDArray pixels = all.get(new NDIndex("{}:{}", index, index + 1));
        int height = (int) s.get(2);
        int width = (int) s.get(3);
        RgbImage view;
        if (s.get(1) == 3 && config.channels() == 3) {
            float[] chw = pixels.toType(DataType.FLOAT32, false).toFloatArray();
            view = normalization(config).toRgb(chw, width, height);
        } else {
            view = RgbImage.filled(width, height, GREY, GREY, GREY);
        }
        return new VisualInput(pixels, view, file + " (" + name + " " + s + ", image " + index + ")");
    }

    /** The model's mean and std (from its config, or its family's defaults). */
    static Normalization normalization(VitConfig config) {
        return Normalization.of(config.imageMean(), config.imageStd());
    }


    private static void requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(option + ": " + file + " does not exist or is not a file");
        }
    }
}
