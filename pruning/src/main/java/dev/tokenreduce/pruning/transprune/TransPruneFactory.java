package dev.tokenreduce.pruning.transprune;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.pruning.PositionIds;
import java.util.List;

/**
 * Creates {@code transprune} {accumulate-layers, prune-after, keep, alpha, direction: code|abs,
 * positions: renumber|keep}. Defaults: the released "High" schedule ({@link TransPruneSchedule#HIGH}), α = 0.5,
 * code direction, renumbered positions (the official code).
 */
public final class TransPruneFactory implements OperatorFactory {

    @Override
    public String id() {
        return TransPruneOperator.ID;
    }

    @Override
    public String description() {
        return "TransPrune: prune image tokens inside the decoder by token transition variation and instruction attention";
    }

    @Override
    public TokenOperator create(Params params) {
        TransPruneSchedule high = TransPruneSchedule.HIGH;
        List<Integer> accumulate = params.has("accumulate-layers") ? params.requireIntList("accumulate-layers")
                : high.accumulateLayers();
        List<Integer> pruneAfter = params.has("prune-after") ? params.requireIntList("prune-after") : high.pruneAfter();
        List<Double> keep = params.has("keep") ? params.requireNumberList("keep") : high.keepRatios();
        double alpha = params.optDouble("alpha", 0.5);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw params.invalid("alpha", "must be in [0, 1], got " + alpha);
        }
        TtvDirection direction = TtvDirection.parse(params.optChoice("direction", "code", "code", "abs"));
        PositionIds positions = PositionIds.parse(params.optChoice("positions", "renumber", "renumber", "keep"));
        TransPruneSchedule schedule;
        try {
            schedule = TransPruneSchedule.of(accumulate, pruneAfter, keep);
        } catch (TransPruneSchedule.ScheduleException e) {
            throw params.invalid(e.field(), e.problem());
        }
        return new TransPruneOperator(schedule, alpha, direction, positions);
    }
}
