package dev.tokenreduce.eval.metrics;

import ai.djl.ndarray.NDArray;

/**
 * Accumulates fidelity over samples: token-level cosine and relative error (mean and worst case over all tokens, and
 * the pooled relative error sqrt(Σ‖a − b‖² / Σ‖b‖²)), and prediction agreement over all predictions.
 */
public final class FidelityAccumulator {

    private long tokens;
    private double cosineSum;
    private double cosineMin = Double.POSITIVE_INFINITY;
    private double relErrSum;
    private double relErrMax;
    private double diffSquared;
    private double refSquared;
    private long predictions;
    private long agreeing;

    /** Adds features laid out (tokens, dim), reduced model vs reference. */
    public FidelityAccumulator addTokens(float[] reduced, float[] reference, int dim) {
        double[] cos = Fidelity.cosinePerToken(reduced, reference, dim);
        double[] rel = Fidelity.relativeErrorPerToken(reduced, reference, dim);
        for (int i = 0; i < reduced.length; i++) {
            double d = (double) reduced[i] - reference[i];
            diffSquared += d * d;
            refSquared += (double) reference[i] * reference[i];
        }
        return tokens(cos, rel);
    }

    /** Adds features shaped (..., dim), computed on the device. */
    public FidelityAccumulator addTokens(NDArray reduced, NDArray reference) {
        double[] cos = Fidelity.cosinePerToken(reduced, reference);
        double[] rel = Fidelity.relativeErrorPerToken(reduced, reference);
        try (NDArray a = reduced.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                NDArray b = reference.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                NDArray diff = a.sub(b);
                NDArray dd = diff.mul(diff).sum();
                NDArray bb = b.mul(b).sum()) {
            diffSquared += dd.getDouble();
            refSquared += bb.getDouble();
        }
        return tokens(cos, rel);
    }

    /** Adds predicted classes (e.g. segmentation pixels or answers as ids), reduced vs reference. */
    public FidelityAccumulator addPredictions(int[] reduced, int[] reference) {
        Fidelity.agreement(reduced, reference); // validates the lengths
        for (int i = 0; i < reduced.length; i++) {
            if (reduced[i] == reference[i]) {
                agreeing++;
            }
        }
        predictions += reduced.length;
        return this;
    }

    /** Adds segmentation logits laid out (channels, pixels): argmax agreement per pixel. */
    public FidelityAccumulator addLogits(float[] reducedChw, float[] referenceChw, int channels) {
        return addPredictions(Argmax.overChannels(reducedChw, channels), Argmax.overChannels(referenceChw, channels));
    }

    /** Adds another accumulator's counts. */
    public FidelityAccumulator merge(FidelityAccumulator other) {
        tokens += other.tokens;
        cosineSum += other.cosineSum;
        cosineMin = Math.min(cosineMin, other.cosineMin);
        relErrSum += other.relErrSum;
        relErrMax = Math.max(relErrMax, other.relErrMax);
        diffSquared += other.diffSquared;
        refSquared += other.refSquared;
        predictions += other.predictions;
        agreeing += other.agreeing;
        return this;
    }

    /** The scores so far (NaN for parts without data). */
    public FidelityScores result() {
        boolean hasTokens = tokens > 0;
        return new FidelityScores(hasTokens ? cosineSum / tokens : Double.NaN,
                hasTokens ? cosineMin : Double.NaN,
                hasTokens ? relErrSum / tokens : Double.NaN,
                hasTokens ? relErrMax : Double.NaN,
                hasTokens ? Fidelity.relative(diffSquared, refSquared) : Double.NaN,
                tokens,
                predictions == 0 ? Double.NaN : (double) agreeing / predictions,
                predictions);
    }

    private FidelityAccumulator tokens(double[] cos, double[] rel) {
        for (int i = 0; i < cos.length; i++) {
            cosineSum += cos[i];
            cosineMin = Math.min(cosineMin, cos[i]);
            relErrSum += rel[i];
            relErrMax = Math.max(relErrMax, rel[i]);
        }
        tokens += cos.length;
        return this;
    }
}
