package dev.tokenreduce.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.Crops;
import dev.tokenreduce.datasets.image.ImageProcessorConfig;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.vit.config.VitConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * An image file made into a vision tower's {@code pixel_values} the way LLaVA-1.5's {@code CLIPImageProcessor}
 * does: shortest side to the tower's image size (bicubic), centre crop, 1/255, the tower's mean and std; a
 * {@code preprocessor_config.json} in the model directory overrides these.
 */
final class ImagePixels {

    private ImagePixels() {}

    /** The processor for {@code vision} in {@code modelDir}. */
    static ImageProcessorConfig processor(Path modelDir, VitConfig vision) {
        if (vision.channels() != 3) {
            throw new InvalidInputException("--image: the vision tower takes " + vision.channels() + " channels, not"
                    + " RGB; give already normalised pixels with --pixels");
        }
        // CLIP towers are square; for any other, resizing to the longer side keeps the crop inside the image.
        int side = Math.max(vision.imageHeight(), vision.imageWidth());
        ImageProcessorConfig square = ImageProcessorConfig.clip(side, Normalization.of(vision.imageMean(),
                vision.imageStd()));
        ImageProcessorConfig defaults = side == vision.imageHeight() && side == vision.imageWidth() ? square
                : new ImageProcessorConfig(square.resize(), square.interpolation(),
                        new ImageSize(vision.imageWidth(), vision.imageHeight()),
                        square.normalization());
        return ImageProcessorConfig.forModelDirectory(modelDir, defaults);
    }

    /**
     * The image on a square canvas filled with the processor's mean colour, each channel ⌊255·mean⌋ as LLaVA-1.5's
     * {@code expand2square(image, tuple(int(x * 255) for x in image_mean))}.
     */
    static RgbImage padToSquare(RgbImage image, ImageProcessorConfig processor) {
        float[] mean = processor.normalization().mean();
        return Crops.padToSquare(image, fill(mean[0]), fill(mean[1]), fill(mean[2]));
    }

    private static int fill(float mean) {
        return Math.max(0, Math.min(255, (int) (mean * 255.0)));
    }

    /** (1, 3, H, W) FLOAT32 in {@code scope}. */
    static NDArray pixels(RgbImage image, ImageProcessorConfig processor, NDManager scope) {
        return processor.preprocessor().toNDArray(scope, List.of(image));
    }

}
