package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.vit.ModelFormatException;
import java.util.Locale;

/**
 * How a {@link LinearDepthHead} turns its raw per-token output {@code z} into depth in metres (config.json
 * {@code "head": {"activation": ...}}):
 * <ul>
 *   <li>{@code relu}: {@code max(z, 0)} — the raw output is metres;</li>
 *   <li>{@code exp}: {@code exp(z)} — the raw output is log-metres (always positive);</li>
 *   <li>{@code sigmoid}: {@code max_depth · sigmoid(z)} — bounded in (0, max_depth), so it needs {@code max_depth}
 *       (as AdaBins/BinsFormer-style heads bound depth).</li>
 * </ul>
 */
public enum DepthActivation {

    RELU("relu"),
    EXP("exp"),
    SIGMOID("sigmoid");

    private final String label;

    DepthActivation(String label) {
        this.label = label;
    }

    /** The config.json name. */
    public String label() {
        return label;
    }

    /**
     * The activation named {@code name} (case-insensitive).
     *
     * @throws ModelFormatException for any other name
     */
    public static DepthActivation parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (DepthActivation a : values()) {
            if (a.label.equals(n)) {
                return a;
            }
        }
        throw new ModelFormatException("depth head: unknown activation '" + name + "', expected relu, exp or"
                + " sigmoid");
    }

    /** Applies the activation; {@code maxDepth} is used by {@link #SIGMOID} only. Returns a new array. */
    NDArray apply(NDArray raw, float maxDepth) {
        return switch (this) {
            case RELU -> raw.maximum(0f);
            case EXP -> raw.exp();
            case SIGMOID -> ai.djl.nn.Activation.sigmoid(raw).mul(maxDepth);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
