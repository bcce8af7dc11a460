package dev.tokenreduce.pruning.todre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.token.TokenLayout;
import org.junit.jupiter.api.Test;

/**
 * Layout [S = 1, V = 2, T = 2] (L = 5), d_head = 1, so logits are q·k. Head 1: q = 1 on the text rows and
 * k = ln(1, 2, 3, 1, 1), so row 3 weighs keys 0..3 as 1:2:3:1 (image mass 5/7) and row 4 keys 0..4 as 1:2:3:1:1
 * (5/8). Head 2: q = 0, uniform over the visible keys: 2/4 and 2/5.
 */
class RelevanceCheckTest {

    private static final TokenLayout LAYOUT = TokenLayout.sequence(1, 2, 2);
    private static final double HEAD1 = (5.0 / 7 + 5.0 / 8) / 2;
    private static final double HEAD2 = (2.0 / 4 + 2.0 / 5) / 2;

    private static NDArray queries(NDManager m, boolean twoHeads) {
        float[] head1 = {0, 0, 0, 1, 1};
        float[] head2 = {0, 0, 0, 0, 0};
        float[] q = twoHeads ? concat(head1, head2) : head1;
        return m.create(q, new Shape(1, twoHeads ? 2 : 1, 5, 1));
    }

    private static NDArray keys(NDManager m) {
        return m.create(new float[] {0, (float) Math.log(2), (float) Math.log(3), 0, 0}, new Shape(1, 1, 5, 1));
    }

    @Test
    void oneHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            RelevanceRatios r = RelevanceCheck.ratios(queries(m, false), keys(m), LAYOUT);
            assertThat(r.textToVisual()[0]).isCloseTo(HEAD1, within(1e-6));
            assertThat(r.visualToText()[0]).isEqualTo(0.0);
        }
    }

    @Test
    void headsAreAveragedAndKeyHeadsShared() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Two query heads reading one key head (grouped-query attention).
            RelevanceRatios r = RelevanceCheck.ratios(queries(m, true), keys(m), LAYOUT);
            assertThat(r.textToVisual()[0]).isCloseTo((HEAD1 + HEAD2) / 2, within(1e-6));
            assertThat(r.visualToText()[0]).isEqualTo(0.0);
        }
    }

    @Test
    void sameRatiosFromTheFullCausalMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Full (1, 2, 5, 5) map of the same two heads, written out by hand.
            float[][] head1 = {
                {1, 0, 0, 0, 0}, {1 / 3f, 2 / 3f, 0, 0, 0}, {1 / 6f, 2 / 6f, 3 / 6f, 0, 0},
                {1 / 7f, 2 / 7f, 3 / 7f, 1 / 7f, 0}, {1 / 8f, 2 / 8f, 3 / 8f, 1 / 8f, 1 / 8f}};
            float[][] head2 = {
                {1, 0, 0, 0, 0}, {0.5f, 0.5f, 0, 0, 0}, {1 / 3f, 1 / 3f, 1 / 3f, 0, 0},
                {0.25f, 0.25f, 0.25f, 0.25f, 0}, {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}};
            NDArray map = m.create(concat(flat(head1), flat(head2)), new Shape(1, 2, 5, 5));
            RelevanceRatios r = RelevanceCheck.fromProbabilities(map, LAYOUT);
            assertThat(r.textToVisual()[0]).isCloseTo((HEAD1 + HEAD2) / 2, within(1e-6));
            assertThat(r.visualToText()[0]).isEqualTo(0.0);
        }
    }

    @Test
    void visualToTextIsLiteralOnANonCausalMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Uniform 1/5 everywhere: α_t→v = 2 rows · 2 columns · 0.2 / 2 = 0.4, α_v→t likewise.
            NDArray map = m.full(new Shape(1, 5, 5), 0.2f);
            RelevanceRatios r = RelevanceCheck.fromProbabilities(map, LAYOUT);
            assertThat(r.textToVisual()[0]).isCloseTo(0.4, within(1e-6));
            assertThat(r.visualToText()[0]).isCloseTo(0.4, within(1e-6));
            assertThat(r.below(0.5, RelevanceCondition.BOTH)).isTrue();
            assertThat(r.below(0.3, RelevanceCondition.BOTH)).isFalse();
            RelevanceRatios mixed = new RelevanceRatios(new double[] {0.05}, new double[] {0.2});
            assertThat(mixed.below(0.1, RelevanceCondition.BOTH)).isFalse();
            assertThat(mixed.below(0.1, RelevanceCondition.TEXT_TO_VISUAL)).isTrue();
        }
    }

    @Test
    void batchDropsOnlyWhenEveryElementAgrees() {
        RelevanceRatios r = new RelevanceRatios(new double[] {0.01, 0.5}, new double[] {0, 0});
        assertThat(r.below(0.1, RelevanceCondition.BOTH)).isFalse();
        assertThat(r.below(0.6, RelevanceCondition.BOTH)).isTrue();
    }

    @Test
    void emptyTextGivesNaNAndNoDrop() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenLayout noText = TokenLayout.sequence(1, 4, 0);
            RelevanceRatios r = RelevanceCheck.ratios(m.ones(new Shape(1, 1, 5, 1)), m.ones(new Shape(1, 1, 5, 1)), noText);
            assertThat(r.textToVisual()[0]).isNaN();
            assertThat(r.below(1.0, RelevanceCondition.TEXT_TO_VISUAL)).isFalse();
        }
    }

    @Test
    void defaultCheckLayerAndShapeErrors() {
        assertThat(RelevanceCheck.defaultCheckLayer(32)).isEqualTo(28);
        assertThat(RelevanceCheck.defaultCheckLayer(4)).isEqualTo(3);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> RelevanceCheck.ratios(m.ones(new Shape(1, 1, 4, 1)), keys(m), LAYOUT))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("queries must be (B, heads, 5, d_head)");
            assertThatThrownBy(() -> RelevanceCheck.ratios(m.ones(new Shape(1, 3, 5, 1)), m.ones(new Shape(1, 2, 5, 1)), LAYOUT))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a multiple");
            NDArray nan = queries(m, false).duplicate();
            nan.set(new ai.djl.ndarray.index.NDIndex("0, 0, 3, 0"), Float.NaN);
            assertThatThrownBy(() -> RelevanceCheck.ratios(nan, keys(m), LAYOUT))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        }
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
