package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiversitySelectorTest {

    /** The spec's worked example: V = [(1,0),(0.8,0.6),(0,1),(−0.6,0.8),(−1,0.1),(0.6,−0.8)], pivot 0, k = 4. */
    private static NDArray workedExample(NDManager m) {
        return m.create(new float[] {1, 0, 0.8f, 0.6f, 0, 1, -0.6f, 0.8f, -1, 0.1f, 0.6f, -0.8f}, new Shape(6, 2));
    }

    private static NDArray pivotZeroCls(NDManager m) {
        return m.create(new float[] {0.9f, 0.1f, 0.2f, 0.3f, 0.05f, 0.4f});
    }

    @ParameterizedTest(name = "lookahead {0}")
    @ValueSource(ints = {0, 32})
    void workedExampleMaxSum(int lookahead) {
        try (NDManager m = NDManager.newBaseManager()) {
            DiversitySelection s = DiversitySelector.builder().optMode(DiversityMode.MAX_SUM).optLookahead(lookahead)
                    .build().select(workedExample(m), pivotZeroCls(m), 4);
            assertThat(s.order().toLongArray()).containsExactly(0, 4, 5, 3);
            assertThat(s.kept().toLongArray()).containsExactly(0, 3, 4, 5);
        }
    }

    @ParameterizedTest(name = "lookahead {0}")
    @ValueSource(ints = {0, 32})
    void workedExampleKCenter(int lookahead) {
        try (NDManager m = NDManager.newBaseManager()) {
            DiversitySelection s = DiversitySelector.builder().optMode(DiversityMode.K_CENTER).optLookahead(lookahead)
                    .build().select(workedExample(m), pivotZeroCls(m), 4);
            assertThat(s.order().toLongArray()).containsExactly(0, 4, 2, 5);
            assertThat(s.kept().toLongArray()).containsExactly(0, 2, 4, 5);
        }
    }

    @Test
    void scaleDoesNotMatterAndZeroRowsStayZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {3, 4, 0, 0, -2, 0}, new Shape(3, 2));
            NDArray unit = DiversitySelector.normalizeRows(x);
            assertThat(unit.toFloatArray()).containsExactly(0.6f, 0.8f, 0f, 0f, -1f, 0f);
            // Scaling a token changes nothing: the worked example with token 3 ten times longer.
            NDArray scaled = workedExample(m).duplicate();
            scaled.set(new ai.djl.ndarray.index.NDIndex("3"), m.create(new float[] {-6f, 8f}));
            DiversitySelection s = DiversitySelector.builder().build().select(scaled, pivotZeroCls(m), 4);
            assertThat(s.order().toLongArray()).containsExactly(0, 4, 5, 3);
        }
    }

    @ParameterizedTest(name = "lookahead {0}")
    @ValueSource(ints = {0, 32})
    void tiesGoToTheLowestIndex(int lookahead) {
        try (NDManager m = NDManager.newBaseManager()) {
            // Tokens 1, 2 and 3 are the same direction, orthogonal to the pivot: all tie at every step.
            NDArray x = m.create(new float[] {1, 0, 0, 1, 0, 2, 0, 1}, new Shape(4, 2));
            NDArray cls = m.create(new float[] {1, 1, 0, 0}); // also a tie: token 0 wins
            for (DiversityMode mode : DiversityMode.values()) {
                DiversitySelection s = DiversitySelector.builder().optMode(mode).optLookahead(lookahead).build()
                        .select(x, cls, 3);
                assertThat(s.order().toLongArray()).as(mode.word()).containsExactly(0, 1, 2);
            }
        }
    }

    @Test
    void batchRowsAreIndependent() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(20, 8));
            NDArray b = m.randomNormal(new Shape(20, 8));
            NDArray ca = m.randomUniform(0, 1, new Shape(20));
            NDArray cb = m.randomUniform(0, 1, new Shape(20));
            for (int lookahead : new int[] {0, 4}) {
                DiversitySelector sel = DiversitySelector.builder().optMode(DiversityMode.K_CENTER)
                        .optLookahead(lookahead).build();
                DiversitySelection both = sel.select(ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(a, b)),
                        ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(ca, cb)), 6);
                assertThat(both.order().getShape()).isEqualTo(new Shape(2, 6));
                assertThat(both.order().get(0).toLongArray()).containsExactly(sel.select(a, ca, 6).order().toLongArray());
                assertThat(both.order().get(1).toLongArray()).containsExactly(sel.select(b, cb, 6).order().toLongArray());
            }
        }
    }

    @Test
    void lookaheadAndSingleProductsAgreeOnRandomData() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(300, 24)).add(0.5f);
            NDArray cls = m.randomUniform(0, 1, new Shape(300));
            for (DiversityMode mode : DiversityMode.values()) {
                long[] plain = DiversitySelector.builder().optMode(mode).optLookahead(0).build()
                        .select(x, cls, 60).order().toLongArray();
                for (int lookahead : new int[] {1, 3, 16, -1}) {
                    long[] cached = DiversitySelector.builder().optMode(mode).optLookahead(lookahead).build()
                            .select(x, cls, 60).order().toLongArray();
                    assertThat(cached).as("%s lookahead %d", mode, lookahead).containsExactly(plain);
                }
            }
        }
    }

    @Test
    void cachedBlocksAgreeForDoublesBatchesAndEveryToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            // float64 tokens, a batch of two, k = n (the last blocks are capped by the tokens left), n below 16
            for (long n : new long[] {40, 11}) {
                NDArray x = m.randomNormal(new Shape(2, n, 12)).add(0.3f).toType(ai.djl.ndarray.types.DataType.FLOAT64,
                        false);
                NDArray cls = m.randomUniform(0, 1, new Shape(2, n));
                for (DiversityMode mode : DiversityMode.values()) {
                    for (int k : new int[] {(int) n, (int) n / 2}) {
                        long[] plain = DiversitySelector.builder().optMode(mode).optLookahead(0).build()
                                .select(x, cls, k).order().toLongArray();
                        long[] cached = DiversitySelector.builder().optMode(mode).build().select(x, cls, k).order()
                                .toLongArray();
                        assertThat(cached).as("%s n %d k %d", mode, n, k).containsExactly(plain);
                    }
                }
            }
        }
    }

    @Test
    void leavesOnlyItsResultInTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(200, 16));
            NDArray cls = m.randomUniform(0, 1, new Shape(200));
            for (DiversityMode mode : DiversityMode.values()) {
                for (int lookahead : new int[] {0, 16}) {
                    int before = m.getManagedArrays().size();
                    DiversitySelection s = DiversitySelector.builder().optMode(mode).optLookahead(lookahead).build()
                            .select(x, cls, 40);
                    // order and kept (plus the views that drop the batch axis): no blocks, scores or norms
                    assertThat(m.getManagedArrays().size() - before).as("%s lookahead %d", mode, lookahead)
                            .isLessThanOrEqualTo(4);
                    assertThat(x.getManager()).isSameAs(m);
                    assertThat(s.kept().getManager()).isSameAs(m);
                }
            }
        }
    }

    @Test
    void pivotStrategies() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Mean unit direction of the worked example ≈ (0.134, 0.283), at 64.6°: token 2 (90°) is nearest
            // (token 1 at 36.9° is 27.7° away), token 5 (−53.1°) farthest (117.7° away; token 4 is 109.7° away).
            NDArray x = workedExample(m);
            assertThat(DiversitySelector.builder().optPivot(PivotStrategy.CENTER).build().select(x, null, 1)
                    .order().toLongArray()).containsExactly(2);
            assertThat(DiversitySelector.builder().optPivot(PivotStrategy.FARTHEST).build().select(x, null, 1)
                    .order().toLongArray()).containsExactly(5);
            // A pivot mask restricts the CLS argmax.
            NDArray mask = m.create(new boolean[] {false, true, true, false, false, true});
            assertThat(DiversitySelector.builder().build().select(x, pivotZeroCls(m), mask, 1).order().toLongArray())
                    .containsExactly(5);
        }
    }

    @Test
    void randomPivotIsDeterministicForASeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(50, 4));
            long[] first = DiversitySelector.builder().optPivot(PivotStrategy.RANDOM).optSeed(7).build()
                    .select(x, null, 10).order().toLongArray();
            long[] again = DiversitySelector.builder().optPivot(PivotStrategy.RANDOM).optSeed(7).build()
                    .select(x, null, 10).order().toLongArray();
            assertThat(again).containsExactly(first);
            boolean anyOther = false;
            for (long seed = 8; seed < 20 && !anyOther; seed++) {
                anyOther = DiversitySelector.builder().optPivot(PivotStrategy.RANDOM).optSeed(seed).build()
                        .select(x, null, 1).order().getLong(0) != first[0];
            }
            assertThat(anyOther).as("another seed picks another pivot").isTrue();
        }
    }

    @Test
    void rejectsBadInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiversitySelector sel = DiversitySelector.builder().build();
            NDArray x = workedExample(m);
            NDArray cls = pivotZeroCls(m);
            assertThatThrownBy(() -> sel.select(x, cls, 7)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("k = 7 exceeds the 6 tokens");
            assertThatThrownBy(() -> sel.select(x, cls, 0)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("at least 1");
            assertThatThrownBy(() -> sel.select(x, null, 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("pivot 'cls' needs the [CLS] attention");
            assertThatThrownBy(() -> sel.select(x, m.ones(new Shape(5)), 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("cls attention must be (6)");
            assertThatThrownBy(() -> sel.select(m.ones(new Shape(6)), cls, 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("(n, d) or (B, n, d)");
            NDArray nan = x.duplicate();
            nan.set(new ai.djl.ndarray.index.NDIndex("2, 1"), Float.NaN);
            assertThatThrownBy(() -> sel.select(nan, cls, 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("NaN");
            NDArray nanCls = cls.duplicate();
            nanCls.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            assertThatThrownBy(() -> sel.select(x, nanCls, 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("cls attention contains NaN");
            NDArray none = m.zeros(new Shape(6), ai.djl.ndarray.types.DataType.BOOLEAN);
            assertThatThrownBy(() -> sel.select(x, cls, none, 2)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("allows no token");
        }
    }
}
