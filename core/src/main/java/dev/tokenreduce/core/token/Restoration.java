package dev.tokenreduce.core.token;

import ai.djl.ndarray.NDArray;

/**
 * Maps a tensor aligned with the current (reduced) visual tokens back to the original visual tokens, so dense
 * heads get the full grid: Expedit's reconstruction, ToMe's unmerge, nearest-kept-token for selections.
 *
 * <p>Restorations compose: a state reduced twice restores through both, last reduction first.
 */
public interface Restoration {

    /** Visual tokens the aligned input has (after the reduction). */
    int reducedTokens();

    /** Visual tokens the output has (before the reduction). */
    int originalTokens();

    /**
     * Maps {@code aligned} (B, reducedTokens, C') to (B, originalTokens, C').
     *
     * @throws dev.tokenreduce.core.InvalidInputException when the shape does not match this reduction
     */
    NDArray restore(NDArray aligned);

    /**
     * A restoration that first applies {@code later} (a reduction that happened after this one) and then this.
     */
    default Restoration compose(Restoration later) {
        return new ComposedRestoration(this, later);
    }

    /** Checks that {@code aligned} is (B, reducedTokens, C'). */
    default void checkAligned(NDArray aligned) {
        if (aligned.getShape().dimension() != 3 || aligned.getShape().get(1) != reducedTokens()) {
            throw new dev.tokenreduce.core.InvalidInputException("restoration expects (B, " + reducedTokens()
                    + ", C) aligned with the reduced tokens, got " + aligned.getShape()
                    + " (was it computed in the same forward pass?)");
        }
    }
}
