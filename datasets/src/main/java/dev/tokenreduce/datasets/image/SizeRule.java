package dev.tokenreduce.datasets.image;

import dev.tokenreduce.core.InvalidInputException;

/**
 * How a resize chooses the output size from the input size. Implementations are immutable and print themselves so
 * a run's configuration can be recorded.
 */
public interface SizeRule {

    /** The output size for an input of {@code size}. */
    ImageSize apply(ImageSize size);

    /** Always {@code width}×{@code height} (aspect ratio not kept). */
    static SizeRule fixed(int width, int height) {
        ImageSize target = new ImageSize(width, height);
        return new Rules.Fixed(target);
    }

    /**
     * Shorter side becomes {@code side}, the longer one is scaled by the same factor and truncated to an integer (as
     * torchvision's and Hugging Face's single-int resize do).
     */
    static SizeRule shortestSide(int side) {
        if (side < 1) {
            throw new InvalidInputException("shortest-side resize needs a side >= 1, got " + side);
        }
        return new Rules.ShortestSide(side);
    }

    /**
     * Scale by one factor so the image fits inside {@code longMax} on its long side and {@code shortMax} on its short
     * side, rounding half up (mmsegmentation's {@code Resize(scale=(2048, 512), keep_ratio=True)}).
     */
    static SizeRule keepRatio(int longMax, int shortMax) {
        if (longMax < 1 || shortMax < 1) {
            throw new InvalidInputException("keep-ratio resize needs positive bounds, got " + longMax + ", "
                    + shortMax);
        }
        return new Rules.KeepRatio(Math.max(longMax, shortMax), Math.min(longMax, shortMax));
    }
}
