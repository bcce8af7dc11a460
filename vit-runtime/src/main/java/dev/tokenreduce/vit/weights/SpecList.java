package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.config.VitConfig;
import java.util.ArrayList;
import java.util.List;

/** Collects specs while a naming walks a config; shapes are written in terms of the config's sizes. */
final class SpecList {

    private final List<TensorSpec> specs = new ArrayList<>();
    final long c;
    final long hidden;

    SpecList(VitConfig config) {
        this.c = config.embedDim();
        this.hidden = config.mlpHidden();
    }

    SpecList add(String key, String name, long... shape) {
        specs.add(TensorSpec.of(key, name, shape));
        return this;
    }

    SpecList reshaped(String key, String name, long[] stored, long... shape) {
        specs.add(TensorSpec.reshaped(key, name, stored, shape));
        return this;
    }

    /** weight (out, in) and, when {@code bias}, bias (out). */
    SpecList linear(String key, String name, long out, long in, boolean bias) {
        add(key + ".weight", name + ".weight", out, in);
        if (bias) {
            add(key + ".bias", name + ".bias", out);
        }
        return this;
    }

    SpecList norm(String key, String name) {
        add(key + ".weight", name + ".weight", c);
        add(key + ".bias", name + ".bias", c);
        return this;
    }

    List<TensorSpec> list() {
        return List.copyOf(specs);
    }
}
