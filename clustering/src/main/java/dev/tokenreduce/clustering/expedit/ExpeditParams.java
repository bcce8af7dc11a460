package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.core.op.Params;

/** Policy-parameter readers shared by the Expedit factories. */
final class ExpeditParams {

    private ExpeditParams() {}

    /** The required {@code temperature}: finite, &gt; 0 and representable as a float32. */
    static float temperature(Params params) {
        if (!params.has("temperature")) {
            throw params.invalid("temperature", "missing (required): the multiplier t of the squared distance in"
                    + " exp(-t*d^2); it depends on the feature scale (official configs: 0.02 for Segmenter ViT-L,"
                    + " 0.01 for SAM)");
        }
        double t = params.requireDouble("temperature");
        if (!(t > 0) || (float) t == 0f || Float.isInfinite((float) t)) {
            throw params.invalid("temperature", "must be > 0 (it multiplies a squared distance), got " + t);
        }
        return (float) t;
    }
}
