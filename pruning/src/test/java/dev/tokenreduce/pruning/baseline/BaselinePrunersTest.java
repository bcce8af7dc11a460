package dev.tokenreduce.pruning.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
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
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** random, cls-attention and divprune after the vision encoder. */
class BaselinePrunersTest {

    private static TokenOperator create(String id, Map<String, ?> params) {
        return OperatorRegistry.defaults().create(id, new Params(params, "test, step 1 (" + id + ")"));
    }

    /** One prefix token, n visual tokens (value = index), no suffix. */
    private static TokenState sequence(NDManager m, int batch, int n, int channels) {
        NDArray tokens = m.randomNormal(new Shape(batch, 1 + n, channels));
        return TokenState.of(tokens, TokenLayout.sequence(1, n, 0));
    }

    private static StepContext context(NDManager m, long seed) {
        return StepContext.builder(new HookPoint.VisionOutput(), m).optSeed(seed).build();
    }

    @Test
    void randomIsSortedDistinctAndDeterministicForASeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState s = sequence(m, 2, 50, 3);
            long[] a = create("random", Map.of("keep", 10, "seed", 42)).apply(s, context(m, 0)).state().visualIndex().toLongArray();
            long[] b = create("random", Map.of("keep", 10, "seed", 42)).apply(s, context(m, 99)).state().visualIndex().toLongArray();
            long[] c = create("random", Map.of("keep", 10, "seed", 43)).apply(s, context(m, 0)).state().visualIndex().toLongArray();
            assertThat(b).containsExactly(a);
            assertThat(c).isNotEqualTo(a);
            for (int row = 0; row < 2; row++) {
                long[] r = Arrays.copyOfRange(a, row * 10, row * 10 + 10);
                assertThat(r).isSorted().doesNotHaveDuplicates();
                assertThat(r[0]).isGreaterThanOrEqualTo(0);
                assertThat(r[9]).isLessThan(50);
            }
            assertThat(Arrays.copyOfRange(a, 0, 10)).as("batch rows differ").isNotEqualTo(Arrays.copyOfRange(a, 10, 20));
            // Without a seed parameter the run's seed decides.
            long[] d = create("random", Map.of("keep", 10)).apply(s, context(m, 42)).state().visualIndex().toLongArray();
            long[] e = create("random", Map.of("keep", 10)).apply(s, context(m, 42)).state().visualIndex().toLongArray();
            assertThat(d).containsExactly(e);
            assertThat(create("random", Map.of("keep", 0.2)).apply(s, context(m, 1)).state().layout().visual()).isEqualTo(10);
        }
    }

    @Test
    void clsAttentionKeepsTheTopTokensLowerIndexOnTies() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState s = sequence(m, 1, 6, 2);
            StepContext ctx = StepContext.builder(new HookPoint.VisionOutput(), m).optSignal(StepContext.CLS_ATTENTION,
                    m.create(new float[] {0.1f, 0.3f, 0.2f, 0.3f, 0.05f, 0.3f}).reshape(1, 6)).build();
            Reduction r = create("cls-attention", Map.of("keep", 2)).apply(s, ctx);
            assertThat(r.state().visualIndex().toLongArray()).containsExactly(1, 3);
            assertThat(create("cls-attention", Map.of("keep", 4)).apply(s, ctx).state().visualIndex().toLongArray())
                    .containsExactly(1, 2, 3, 5);
            assertThatThrownBy(() -> create("cls-attention", Map.of("keep", 2)).apply(s, context(m, 0)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cls-attention needs 'cls-attention'");
            StepContext wrong = StepContext.builder(new HookPoint.VisionOutput(), m)
                    .optSignal(StepContext.CLS_ATTENTION, m.ones(new Shape(1, 5))).build();
            assertThatThrownBy(() -> create("cls-attention", Map.of("keep", 2)).apply(s, wrong))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be (1, 6)");
            StepContext nan = StepContext.builder(new HookPoint.VisionOutput(), m).optSignal(StepContext.CLS_ATTENTION,
                    m.create(new float[] {0.1f, Float.NaN, 0.2f, 0.3f, 0.05f, 0.3f}).reshape(1, 6)).build();
            assertThatThrownBy(() -> create("cls-attention", Map.of("keep", 2)).apply(s, nan))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        }
    }

    @Test
    void divPruneOnTheWorkedExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Nearest-neighbour cosines: 0.8, 0.8, 0.8, 0.8, 0.677, 0.6 → token 5 is the loneliest, the first pick;
            // then farthest-first: token 3 (cos −1 to token 5), then token 1 (distance 1 to both).
            NDArray visual = m.create(new float[] {1, 0, 0.8f, 0.6f, 0, 1, -0.6f, 0.8f, -1, 0.1f, 0.6f, -0.8f},
                    new Shape(1, 6, 2));
            assertThat(DivPrunePruner.firstPick(visual.div(visual.norm(new int[] {2}, true))).toLongArray())
                    .containsExactly(5);
            TokenState s = TokenState.of(visual, TokenLayout.sequence(0, 6, 0));
            Reduction r = create("divprune", Map.of("keep", 3)).apply(s, context(m, 0));
            assertThat((int[]) r.record().details().get("selection-order")).containsExactly(5, 3, 1);
            assertThat(r.state().visualIndex().toLongArray()).containsExactly(1, 3, 5);
        }
    }

    @Test
    void divPruneMatchesAPlainLoop() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 40;
            int d = 5;
            int k = 9;
            NDArray visual = m.randomNormal(new Shape(2, n, d));
            TokenState s = TokenState.of(visual, TokenLayout.sequence(0, n, 0));
            long[] kept = create("divprune", Map.of("keep", k)).apply(s, context(m, 0)).state().visualIndex().toLongArray();
            float[] all = visual.toFloatArray();
            for (int b = 0; b < 2; b++) {
                long[] expected = plainDivPrune(Arrays.copyOfRange(all, b * n * d, (b + 1) * n * d), n, d, k);
                assertThat(Arrays.copyOfRange(kept, b * k, (b + 1) * k)).as("batch %d", b).containsExactly(expected);
            }
        }
    }

    @Test
    void budgetAndInputErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState s = sequence(m, 1, 6, 2);
            for (String id : new String[] {"random", "divprune"}) {
                assertThatThrownBy(() -> create(id, Map.of("keep", 7)).apply(s, context(m, 0)))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining(id + ": budget keeps 7 tokens but only 6 are present");
                assertThatThrownBy(() -> create(id, Map.of("keep", 0))).isInstanceOf(PolicyException.class)
                        .hasMessageContaining("field 'keep'");
                assertThatThrownBy(() -> create(id, Map.of("keep", 1.5))).isInstanceOf(PolicyException.class)
                        .hasMessageContaining("field 'keep'");
                TokenState empty = TokenState.of(m.ones(new Shape(1, 2, 2)), TokenLayout.sequence(2, 0, 0));
                assertThatThrownBy(() -> create(id, Map.of("keep", 1)).apply(empty, context(m, 0)))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("visual span is empty");
                NDArray bad = s.tokens().duplicate();
                bad.set(new ai.djl.ndarray.index.NDIndex("0, 2, 1"), Float.NaN);
                assertThatThrownBy(() -> create(id, Map.of("keep", 2)).apply(TokenState.of(bad, s.layout()), context(m, 0)))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
            }
        }
    }

    /** DivPrune written out with loops (double precision). */
    private static long[] plainDivPrune(float[] x, int n, int d, int k) {
        double[][] u = new double[n][d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                norm += (double) x[i * d + c] * x[i * d + c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                u[i][c] = x[i * d + c] / norm;
            }
        }
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += u[i][c] * u[j][c];
                }
                dist[i][j] = 1 - dot;
            }
        }
        int first = 0;
        double best = -1;
        for (int v = 0; v < n; v++) {
            double nearest = Double.POSITIVE_INFINITY;
            for (int w = 0; w < n; w++) {
                if (w != v) {
                    nearest = Math.min(nearest, dist[v][w]);
                }
            }
            if (nearest > best) {
                best = nearest;
                first = v;
            }
        }
        boolean[] chosen = new boolean[n];
        double[] toSet = new double[n];
        Arrays.fill(toSet, Double.POSITIVE_INFINITY);
        long[] out = new long[k];
        int c = first;
        for (int step = 0; step < k; step++) {
            out[step] = c;
            chosen[c] = true;
            for (int i = 0; i < n; i++) {
                toSet[i] = Math.min(toSet[i], dist[i][c]);
            }
            int next = -1;
            for (int i = 0; i < n; i++) {
                if (!chosen[i] && (next < 0 || toSet[i] > toSet[next])) {
                    next = i;
                }
            }
            c = next;
        }
        Arrays.sort(out);
        return out;
    }
}
