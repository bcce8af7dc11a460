package dev.tokenreduce.pruning.todre;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.util.List;

/** Creates {@code todre-relevance} {tau (default 0.10), condition: both|text-to-visual, layers (optional)}. */
public final class TodreRelevanceFactory implements OperatorFactory {

    @Override
    public String id() {
        return TodreRelevanceOperator.ID;
    }

    @Override
    public String description() {
        return "ToDRE stage 2: drop every visual token inside the decoder when the text barely attends to the image";
    }

    @Override
    public TokenOperator create(Params params) {
        double tau = params.optDouble("tau", RelevanceCheck.DEFAULT_TAU);
        if (!(tau > 0 && tau <= 1)) {
            throw params.invalid("tau", "must be in (0, 1], got " + tau);
        }
        RelevanceCondition condition = RelevanceCondition.parse(
                params.optChoice("condition", "both", "both", "text-to-visual"));
        List<Integer> layers = null;
        if (params.has("layers")) {
            layers = params.requireIntList("layers");
            for (int layer : layers) {
                if (layer < 1) {
                    throw params.invalid("layers", "decoder layers are numbered from 1, got " + layer);
                }
            }
        }
        return new TodreRelevanceOperator(tau, condition, layers);
    }
}
