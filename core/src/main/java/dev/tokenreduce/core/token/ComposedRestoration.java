package dev.tokenreduce.core.token;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Two reductions undone in reverse order: {@code later} maps the newest tokens to the intermediate ones,
 * {@code earlier} maps those to the original ones.
 *
 * @param earlier the first reduction's restoration (outermost)
 * @param later the second reduction's restoration
 */
public record ComposedRestoration(Restoration earlier, Restoration later) implements Restoration {

    public ComposedRestoration {
        if (later.originalTokens() != earlier.reducedTokens()) {
            throw new InvalidInputException("cannot compose restorations: the later one restores "
                    + later.originalTokens() + " tokens but the earlier one expects " + earlier.reducedTokens());
        }
    }

    @Override
    public int reducedTokens() {
        return later.reducedTokens();
    }

    @Override
    public int originalTokens() {
        return earlier.originalTokens();
    }

    @Override
    public NDArray restore(NDArray aligned) {
        return earlier.restore(later.restore(aligned));
    }
}
