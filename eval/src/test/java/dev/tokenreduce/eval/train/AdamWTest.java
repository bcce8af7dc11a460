package dev.tokenreduce.eval.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written AdamW: schedule shape, convergence on a quadratic, decoupled decay only on matrices. */
class AdamWTest {

    @Test
    void warmupThenCosine() {
        AdamW opt = new AdamW(1e-3, 1e-5, 10, 110, 0.05);
        assertThat(opt.learningRate(0)).isCloseTo(1e-4, offset(1e-12));
        assertThat(opt.learningRate(9)).isCloseTo(1e-3, offset(1e-12));
        assertThat(opt.learningRate(60)).isCloseTo((1e-3 + 1e-5) / 2, offset(1e-9));
        assertThat(opt.learningRate(110)).isCloseTo(1e-5, offset(1e-12));
    }

    @Test
    void minimisesAQuadraticAndZeroesGradients() {
        try (NDManager root = NDManager.newBaseManager(); NDManager state = root.newSubManager()) {
            NDArray matrix = root.create(new float[] {3, -2, 1, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray bias = root.create(new float[] {-1, 2});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", matrix);
            params.put("b", bias);
            for (NDArray p : params.values()) {
                p.setRequiresGradient(true);
            }
            AdamW opt = new AdamW(0.1, 0.001, 5, 300, 0.0);
            for (int step = 0; step < 300; step++) {
                try (NDManager scope = root.newSubManager()) {
                    for (NDArray p : params.values()) {
                        p.tempAttach(scope);
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = matrix.sub(0.5f).square().sum().add(bias.add(1f).square().sum());
                        gc.backward(loss);
                    }
                    opt.update(params, state, scope);
                }
            }
            assertThat(matrix.toFloatArray()).containsExactly(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, offset(0.02f));
            assertThat(bias.toFloatArray()).containsExactly(new float[] {-1f, -1f}, offset(0.02f));
            assertThat(matrix.getGradient().abs().max().getFloat()).isEqualTo(0f);
        }
    }
}
