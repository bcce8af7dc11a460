package dev.tokenreduce.clustering.expedit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.OperatorRegistry;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.core.token.ComposedRestoration;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The expedit-cluster / expedit-reconstruct operators through the registry and policy loader of core. */
class ExpeditOperatorsTest {

    private static final String POLICY = """
            name: expedit-test
            steps:
              - op: expedit-cluster
                at: {block: 2}
                params: {clusters: %s, iterations: 3, window: %s, temperature: %s%s}
              - op: expedit-reconstruct
                at: output
                params: {%s}
            """;

    private static Policy policy(String clusters, String window, String temperature, String extraCluster,
            String reconstruct) {
        String text = String.format(POLICY, clusters, window, temperature, extraCluster, reconstruct);
        return PolicyLoader.withDefaults().parse(text, false, "test.yaml", "test", null);
    }

    private static NDArray random(NDManager m, long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(shape));
    }

    /** Runs every step of the policy in order on {@code state}. */
    private static TokenState run(Policy p, TokenState state, NDManager m) {
        TokenState s = state;
        for (PolicyStep step : p.steps()) {
            Reduction r = step.operator().apply(s, StepContext.of(step.at(), m));
            s = r.state();
        }
        return s;
    }

    @Test
    void registryFindsTheOperators() {
        OperatorRegistry registry = OperatorRegistry.defaults();
        assertThat(registry.contains("expedit-cluster")).isTrue();
        assertThat(registry.contains("expedit-reconstruct")).isTrue();
        assertThat(registry.contains("pool")).isTrue();
    }

    @Test
    void prefixTokensAreBitIdenticalAndReconstructionMatchesThePureApi() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = random(m, 1, 2, 2 + 64, 8);
            TokenState in = TokenState.of(tokens, TokenLayout.grid(2, 8, 8));
            Policy p = policy("4x4", "3", "0.25", "", "k: 3, temperature: 0.25");
            TokenState clustered = p.steps().get(0).operator().apply(in, StepContext.of(p.steps().get(0).at(), m))
                    .state();
            assertThat(clustered.layout()).isEqualTo(TokenLayout.grid(2, 4, 4));
            assertThat(clustered.restoration()).isInstanceOf(ExpeditRestoration.class);
            assertThat(((ExpeditRestoration) clustered.restoration()).mode()).isEqualTo("naive");
            Reduction rec = p.steps().get(1).operator().apply(clustered, StepContext.of(p.steps().get(1).at(), m));
            TokenState out = rec.state();
            assertThat(out.tokens()).isSameAs(clustered.tokens());
            assertThat(rec.record().op()).isEqualTo("expedit-reconstruct");
            assertThat(rec.record().tokensIn()).isEqualTo(16);
            assertThat(rec.record().details()).containsEntry("k", 3).containsEntry("norm", "l2");
            assertThat(out.records()).hasSize(2);
            assertThat(out.prefixTokens().toFloatArray())
                    .containsExactly(tokens.get(new NDIndex(":, :2")).toFloatArray());

            ClusteringResult pure = ExpeditClustering.builder().setClusters(4, 4).setTemperature(0.25f)
                    .optIterations(3).optWindow(3).build().cluster(tokens.get(new NDIndex(":, 2:")), GridSize.square(8));
            Tolerance.assertClose(out.visualTokens(), pure.centres(), 0, "clustered tokens");
            NDArray x = random(m, 2, 2, 16, 5);
            Tolerance.assertClose(out.restoration().restore(x), pure.reconstruction(3, 0.25f, ReconstructionNorm.L2)
                    .restore(x), 0, "restored");
            Tolerance.assertClose(clustered.restoration().restore(x), pure.naiveUnpooling().restore(x), 0, "naive");
        }
    }

    @Test
    void naiveModeAndL1AndKAll() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = random(m, 3, 1, 1 + 36, 4);
            TokenState in = TokenState.of(tokens, TokenLayout.grid(1, 6, 6));
            NDArray x = random(m, 4, 1, 9, 3);
            TokenState naive = run(policy("3x3", "3", "0.5", "", "mode: naive"), in, m);
            ClusteringResult pure = ((ExpeditRestoration) naive.restoration()).clusters();
            Tolerance.assertClose(naive.restoration().restore(x), pure.naiveUnpooling().restore(x), 0, "naive");
            TokenState all = run(policy("3x3", "3", "0.5", "", "k: all, temperature: 0.5, norm: l1"), in, m);
            Tolerance.assertClose(all.restoration().restore(x),
                    pure.reconstruction(ExpeditReconstruction.ALL, 0.5f, ReconstructionNorm.L1).restore(x), 1e-6,
                    "k all, l1");
        }
    }

    @Test
    void reconstructReplacesTheExpeditLinkInsideAComposedChain() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = random(m, 5, 1, 1 + 64, 4);
            TokenState in = TokenState.of(tokens, TokenLayout.grid(1, 8, 8));
            Policy p = PolicyLoader.withDefaults().parse("""
                    steps:
                      - {op: expedit-cluster, at: {block: 1}, params: {clusters: 4x4, window: 3, temperature: 0.5}}
                      - {op: pool, at: {block: 2}, params: {clusters: 2x2}}
                      - {op: expedit-reconstruct, at: output, params: {k: 2, temperature: 0.5}}
                    """, false, "chain.yaml", "chain", null);
            TokenState out = run(p, in, m);
            assertThat(out.layout().visual()).isEqualTo(4);
            assertThat(out.restoration()).isInstanceOf(ComposedRestoration.class);
            ComposedRestoration chain = (ComposedRestoration) out.restoration();
            assertThat(chain.earlier()).isInstanceOf(ExpeditRestoration.class);
            ExpeditRestoration expedit = (ExpeditRestoration) chain.earlier();
            assertThat(expedit.mode()).startsWith("weighted(k=2");
            NDArray x = random(m, 6, 1, 4, 3);
            NDArray expected = expedit.clusters().reconstruction(2, 0.5f, ReconstructionNorm.L2)
                    .restore(chain.later().restore(x));
            Tolerance.assertClose(out.restoration().restore(x), expected, 0, "chain");
            assertThat(out.restoration().restore(x).getShape()).isEqualTo(new Shape(1, 64, 3));
        }
    }

    @Test
    void windowedOperatorStitchesWindows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = random(m, 7, 1, 1 + 10 * 9, 4);
            TokenState in = TokenState.of(tokens, TokenLayout.grid(1, 10, 9));
            TokenState out = run(policy("2x2", "3", "0.5", ", windowed: 4", "k: 3, temperature: 0.5"), in, m);
            assertThat(out.layout().grid()).isEqualTo(new GridSize(6, 6));
            assertThat(out.restoration().restore(random(m, 8, 1, 36, 2)).getShape()).isEqualTo(new Shape(1, 90, 2));
        }
    }

    @Test
    void policyErrorsNameTheStepAndTheField() {
        assertThatThrownBy(() -> policy("4x4", "3", "0.1", ", iters: 5", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("test.yaml, step 1 (expedit-cluster)")
                .hasMessageContaining("unknown parameter 'iters'");
        assertThatThrownBy(() -> policy("4by4", "3", "0.1", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'clusters'")
                .hasMessageContaining("malformed grid size '4by4'");
        assertThatThrownBy(() -> policy("4x4", "4", "0.1", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("step 1 (expedit-cluster), field 'window'")
                .hasMessageContaining("must be odd");
        assertThatThrownBy(() -> policy("4x4", "3", "0", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'temperature'")
                .hasMessageContaining("must be > 0");
        assertThatThrownBy(() -> policy("4x4", "3", "-0.5", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'temperature'");
        assertThatThrownBy(() -> policy("4x4", "3", "NaN", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'temperature'")
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> policy("4x4", "3", "0.1", "", "k: 3"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("step 2 (expedit-reconstruct), field 'temperature': missing (required)");
        assertThatThrownBy(() -> policy("4x4", "3", "0.1", "", "k: 0, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'k'");
        assertThatThrownBy(() -> policy("4x4", "3", "0.1", "", "mode: naive, k: 3"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'k'")
                .hasMessageContaining("no effect with mode: naive");
        assertThatThrownBy(() -> policy("4x4", "3", "0.1", "", "k: 3, temperature: 0.1, norm: l3"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'norm'");
        assertThatThrownBy(() -> policy("4x4", "-1", "0.1", "", "k: 3, temperature: 0.1"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("field 'window'");
    }

    @Test
    void runtimeErrorsKGreaterThanMAndNaNTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            Policy p = policy("2x2", "3", "0.1", "", "k: 5, temperature: 0.1");
            TokenState ok = TokenState.of(random(m, 9, 1, 1 + 16, 4), TokenLayout.grid(1, 4, 4));
            assertThatThrownBy(() -> run(p, ok, m)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("expedit-reconstruct, field 'k': 5 exceeds the 4 clusters (2x2)");
            NDArray bad = random(m, 10, 1, 1 + 16, 4);
            bad.set(new NDIndex("0, 7, 2"), Float.NaN);
            TokenState nan = TokenState.of(bad, TokenLayout.grid(1, 4, 4));
            assertThatThrownBy(() -> run(p, nan, m)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("expedit-cluster").hasMessageContaining("NaN");
            Policy onlyReconstruct = PolicyLoader.withDefaults().parse(
                    "steps: [{op: expedit-reconstruct, at: output, params: {k: 1, temperature: 1}}]", false, "r.yaml",
                    "r", null);
            assertThatThrownBy(() -> run(onlyReconstruct, ok, m)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("no expedit-cluster step ran earlier");
            TokenState noGrid = TokenState.of(random(m, 11, 1, 16, 4), TokenLayout.sequence(0, 16, 0));
            assertThatThrownBy(() -> run(p, noGrid, m)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("expedit-cluster needs visual tokens on a 2-D grid");
        }
    }
}
