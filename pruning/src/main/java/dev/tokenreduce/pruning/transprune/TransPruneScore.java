package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.pruning.TopK;

/**
 * TransPrune's token score over the current image tokens:
 * {@code α·TTV/(ΣTTV + 1e−8) + (1 − α)·IGA/(ΣIGA + 1e−8)} (α = 0.5 in the official code, which adds the two
 * sum-normalised terms; the ranking is the same), and the top-{@code keep} selection.
 */
public final class TransPruneScore {

    /** Added to each sum before dividing. */
    public static final double EPS = 1e-8;

    private TransPruneScore() {}

    /**
     * @param ttv (B, N) accumulated TTV of the image tokens
     * @param iga (B, N) instruction-guided attention of the image tokens
     * @param alpha weight of the TTV term, in [0, 1]
     * @return (B, N) float32 scores
     */
    public static NDArray score(NDArray ttv, NDArray iga, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new InvalidInputException("transprune: alpha must be in [0, 1], got " + alpha);
        }
        if (ttv.getShape().dimension() != 2 || !ttv.getShape().equals(iga.getShape())) {
            throw new InvalidInputException("transprune: TTV " + ttv.getShape() + " and IGA " + iga.getShape()
                    + " must both be (B, image tokens)");
        }
        Inputs.requireFinite(ttv, "transprune", "TTV");
        Inputs.requireFinite(iga, "transprune", "IGA");
        NDArray t = ttv.toType(DataType.FLOAT32, false);
        NDArray a = iga.toType(DataType.FLOAT32, false);
        NDArray tn = t.div(t.sum(new int[] {1}, true).add(EPS));
        NDArray an = a.div(a.sum(new int[] {1}, true).add(EPS));
        return tn.mul(alpha).add(an.mul(1 - alpha));
    }

    /**
     * The {@code keep} best image tokens, lower index first among equal scores, sorted ascending.
     *
     * @return (B, keep) int64 indices into the image tokens
     */
    public static NDArray select(NDArray ttv, NDArray iga, double alpha, int keep) {
        return TopK.largest(score(ttv, iga, alpha), keep);
    }
}
