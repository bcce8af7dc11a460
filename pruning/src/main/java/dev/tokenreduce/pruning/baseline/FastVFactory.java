package dev.tokenreduce.pruning.baseline;

import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.pruning.PositionIds;
import java.util.OptionalInt;

/** Creates {@code fastv} {layer (default: the hook's, 2 at decoder), keep (default 0.5), positions: keep|renumber}. */
public final class FastVFactory implements OperatorFactory {

    @Override
    public String id() {
        return FastVPruner.ID;
    }

    @Override
    public String description() {
        return "Baseline (FastV): inside the decoder keep the visual tokens the last prompt token attends to most";
    }

    @Override
    public TokenOperator create(Params params) {
        OptionalInt layer = OptionalInt.empty();
        if (params.has("layer")) {
            int l = params.requireInt("layer");
            if (l < 1) {
                throw params.invalid("layer", "decoder layers are numbered from 1, got " + l);
            }
            layer = OptionalInt.of(l);
        }
        Budget keep = params.has("keep") ? params.requireBudget("keep") : Budget.ratio(0.5);
        PositionIds positions = PositionIds.parse(params.optChoice("positions", "keep", "keep", "renumber"));
        return new FastVPruner(layer, keep, positions);
    }
}
