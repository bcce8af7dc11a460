package dev.tokenreduce.pruning.transprune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;

/**
 * Token transition variation (TTV) of decoder sub-modules, per token of the whole sequence.
 *
 * <p>For a sub-module F with input T_in (after its pre-norm) and output T_out (before the residual add):
 * {@code m = ‖T_out‖ / ‖T_in‖}, {@code d = cos(T_in, T_out)} (norms clamped below at 1e−8),
 * {@code e = exp(1 − d)} (code) or {@code exp(1 − |d|)} (paper), and {@code TTV(F) = m · e / Σ_all tokens e}: the
 * normalisation is a softmax of {@code 1 − d} over every token of the sequence (system, image, instruction).
 * A layer's TTV is {@code TTV(attention) + TTV(FFN)}.
 */
public final class TokenTransitionVariation {

    /** Lower clamp of the L2 norms. */
    public static final double EPS = 1e-8;

    private TokenTransitionVariation() {}

    /**
     * TTV of one sub-module.
     *
     * @param in (B, L, C) sub-module input after its pre-norm
     * @param out (B, L, C) sub-module output before the residual add
     * @return (B, L) float32
     */
    public static NDArray subModule(NDArray in, NDArray out, TtvDirection direction) {
        check(in, out, "sub-module");
        NDArray a = in.toType(DataType.FLOAT32, false);
        NDArray b = out.toType(DataType.FLOAT32, false);
        NDArray normIn = a.norm(new int[] {-1}).maximum(EPS);
        NDArray normOut = b.norm(new int[] {-1}).maximum(EPS);
        NDArray magnitude = normOut.div(normIn);
        NDArray cos = a.mul(b).sum(new int[] {-1}).div(normIn.mul(normOut));
        NDArray change = direction == TtvDirection.ABS ? cos.abs() : cos;
        NDArray weight = change.neg().add(1).softmax(-1);
        return magnitude.mul(weight);
    }

    /**
     * TTV of one decoder layer: attention plus FFN.
     *
     * @return (B, L) float32
     */
    public static NDArray layer(NDArray attnIn, NDArray attnOut, NDArray ffnIn, NDArray ffnOut,
            TtvDirection direction) {
        check(attnIn, ffnIn, "layer");
        return subModule(attnIn, attnOut, direction).add(subModule(ffnIn, ffnOut, direction));
    }

    private static void check(NDArray a, NDArray b, String what) {
        if (a.getShape().dimension() != 3) {
            throw new InvalidInputException("transprune: " + what + " input must be (B, L, C), got " + a.getShape());
        }
        if (!a.getShape().equals(b.getShape())) {
            throw new InvalidInputException("transprune: " + what + " tensors disagree in shape: " + a.getShape()
                    + " vs " + b.getShape());
        }
        Inputs.requireFinite(a, "transprune", what + " input");
        Inputs.requireFinite(b, "transprune", what + " output");
    }
}
