package dev.tokenreduce.pruning.transprune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.policy.PolicyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransPruneScheduleTest {

    @Test
    void highScheduleOnLlava15() {
        TransPruneSchedule high = TransPruneSchedule.HIGH;
        high.validateFor(32);
        assertThat(high.tokenCounts(576)).containsExactly(576, 504, 360, 72);
        assertThat(high.stageAfter(9)).isEqualTo(1);
        assertThat(high.stageAfter(8)).isEqualTo(-1);
        assertThat(high.accumulates(7)).isTrue();
        assertThat(high.accumulates(13)).isFalse();
    }

    @Test
    void pruneAfterTheLastLayerIsRejected() {
        TransPruneSchedule s = TransPruneSchedule.of(List.of(1, 2), List.of(2, 4), List.of(0.5, 0.25));
        s.validateFor(5);
        assertThatThrownBy(() -> s.validateFor(4)).isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: prune-after layer 4 is outside [1, 3]: its instruction-guided attention needs"
                        + " layer 5 of a 4-layer decoder");
    }

    @Test
    void accumulateLayerBeyondTheModelIsRejected() {
        TransPruneSchedule s = TransPruneSchedule.of(List.of(1, 9), List.of(2), List.of(0.5));
        assertThatThrownBy(() -> s.validateFor(8)).isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: accumulate-layers holds 9 but the decoder has 8 layers");
    }

    @Test
    void ratioCountMustMatchStages() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(2, 3), List.of(0.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: keep has 1 ratios but prune-after has 2 layers (one ratio per stage)");
    }

    @Test
    void ratiosMustBeInUnitInterval() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(2), List.of(0.0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: keep ratio 0.0 of stage 1 is outside (0, 1]");
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(2), List.of(1.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: keep ratio 1.5 of stage 1 is outside (0, 1]");
    }

    @Test
    void ratiosMustNotIncrease() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(2, 3), List.of(0.5, 0.6)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: keep ratios must be non-increasing, got 0.6 after 0.5");
    }

    @Test
    void accumulateLayersMustNotBeEmpty() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(), List.of(2), List.of(0.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: accumulate-layers must not be empty");
    }

    @Test
    void pruneAfterMustNotBeEmpty() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: prune-after must not be empty");
    }

    @Test
    void layersAreOneBasedAndIncreasing() {
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(0, 1), List.of(2), List.of(0.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: accumulate-layers holds 0; layers are numbered from 1");
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(1), List.of(3, 3), List.of(0.5, 0.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: prune-after layers must be strictly increasing, got 3 after 3");
        assertThatThrownBy(() -> TransPruneSchedule.of(List.of(5), List.of(3), List.of(0.5)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: accumulate-layers has no layer at or before the first prune-after layer 3,"
                        + " so its TTV would be empty");
    }

    @Test
    void everyStageKeepsAtLeastOneToken() {
        TransPruneSchedule s = TransPruneSchedule.of(List.of(1), List.of(1, 2), List.of(0.5, 0.125));
        assertThat(s.keep(0, 4)).isEqualTo(2);
        assertThatThrownBy(() -> s.keep(1, 4)).isInstanceOf(InvalidInputException.class)
                .hasMessage("transprune: stage 2 keeps floor(4 · 0.125) = 0 image tokens; every stage must keep at least 1");
    }

    @Test
    void factoryDefaultsAndFieldErrors() {
        OperatorRegistry registry = OperatorRegistry.defaults();
        TransPruneOperator op = (TransPruneOperator) registry.create("transprune", new Params(Map.of(), "p.yaml, step 1 (transprune)"));
        assertThat(op.schedule().pruneAfter()).containsExactly(7, 9, 12);
        assertThat(op.alpha()).isEqualTo(0.5);
        assertThat(op.direction()).isEqualTo(TtvDirection.CODE);
        assertThat(op.positions()).isEqualTo(dev.tokenreduce.pruning.PositionIds.RENUMBER);
        TransPruneOperator custom = (TransPruneOperator) registry.create("transprune", new Params(Map.of(
                "accumulate-layers", List.of(1, 2), "prune-after", "1,2", "keep", List.of(0.75, 0.25), "alpha", 0.3,
                "direction", "abs", "positions", "keep"), "p.yaml, step 1 (transprune)"));
        assertThat(custom.schedule().keepRatios()).containsExactly(0.75, 0.25);
        assertThat(custom.direction()).isEqualTo(TtvDirection.ABS);
        assertThatThrownBy(() -> registry.create("transprune", new Params(Map.of("keep", List.of(0.5)),
                "p.yaml, step 1 (transprune)"))).isInstanceOf(PolicyException.class)
                .hasMessage("p.yaml, step 1 (transprune), field 'keep': has 1 ratios but prune-after has 3 layers"
                        + " (one ratio per stage)");
        assertThatThrownBy(() -> registry.create("transprune", new Params(Map.of("alpha", 2),
                "p.yaml, step 1 (transprune)"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("field 'alpha'");
        assertThatThrownBy(() -> registry.create("transprune", new Params(Map.of("direction", "up"),
                "p.yaml, step 1 (transprune)"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("field 'direction'");
    }

    @Test
    void extraCostFormula() {
        // Two stages: 2 layers at 10 tokens, 3 layers at 4 tokens; d = 8, m = 16, l = 3.
        double base = 2 * (4 * 10 * 64 + 2 * 100 * 8 + 3 * 10 * 8 * 16) + 3 * (4 * 4 * 64 + 2 * 16 * 8 + 3 * 4 * 8 * 16);
        double extra = 3 * 10 * 8;
        assertThat(TransPruneCost.extra(new long[] {10, 4}, 8, 3)).isEqualTo(extra);
        assertThat(TransPruneCost.flops(new int[] {2, 3}, new long[] {10, 4}, 8, 16, 3)).isEqualTo(base + extra);
    }
}
