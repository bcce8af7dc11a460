package dev.tokenreduce.core.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void finiteCheckLeavesNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ok = m.ones(new Shape(2, 3));
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                Inputs.requireFinite(ok, "test", "ones");
            }
            assertThat(m.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void finiteCheckRejectsNaNAndInf() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Inputs.requireFinite(m.create(new float[] {1f, Float.NaN}), "op", "x"))
                    .isInstanceOf(InvalidInputException.class).hasMessage("op: x contains NaN or Inf values");
            assertThatThrownBy(() -> Inputs.requireFinite(m.create(new float[] {Float.NEGATIVE_INFINITY}), "op", "x"))
                    .isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void finiteValuesWhoseSumOverflowsStillPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray huge = m.create(new float[] {3e38f, 3e38f, -1f});
            int before = m.getManagedArrays().size();
            Inputs.requireFinite(huge, "op", "x");
            assertThat(m.getManagedArrays()).hasSize(before);
            NDArray hugeWithNaN = m.create(new float[] {3e38f, 3e38f, Float.NaN});
            assertThatThrownBy(() -> Inputs.requireFinite(hugeWithNaN, "op", "x"))
                    .isInstanceOf(InvalidInputException.class);
            Inputs.requireFinite(m.create(new double[] {1e300, 1e300, 1e300}), "op", "x");
        }
    }
}
