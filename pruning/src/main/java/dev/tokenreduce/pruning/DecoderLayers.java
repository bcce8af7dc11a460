package dev.tokenreduce.pruning;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;

/** Which decoder layer a decoder-side step runs after, from its hook point. */
public final class DecoderLayers {

    private DecoderLayers() {}

    /**
     * The 1-based count of decoder layers that have run: N at {@code {decoder-layer: N}}, and
     * {@code layerIndex + 1} at {@code decoder} (where the host passes the 0-based index of the layer just run).
     *
     * @throws InvalidInputException at hook points outside the decoder, or at {@code decoder} without a layer index
     */
    public static int current(StepContext context, String who) {
        HookPoint at = context.at();
        if (at instanceof HookPoint.AfterDecoderLayer after) {
            return after.layers();
        }
        if (at instanceof HookPoint.Decoder) {
            if (context.layerIndex() < 0) {
                throw new InvalidInputException(who + " at 'decoder' needs the index of the layer just run"
                        + " (StepContext.layerIndex), which the host did not set");
            }
            return context.layerIndex() + 1;
        }
        throw new InvalidInputException(who + " runs inside the language-model decoder ({decoder-layer: N} or"
                + " decoder), not at " + at);
    }
}
