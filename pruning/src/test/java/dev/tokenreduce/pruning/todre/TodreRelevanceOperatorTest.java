package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.DecoderSignals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uniform attention (all keys 0) on [S = 1, V = 2, T = 2]: α_t→v = (2/4 + 2/5) / 2 = 0.45, α_v→t = 0. */
class TodreRelevanceOperatorTest {

    private static TokenOperator create(Map<String, ?> params) {
        return OperatorRegistry.defaults().create("todre-relevance", new Params(params, "test, step 2 (todre-relevance)"));
    }

    private static TokenState state(NDManager m) {
        NDArray tokens = m.arange(0f, 5f).reshape(1, 5, 1);
        return TokenState.builder().setTokens(tokens).setLayout(TokenLayout.sequence(1, 2, 2))
                .optPositionIds(Tensors.arangeLong(m, 0, 5).expandDims(0)).build();
    }

    private static StepContext context(NDManager m, HookPoint at) {
        return StepContext.builder(at, m).optSignal(DecoderSignals.QUERIES, m.ones(new Shape(1, 2, 5, 4)))
                .optSignal(DecoderSignals.KEYS, m.zeros(new Shape(1, 2, 5, 4))).build();
    }

    @Test
    void dropsEveryVisualTokenBelowTau() {
        try (NDManager m = NDManager.newBaseManager()) {
            Reduction r = create(Map.of("tau", 0.5)).apply(state(m), context(m, new HookPoint.AfterDecoderLayer(3)));
            assertThat(r.state().layout()).isEqualTo(TokenLayout.sequence(1, 0, 2));
            assertThat(r.state().tokens().toFloatArray()).containsExactly(0f, 3f, 4f);
            assertThat(r.state().positionIds().toLongArray()).containsExactly(0L, 3L, 4L);
            assertThat(r.record().tokensIn()).isEqualTo(2);
            assertThat(r.record().tokensOut()).isZero();
            assertThat((double) r.record().details().get("alpha-text-to-visual")).isCloseTo(0.45, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(r.record().details()).containsEntry("alpha-visual-to-text", 0.0).containsEntry("dropped", true)
                    .containsEntry("layer", 3);
        }
    }

    @Test
    void keepsThemAboveTau() {
        try (NDManager m = NDManager.newBaseManager()) {
            Reduction r = create(Map.of()).apply(state(m), context(m, new HookPoint.AfterDecoderLayer(3)));
            assertThat(r.state().layout()).isEqualTo(TokenLayout.sequence(1, 2, 2));
            assertThat(r.record().details()).containsEntry("dropped", false).containsEntry("tau", 0.10);
        }
    }

    @Test
    void checkLayersAtTheDecoderHook() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenOperator op = create(Map.of("tau", 0.5, "layers", List.of(2, 4)));
            StepContext layer1 = StepContext.builder(new HookPoint.Decoder(), m).optLayerIndex(0).build();
            assertThat(op.apply(state(m), layer1).record().details().get("skipped")).isEqualTo("not a check layer [2, 4]");
            StepContext layer2 = StepContext.builder(new HookPoint.Decoder(), m).optLayerIndex(1)
                    .optSignal(DecoderSignals.QUERIES, m.ones(new Shape(1, 2, 5, 4)))
                    .optSignal(DecoderSignals.KEYS, m.zeros(new Shape(1, 2, 5, 4))).build();
            Reduction dropped = op.apply(state(m), layer2);
            assertThat(dropped.state().layout().visual()).isZero();
            // Later check layers find nothing to drop.
            assertThat(op.apply(dropped.state(), StepContext.builder(new HookPoint.Decoder(), m).optLayerIndex(3).build())
                    .record().details().get("skipped")).isEqualTo("no visual tokens left");
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), layer2))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs 'layers'");
        }
    }

    @Test
    void noTextNoDrop() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState noText = TokenState.of(m.ones(new Shape(1, 3, 1)), TokenLayout.sequence(1, 2, 0));
            Reduction r = create(Map.of("tau", 1.0)).apply(noText, StepContext.of(new HookPoint.AfterDecoderLayer(1), m));
            assertThat(r.state().layout().visual()).isEqualTo(2);
            assertThat(r.record().details()).containsEntry("dropped", false);
        }
    }

    @Test
    void errors() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), StepContext.of(new HookPoint.AfterDecoderLayer(2), m)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'decoder-queries'");
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), StepContext.of(new HookPoint.VisionOutput(), m)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("runs inside the language-model decoder");
            StepContext shortKeys = StepContext.builder(new HookPoint.AfterDecoderLayer(2), m)
                    .optSignal(DecoderSignals.QUERIES, m.ones(new Shape(1, 2, 5, 4)))
                    .optSignal(DecoderSignals.KEYS, m.zeros(new Shape(1, 2, 4, 4))).build();
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), shortKeys))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("keys must be (B, kv_heads, 5, d_head)");
            assertThatThrownBy(() -> create(Map.of("tau", 0))).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("field 'tau'");
            assertThatThrownBy(() -> create(Map.of("condition", "either"))).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("field 'condition'");
            assertThatThrownBy(() -> create(Map.of("layers", List.of(0)))).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("field 'layers'");
        }
    }
}
