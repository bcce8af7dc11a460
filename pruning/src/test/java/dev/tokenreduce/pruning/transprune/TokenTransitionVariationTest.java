package dev.tokenreduce.pruning.transprune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The spec's worked example: T_in = [(1,0),(0,1),(1,1)], T_out = [(2,0),(1,1),(−1,−2)]. */
class TokenTransitionVariationTest {

    private static NDArray in(NDManager m) {
        return m.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(1, 3, 2));
    }

    private static NDArray out(NDManager m) {
        return m.create(new float[] {2, 0, 1, 1, -1, -2}, new Shape(1, 3, 2));
    }

    @Test
    void codeForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ttv = TokenTransitionVariation.subModule(in(m), out(m), TtvDirection.CODE).toFloatArray();
            assertThat(ttv[0]).isCloseTo(0.213681f, within(1e-6f));
            assertThat(ttv[1]).isCloseTo(0.202513f, within(1e-6f));
            assertThat(ttv[2]).isCloseTo(1.185792f, within(1e-6f));
        }
    }

    @Test
    void paperForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ttv = TokenTransitionVariation.subModule(in(m), out(m), TtvDirection.ABS).toFloatArray();
            assertThat(ttv[0]).isCloseTo(0.589457f, within(1e-6f));
            assertThat(ttv[1]).isCloseTo(0.558649f, within(1e-6f));
            assertThat(ttv[2]).isCloseTo(0.490544f, within(1e-6f));
        }
    }

    @Test
    void layerIsTheSumOfBothSubModulesAndZeroInputsStayFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray layer = TokenTransitionVariation.layer(in(m), out(m), out(m), in(m), TtvDirection.CODE);
            NDArray sum = TokenTransitionVariation.subModule(in(m), out(m), TtvDirection.CODE)
                    .add(TokenTransitionVariation.subModule(out(m), in(m), TtvDirection.CODE));
            assertThat(layer.toFloatArray()).containsExactly(sum.toFloatArray());
            NDArray zero = m.zeros(new Shape(1, 3, 2));
            assertThat(TokenTransitionVariation.subModule(zero, out(m), TtvDirection.CODE).isNaN().any().getBoolean())
                    .isFalse();
        }
    }

    @Test
    void rejectsMismatchedShapesAndNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> TokenTransitionVariation.subModule(in(m), m.ones(new Shape(1, 4, 2)), TtvDirection.CODE))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("disagree in shape");
            NDArray nan = in(m).duplicate();
            nan.set(new ai.djl.ndarray.index.NDIndex("0, 1, 1"), Float.NaN);
            assertThatThrownBy(() -> TokenTransitionVariation.subModule(nan, out(m), TtvDirection.CODE))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
        }
    }
}
