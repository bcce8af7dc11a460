package dev.tokenreduce.vit.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.vit.config.Activation;
import org.junit.jupiter.api.Test;

/** The activations against their closed forms (GELU with erf, tanh approximation, quick-GELU). */
class ActivationsTest {

    static final float[] X = {-6f, -3f, -1.5f, -0.5f, -1e-3f, 0f, 0.25f, 1f, 2.5f, 7f};

    static double erf(double x) {
        // Abramowitz-Stegun 7.1.26 is too coarse; integrate the series instead (|x| <= 7 here)
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return Math.abs(x) > 4 ? Math.signum(x) : 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void matchClosedForms() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X);
            float[] gelu = Activations.apply(Activation.GELU, x).toFloatArray();
            float[] tanh = Activations.apply(Activation.GELU_TANH, x).toFloatArray();
            float[] quick = Activations.apply(Activation.QUICK_GELU, x).toFloatArray();
            for (int i = 0; i < X.length; i++) {
                double v = X[i];
                assertThat((double) gelu[i]).as("gelu(%s)", v).isCloseTo(0.5 * v * (1 + erf(v / Math.sqrt(2))),
                        within(2e-6));
                double t = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                assertThat((double) tanh[i]).as("gelu_tanh(%s)", v).isCloseTo(t, within(2e-6));
                assertThat((double) quick[i]).as("quick_gelu(%s)", v).isCloseTo(v / (1 + Math.exp(-1.702 * v)),
                        within(2e-6));
            }
            // erf and tanh forms differ visibly, so a swapped activation cannot pass the fixtures
            assertThat(Math.abs(gelu[2] - tanh[2])).isGreaterThan(1e-4f);
        }
    }
}
