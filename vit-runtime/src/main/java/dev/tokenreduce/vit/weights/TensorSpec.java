package dev.tokenreduce.vit.weights;

import java.util.Arrays;

/**
 * One tensor the encoder needs: its logical key, its name in the checkpoint (without the key prefix), the shape
 * stored there and the shape the encoder uses (they differ where a layout stores e.g. CLIP's class embedding as
 * (C) instead of (1, 1, C)).
 *
 * @param key logical key, e.g. {@code blocks.3.qkv.weight}
 * @param name checkpoint name relative to the detected prefix
 * @param stored expected stored shape
 * @param shape shape used by the encoder (same element count)
 */
public record TensorSpec(String key, String name, long[] stored, long[] shape) {

    public TensorSpec {
        stored = stored.clone();
        shape = shape.clone();
    }

    /** A tensor used with its stored shape. */
    public static TensorSpec of(String key, String name, long... shape) {
        return new TensorSpec(key, name, shape, shape);
    }

    /** A tensor reshaped after loading. */
    public static TensorSpec reshaped(String key, String name, long[] stored, long... shape) {
        return new TensorSpec(key, name, stored, shape);
    }

    @Override
    public long[] stored() {
        return stored.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.key.equals(key) && t.name.equals(name) && Arrays.equals(t.stored, stored)
                && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(stored);
    }
}
