package dev.tokenreduce.eval.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.datasets.synthetic.SyntheticScene;

/**
 * A batch of generated scenes as model input: (B, 3, S, S) pixels normalised with mean = std = 0.5 (the default
 * model's {@code pretrained_cfg}) and (B, S, S) INT64 class labels.
 */
record SceneBatch(NDArray pixels, NDArray labels) {

    /** The normalisation the default model is trained with and declares in its config. */
    static final Normalization NORMALIZATION = Normalization.HALF;

    /** Scenes {@code first .. first + count − 1} of {@code generator}, in {@code manager}. */
    static SceneBatch of(SceneGenerator generator, long first, int count, NDManager manager) {
        int s = generator.size();
        int pixels = s * s;
        float[] image = new float[count * 3 * pixels];
        long[] labels = new long[count * pixels];
        for (int k = 0; k < count; k++) {
            SyntheticScene scene = generator.generate(first + k);
            System.arraycopy(NORMALIZATION.toChw(scene.image()), 0, image, k * 3 * pixels, 3 * pixels);
            int[] l = scene.label().data();
            for (int i = 0; i < pixels; i++) {
                labels[k * pixels + i] = l[i];
            }
        }
        return new SceneBatch(manager.create(image, new Shape(count, 3, s, s)),
                manager.create(labels, new Shape(count, s, s)));
    }
}
