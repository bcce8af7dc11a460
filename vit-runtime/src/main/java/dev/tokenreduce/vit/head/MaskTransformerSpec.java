package dev.tokenreduce.vit.head;

import static dev.tokenreduce.vit.head.MaskTransformerNames.CLASSES_PROJ;
import static dev.tokenreduce.vit.head.MaskTransformerNames.CLS_EMB;
import static dev.tokenreduce.vit.head.MaskTransformerNames.DECODER_NORM_BIAS;
import static dev.tokenreduce.vit.head.MaskTransformerNames.DECODER_NORM_WEIGHT;
import static dev.tokenreduce.vit.head.MaskTransformerNames.DEC_PROJ_BIAS;
import static dev.tokenreduce.vit.head.MaskTransformerNames.DEC_PROJ_WEIGHT;
import static dev.tokenreduce.vit.head.MaskTransformerNames.MASK_NORM_BIAS;
import static dev.tokenreduce.vit.head.MaskTransformerNames.MASK_NORM_WEIGHT;
import static dev.tokenreduce.vit.head.MaskTransformerNames.PATCH_PROJ;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes of a mask-transformer decoder inferred from its tensors' shapes (K and D from {@code cls_emb}, C from
 * {@code dec_proj}, the layer count from the highest {@code layers.i} index, the FFN width from the first layer)
 * and the shape every tensor must then have. Inference reports every missing or mis-shaped tensor at once.
 */
final class MaskTransformerSpec {

    private static final Pattern LAYER = Pattern.compile("^" + Pattern.quote(MaskTransformerNames.PREFIX)
            + "layers\\.(\\d{1,6})\\.");

    final int classes;
    final int dim;
    final int channels;
    final int layers;
    final int hidden;
    final int heads;
    /** Every tensor the decoder reads, with its required shape, in a stable order. */
    final Map<String, Shape> expected;

    private MaskTransformerSpec(int classes, int dim, int channels, int layers, int hidden, int heads,
            Map<String, Shape> expected) {
        this.classes = classes;
        this.dim = dim;
        this.channels = channels;
        this.layers = layers;
        this.hidden = hidden;
        this.heads = heads;
        this.expected = expected;
    }

    /**
     * Infers the sizes from {@code found} (tensor name → shape; names outside the decoder are ignored) and checks
     * every tensor.
     *
     * @param fail turns the problem description into the exception to throw
     */
    static MaskTransformerSpec infer(Map<String, Shape> found, int heads, Function<String, RuntimeException> fail) {
        Shape cls = found.get(CLS_EMB);
        if (cls == null || cls.dimension() != 3 || cls.get(0) != 1 || cls.get(1) < 1 || cls.get(2) < 1) {
            throw fail.apply("'" + CLS_EMB + "' must be (1, K, D), found " + describe(cls));
        }
        Shape proj = found.get(DEC_PROJ_WEIGHT);
        if (proj == null || proj.dimension() != 2 || proj.get(1) < 1) {
            throw fail.apply("'" + DEC_PROJ_WEIGHT + "' must be (D, C) with D = " + cls.get(2) + " from '" + CLS_EMB
                    + "', found " + describe(proj));
        }
        int k = (int) cls.get(1);
        int d = (int) cls.get(2);
        int c = (int) proj.get(1);
        int layers = layerCount(found);
        Shape fc1 = found.get(MaskTransformerNames.layer(0, MaskTransformerNames.FC1_WEIGHT));
        // the FFN width is free (mlp_ratio); take it from the first layer when that is readable, else mmseg's 4·D
        int hidden = fc1 != null && fc1.dimension() == 2 && fc1.get(1) == d && fc1.get(0) > 0 ? (int) fc1.get(0)
                : 4 * d;

        Map<String, Shape> expected = new LinkedHashMap<>();
        expected.put(CLS_EMB, new Shape(1, k, d));
        expected.put(DEC_PROJ_WEIGHT, new Shape(d, c));
        expected.put(DEC_PROJ_BIAS, new Shape(d));
        for (int i = 0; i < layers; i++) {
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.LN1_WEIGHT), new Shape(d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.LN1_BIAS), new Shape(d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.IN_PROJ_WEIGHT), new Shape(3L * d, d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.IN_PROJ_BIAS), new Shape(3L * d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.OUT_PROJ_WEIGHT), new Shape(d, d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.OUT_PROJ_BIAS), new Shape(d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.LN2_WEIGHT), new Shape(d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.LN2_BIAS), new Shape(d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.FC1_WEIGHT), new Shape(hidden, d));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.FC1_BIAS), new Shape(hidden));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.FC2_WEIGHT), new Shape(d, hidden));
            expected.put(MaskTransformerNames.layer(i, MaskTransformerNames.FC2_BIAS), new Shape(d));
        }
        expected.put(DECODER_NORM_WEIGHT, new Shape(d));
        expected.put(DECODER_NORM_BIAS, new Shape(d));
        expected.put(PATCH_PROJ, new Shape(d, d));
        expected.put(CLASSES_PROJ, new Shape(d, d));
        expected.put(MASK_NORM_WEIGHT, new Shape(k));
        expected.put(MASK_NORM_BIAS, new Shape(k));

        List<String> problems = new ArrayList<>();
        if (layers == 0) {
            problems.add("no '" + MaskTransformerNames.layerPrefix(0) + "*' tensors (at least one layer expected)");
        }
        if (heads < 1 || d % heads != 0) {
            problems.add("num_heads " + heads + " does not divide D = " + d);
        }
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape f = found.get(e.getKey());
            if (f == null) {
                problems.add(e.getKey() + " missing (expected " + e.getValue() + ")");
            } else if (!f.equals(e.getValue())) {
                problems.add(e.getKey() + " expected " + e.getValue() + ", found " + f);
            }
        }
        if (!problems.isEmpty()) {
            throw fail.apply("K=" + k + " classes and D=" + d + " (from '" + CLS_EMB + "' " + cls + "), C=" + c
                    + ", " + layers + " layer(s), FFN width " + hidden + ": " + problems.size() + " problem(s): "
                    + String.join("; ", problems));
        }
        return new MaskTransformerSpec(k, d, c, layers, hidden, heads, expected);
    }

    private static int layerCount(Map<String, Shape> found) {
        int max = -1;
        for (String name : found.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max + 1;
    }

    private static String describe(Shape s) {
        return s == null ? "nothing (missing)" : s.toString();
    }
}
