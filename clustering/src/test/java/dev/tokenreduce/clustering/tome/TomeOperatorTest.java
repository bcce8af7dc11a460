package dev.tokenreduce.clustering.tome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.InBlockOperator;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.core.token.IndexRestoration;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TomeOperatorTest {

    private static final HookPoint BLOCKS = new HookPoint.EveryBlock();

    private static StepContext block(NDManager m, int index, NDArray metric) {
        return StepContext.builder(BLOCKS, m).optLayerIndex(index).optSignal(StepContext.KEY_METRIC, metric).build();
    }

    private static TomeOperator create(Map<String, Object> params) {
        return (TomeOperator) OperatorRegistry.defaults().create("tome", new Params(params, "test (tome)"));
    }

    @Test
    void registeredAndMatchesTheOneStepFixture() {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture("tome/merge_r4.safetensors"))) {
            NDArray metric = f.load("metric", m);
            NDArray x = f.load("x", m); // (2, 17, 12): CLS + a 4x4 grid
            TomeOperator op = create(Map.of("r", 4));
            assertThat(op.proportionalAttention()).isTrue();
            TokenState in = TokenState.of(x, TokenLayout.grid(1, 4, 4));
            Reduction out = op.apply(in, block(m, 0, metric));
            TokenState state = out.state();
            assertThat(state.layout()).isEqualTo(TokenLayout.sequence(1, 12, 0));
            Tolerance.assertClose(state.tokens(), f.load("merged", m), 1e-5, "merged");
            Tolerance.assertClose(state.sizes(), f.load("size", m), 1e-5, "size");
            assertThat(out.record().tokensIn()).isEqualTo(16);
            assertThat(out.record().tokensOut()).isEqualTo(12);
            assertThat(out.record().details()).containsEntry("r-applied", 4);
            assertThat(state.restoration().originalTokens()).isEqualTo(16);
            assertThat(state.restoration().reducedTokens()).isEqualTo(12);
        }
    }

    @Test
    void composesAcrossBlocksIntoOneSourceMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            // CLS + distillation token + 5x6 grid; no block transform in between, so every token must end up as the
            // plain mean of the originals the source map assigns to it.
            int prefix = 2;
            int visual = 30;
            NDArray x = m.randomNormal(0, 1, new Shape(2, prefix + visual, 5), DataType.FLOAT32);
            TokenState state = TokenState.of(x, TokenLayout.grid(prefix, 5, 6));
            TomeOperator op = create(Map.of("r", List.of(3, 0, 5, 4)));
            for (int blockIndex = 0; blockIndex < 4; blockIndex++) {
                int total = state.layout().total();
                NDArray metric = m.randomNormal(0, 1, new Shape(2, total, 4), DataType.FLOAT32);
                Reduction out = op.apply(state, block(m, blockIndex, metric));
                state = out.state();
                if (blockIndex == 1) {
                    // r = 0: nothing happens, the grid survives only if nothing merged before (it did)
                    assertThat(out.record().tokensOut()).isEqualTo(out.record().tokensIn());
                }
            }
            assertThat(state.layout().visual()).isEqualTo(visual - 12);
            assertThat(state.layout().prefix()).isEqualTo(prefix);
            // prefix tokens untouched, with size 1
            assertThat(state.tokens().get(":, :2").toFloatArray()).containsExactly(x.get(":, :2").toFloatArray());
            assertThat(state.sizes().get(":, :2").toFloatArray()).containsOnly(1f);
            assertThat(state.sizes().sum().getFloat()).isEqualTo(2f * (prefix + visual));
            IndexRestoration restoration = (IndexRestoration) state.restoration();
            NDArray source = restoration.sourceIndex();
            int mOut = state.layout().visual();
            NDArray oneHot = source.expandDims(2)
                    .eq(m.arange(0, mOut).toType(DataType.INT64, false).reshape(1, 1, mOut))
                    .toType(DataType.FLOAT32, false);
            NDArray counts = oneHot.sum(new int[] {1});
            assertThat(counts.toFloatArray()).containsExactly(state.sizes().get(":, 2:, 0").toFloatArray());
            NDArray means = oneHot.transpose(0, 2, 1).matMul(x.get(":, 2:")).div(counts.expandDims(2));
            Tolerance.assertClose(means, state.tokens().get(":, 2:"), 1e-5, "merged = mean of its sources");
            // unmerge to the full grid: each original token takes its merged token's value
            NDArray full = state.restoration().restore(state.tokens().get(":, 2:"));
            assertThat(full.getShape()).isEqualTo(new Shape(2, visual, 5));
            Tolerance.assertClose(full, means.gather(source.expandDims(2).repeat(2, 5), 1), 1e-6, "unmerged");
        }
    }

    @Test
    void zeroRBlockKeepsTokensAndGrid() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0, 1, new Shape(1, 17, 3), DataType.FLOAT32);
            TokenState in = TokenState.of(x, TokenLayout.grid(1, 4, 4));
            // no metric signal needed when r is 0
            Reduction out = create(Map.of("r", "2,0")).apply(in,
                    StepContext.builder(BLOCKS, m).optLayerIndex(1).build());
            assertThat(out.state().layout()).isEqualTo(in.layout());
            assertThat(out.state().tokens().toFloatArray()).containsExactly(x.toFloatArray());
            assertThat(out.state().sizes()).isNull();
            assertThat(out.state().restoration().restore(x.get(":, 1:")).toFloatArray())
                    .containsExactly(x.get(":, 1:").toFloatArray());
        }
    }

    @Test
    void deterministic() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(0, 1, new Shape(2, 26, 8), DataType.FLOAT32);
            NDArray metric = m.randomNormal(0, 1, new Shape(2, 26, 4), DataType.FLOAT32);
            TokenState in = TokenState.of(x, TokenLayout.grid(1, 5, 5));
            TomeOperator op = create(Map.of("r", 6));
            float[] first = op.apply(in, block(m, 3, metric)).state().tokens().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertThat(op.apply(in, block(m, 3, metric)).state().tokens().toFloatArray()).containsExactly(first);
            }
        }
    }

    @Test
    void validatesParameters() {
        assertThatThrownBy(() -> create(Map.of("r", -1))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("test (tome), field 'r'").hasMessageContaining(">= 0");
        assertThatThrownBy(() -> create(Map.of("r", List.of(4, -2)))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("field 'r'").hasMessageContaining("block 1");
        assertThatThrownBy(() -> create(Map.of("r", "many"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("field 'r'");
        assertThatThrownBy(() -> create(Map.of())).isInstanceOf(PolicyException.class)
                .hasMessageContaining("field 'r': missing");
        assertThatThrownBy(() -> create(Map.of("r", 4, "ratio", 0.5))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("unknown parameter 'ratio'");
        assertThatThrownBy(() -> create(Map.of("r", 4, "proportional-attention", "maybe")))
                .isInstanceOf(PolicyException.class).hasMessageContaining("proportional-attention");
        assertThat(create(Map.of("r", 4, "proportional-attention", false)).proportionalAttention()).isFalse();
        assertThat(create(Map.of("r", "[1, 2, 3]")).schedule().perBlockValues()).containsExactly(1, 2, 3);
    }

    @Test
    void listLengthMustMatchTheModelDepth() {
        String yaml = "name: t\nsteps:\n  - op: tome\n    at: blocks\n    params: {r: [4, 4, 4]}\n";
        Policy policy = PolicyLoader.withDefaults().parse(yaml, false, "p.yaml", "t", null);
        assertThat(policy.steps().get(0).operator()).isInstanceOf(InBlockOperator.class);
        policy.checkEncoderDepth(3);
        assertThatThrownBy(() -> policy.checkEncoderDepth(4)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("step 1 (tome)").hasMessageContaining("field 'r'")
                .hasMessageContaining("3 values").hasMessageContaining("4 blocks");
        Policy constant = PolicyLoader.withDefaults()
                .parse(yaml.replace("[4, 4, 4]", "8"), false, "p.yaml", "t", null);
        constant.checkEncoderDepth(24);
        // a host that skips the depth check still gets a clear error at the first block beyond the list
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState in = TokenState.of(m.ones(new Shape(1, 17, 2)), TokenLayout.grid(1, 4, 4));
            assertThatThrownBy(() -> policy.steps().get(0).operator().apply(in,
                    block(m, 3, m.ones(new Shape(1, 17, 2))))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("3 values").hasMessageContaining("block 3");
        }
    }

    @Test
    void clearErrorsForMissingSignalsAndWrongPlaces() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState in = TokenState.of(m.ones(new Shape(1, 17, 2)), TokenLayout.grid(1, 4, 4));
            TomeOperator op = create(Map.of("r", 2));
            assertThatThrownBy(() -> op.apply(in, StepContext.builder(BLOCKS, m).optLayerIndex(0).build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("tome")
                    .hasMessageContaining(StepContext.KEY_METRIC);
            assertThatThrownBy(() -> op.apply(in, StepContext.of(new HookPoint.AfterBlock(2), m)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'blocks'");
            assertThatThrownBy(() -> op.apply(in, block(m, 0, m.ones(new Shape(1, 16, 2)))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(1, 17, d_head)");
            NDArray bad = m.ones(new Shape(1, 17, 2));
            bad.set(new ai.djl.ndarray.index.NDIndex("0, 3, 1"), Float.NaN);
            assertThatThrownBy(() -> op.apply(in, block(m, 0, bad))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("NaN");
        }
    }
}
