package dev.tokenreduce.pruning.baseline;

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
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastVPrunerTest {

    private static TokenOperator create(Map<String, ?> params) {
        return OperatorRegistry.defaults().create("fastv", new Params(params, "test, step 3 (fastv)"));
    }

    /** [S = 1, V = 4, T = 2]; token value = position. */
    private static TokenState state(NDManager m) {
        return TokenState.builder().setTokens(m.arange(0f, 7f).reshape(1, 7, 1))
                .setLayout(TokenLayout.sequence(1, 4, 2)).build();
    }

    private static StepContext withAttention(NDManager m, HookPoint at, int layerIndex) {
        NDArray att = m.create(new float[] {0.3f, 0.1f, 0.2f, 0.05f, 0.2f, 0.1f, 0.05f}).reshape(1, 7);
        return StepContext.builder(at, m).optLayerIndex(layerIndex).optSignal(DecoderSignals.LAST_TOKEN_ATTENTION, att).build();
    }

    @Test
    void keepsTheMostAttendedHalfWithOriginalPositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            // visual attention 0.1, 0.2, 0.05, 0.2 → keep visual 1 and 3 (positions 2 and 4)
            Reduction r = create(Map.of()).apply(state(m), withAttention(m, new HookPoint.AfterDecoderLayer(2), -1));
            assertThat(r.state().tokens().toFloatArray()).containsExactly(0f, 2f, 4f, 5f, 6f);
            assertThat(r.state().positionIds().toLongArray()).containsExactly(0L, 2L, 4L, 5L, 6L);
            assertThat(r.state().layout()).isEqualTo(TokenLayout.sequence(1, 2, 2));
            assertThat(r.record().details()).containsEntry("requested", 2).containsEntry("layer", 2);
            Reduction renumbered = create(Map.of("positions", "renumber", "keep", 3)).apply(state(m).toBuilder()
                    .optPositionIds(Tensors.arangeLong(m, 0, 7).expandDims(0)).build(),
                    withAttention(m, new HookPoint.AfterDecoderLayer(2), -1));
            assertThat(renumbered.state().positionIds().toLongArray()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(renumbered.state().visualIndex().toLongArray()).containsExactly(0L, 1L, 3L);
        }
    }

    @Test
    void atTheDecoderHookOnlyLayerKPrunes() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenOperator op = create(Map.of("layer", 3));
            Reduction before = op.apply(state(m), withAttention(m, new HookPoint.Decoder(), 1));
            assertThat(before.state().layout().visual()).isEqualTo(4);
            assertThat(before.record().details()).containsEntry("skipped", "prunes after layer 3");
            Reduction at = op.apply(state(m), withAttention(m, new HookPoint.Decoder(), 2));
            assertThat(at.state().layout().visual()).isEqualTo(2);
            assertThatThrownBy(() -> op.apply(state(m), withAttention(m, new HookPoint.AfterDecoderLayer(2), -1)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("placed at decoder-layer 2 but its layer is 3");
        }
    }

    @Test
    void attentionFromQueriesAndKeysMatchesAPlainSoftmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            int heads = 4;
            int kvHeads = 2;
            int length = 7;
            int dh = 3;
            Random rnd = new Random(5);
            float[] q = new float[heads * length * dh];
            float[] k = new float[kvHeads * length * dh];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) rnd.nextGaussian();
            }
            float[] att = FastVAttention.lastTokenAttention(m.create(q, new Shape(1, heads, length, dh)),
                    m.create(k, new Shape(1, kvHeads, length, dh))).toFloatArray();
            double[] expected = new double[length];
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double[] logits = new double[length];
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    double dot = 0;
                    for (int e = 0; e < dh; e++) {
                        dot += q[(h * length + length - 1) * dh + e] * k[(g * length + j) * dh + e];
                    }
                    logits[j] = Math.exp(dot / Math.sqrt(dh));
                    sum += logits[j];
                }
                for (int j = 0; j < length; j++) {
                    expected[j] += logits[j] / sum / heads;
                }
            }
            for (int j = 0; j < length; j++) {
                assertThat((double) att[j]).isCloseTo(expected[j], org.assertj.core.api.Assertions.within(1e-6));
            }
            // The operator uses the same numbers when given queries and keys instead of the attention.
            StepContext ctx = StepContext.builder(new HookPoint.AfterDecoderLayer(2), m)
                    .optSignal(DecoderSignals.QUERIES, m.create(q, new Shape(1, heads, length, dh)))
                    .optSignal(DecoderSignals.KEYS, m.create(k, new Shape(1, kvHeads, length, dh))).build();
            long[] kept = create(Map.of("keep", 2)).apply(state(m), ctx).state().visualIndex().toLongArray();
            long[] byHand = dev.tokenreduce.pruning.TopK.largest(m.create(new double[] {expected[1], expected[2],
                    expected[3], expected[4]}).reshape(1, 4), 2).toLongArray();
            assertThat(kept).containsExactly(byHand);
        }
    }

    @Test
    void errors() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), StepContext.of(new HookPoint.AfterDecoderLayer(2), m)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'decoder-queries'");
            StepContext wrong = StepContext.builder(new HookPoint.AfterDecoderLayer(2), m)
                    .optSignal(DecoderSignals.LAST_TOKEN_ATTENTION, m.ones(new Shape(1, 6))).build();
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), wrong))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be (1, 7)");
            assertThatThrownBy(() -> create(Map.of("keep", 5)).apply(state(m), withAttention(m, new HookPoint.AfterDecoderLayer(2), -1)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("fastv: budget keeps 5 tokens but only 4");
            assertThatThrownBy(() -> create(Map.of("layer", 0))).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("field 'layer'");
            assertThatThrownBy(() -> create(Map.of()).apply(state(m), withAttention(m, new HookPoint.VisionOutput(), -1)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("decoder");
        }
    }
}
