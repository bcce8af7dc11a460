package dev.tokenreduce.benchmarks;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.eval.flops.VitShape;
import java.util.Locale;

/**
 * A benchmark model and image size: ViT-B/16 at 512² (32×32 patches) or ViT-L/16 at 640² (40×40).
 *
 * @param key short name used on the command line ({@code b512}, {@code l640})
 * @param architecture timm architecture name
 * @param image image side in pixels
 * @param shape the encoder's sizes for {@link dev.tokenreduce.eval.flops.VitFlops}
 */
public record Geometry(String key, String architecture, int image, VitShape shape) {

    /** ViT-B/16 at 512². */
    public static final Geometry VIT_B_512 = new Geometry("b512", "vit_base_patch16_224", 512,
            VitShape.vitBase16(GridSize.square(32)));
    /** ViT-L/16 at 640². */
    public static final Geometry VIT_L_640 = new Geometry("l640", "vit_large_patch16_224", 640,
            VitShape.vitLarge16(GridSize.square(40)));

    /** Looks a geometry up by its key. */
    public static Geometry of(String key) {
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "b512" -> VIT_B_512;
            case "l640" -> VIT_L_640;
            default -> throw new IllegalArgumentException("unknown geometry '" + key + "' (use b512 or l640)");
        };
    }

    /** "ViT-B/16 512²". */
    public String label() {
        return (shape.embedDim() == 768 ? "ViT-B/16 " : "ViT-L/16 ") + image + "²";
    }
}
