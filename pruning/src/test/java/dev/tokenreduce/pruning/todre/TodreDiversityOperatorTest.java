package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TodreDiversityOperatorTest {

    private static TokenOperator create(Map<String, ?> params) {
        return OperatorRegistry.defaults().create("todre-diversity", new Params(params, "test, step 1 (todre-diversity)"));
    }

    /** Two prefix tokens (10, 11), the worked example's six visual tokens, one suffix token (20). */
    private static TokenState state(NDManager m) {
        NDArray prefix = m.create(new float[] {10, 10, 11, 11}, new Shape(2, 2));
        NDArray visual = m.create(new float[] {1, 0, 0.8f, 0.6f, 0, 1, -0.6f, 0.8f, -1, 0.1f, 0.6f, -0.8f}, new Shape(6, 2));
        NDArray suffix = m.create(new float[] {20, 20}, new Shape(1, 2));
        NDArray tokens = NDArrays.concat(new NDList(prefix, visual, suffix), 0).expandDims(0);
        return TokenState.of(tokens, TokenLayout.sequence(2, 6, 1));
    }

    private static StepContext context(NDManager m) {
        return StepContext.builder(new HookPoint.VisionOutput(), m)
                .optSignal(StepContext.CLS_ATTENTION, m.create(new float[] {0.9f, 0.1f, 0.2f, 0.3f, 0.05f, 0.4f}).expandDims(0))
                .build();
    }

    @Test
    void keepsTheDiverseTokensInOriginalOrderAndRecordsTheSelection() {
        try (NDManager m = NDManager.newBaseManager()) {
            Reduction r = create(Map.of("keep", 4)).apply(state(m), context(m));
            assertThat(r.state().layout()).isEqualTo(TokenLayout.sequence(2, 4, 1));
            assertThat(r.state().tokens().toFloatArray()).containsExactly(10, 10, 11, 11, 1, 0, -0.6f, 0.8f, -1, 0.1f,
                    0.6f, -0.8f, 20, 20);
            assertThat(r.state().visualIndex().toLongArray()).containsExactly(0, 3, 4, 5);
            assertThat(r.record().op()).isEqualTo("todre-diversity");
            assertThat(r.record().details()).containsEntry("requested", 4).containsEntry("n", 6)
                    .containsEntry("mode", "max-sum").containsEntry("pivot", "cls");
            assertThat((int[]) r.record().details().get("selection-order")).containsExactly(0, 4, 5, 3);

            Reduction kc = create(Map.of("keep", 0.5, "mode", "k-center")).apply(state(m), context(m));
            assertThat((int[]) kc.record().details().get("selection-order")).containsExactly(0, 4, 2);
            assertThat(kc.state().visualIndex().toLongArray()).containsExactly(0, 2, 4);
        }
    }

    @Test
    void clsPivotWithoutTheSignalNamesIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            StepContext bare = StepContext.of(new HookPoint.VisionOutput(), m);
            assertThatThrownBy(() -> create(Map.of("keep", 2)).apply(state(m), bare))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("todre-diversity").hasMessageContaining("'cls-attention'");
            // Other pivots work without it.
            Reduction r = create(Map.of("keep", 2, "pivot", "farthest")).apply(state(m), bare);
            assertThat(r.state().layout().visual()).isEqualTo(2);
        }
    }

    @Test
    void budgetErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> create(Map.of("keep", 7)).apply(state(m), context(m)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("todre-diversity: budget keeps 7 tokens but only 6 are present");
            assertThatThrownBy(() -> create(Map.of("keep", 0)))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("field 'keep'");
            assertThatThrownBy(() -> create(Map.of("keep", -0.5)))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("field 'keep'");
            assertThatThrownBy(() -> create(Map.of()))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("field 'keep'").hasMessageContaining("missing");
            assertThatThrownBy(() -> create(Map.of("keep", 2, "mode", "greedy")))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("field 'mode'");
            assertThatThrownBy(() -> create(Map.of("keep", 2, "colour", "red")))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("unknown parameter 'colour'");
        }
    }

    @Test
    void wrongSignalShapeAndNaNAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            StepContext shortCls = StepContext.builder(new HookPoint.VisionOutput(), m)
                    .optSignal(StepContext.CLS_ATTENTION, m.ones(new Shape(1, 5))).build();
            assertThatThrownBy(() -> create(Map.of("keep", 2)).apply(state(m), shortCls))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("todre-diversity")
                    .hasMessageContaining("cls attention must be");
            TokenState s = state(m);
            NDArray bad = s.tokens().duplicate();
            bad.set(new ai.djl.ndarray.index.NDIndex("0, 3, 0"), Float.NaN);
            TokenState nan = TokenState.of(bad, s.layout());
            assertThatThrownBy(() -> create(Map.of("keep", 2)).apply(nan, context(m)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        }
    }
}
