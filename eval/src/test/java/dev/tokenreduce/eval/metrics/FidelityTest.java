package dev.tokenreduce.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class FidelityTest {

    // Five tokens of dim 2: orthogonal, parallel, opposite, both zero, reference zero.
    private static final float[] A = {1, 0, 1, 1, 1, 0, 0, 0, 1, 1};
    private static final float[] B = {0, 1, 2, 2, -1, 0, 0, 0, 0, 0};

    @Test
    void cosinePerTokenWithZeroConventions() {
        assertThat(Fidelity.cosinePerToken(A, B, 2)).containsExactly(new double[] {0, 1, -1, 1, 0}, within(1e-12));
    }

    @Test
    void relativeErrors() {
        double[] rel = Fidelity.relativeErrorPerToken(A, B, 2);
        assertThat(rel[0]).isCloseTo(Math.sqrt(2), within(1e-12)); // |(1,-1)| / |(0,1)|
        assertThat(rel[1]).isCloseTo(Math.sqrt(2) / Math.sqrt(8), within(1e-12)); // |(-1,-1)| / |(2,2)|
        assertThat(rel[2]).isCloseTo(2, within(1e-12));
        assertThat(rel[3]).isZero();
        assertThat(rel[4]).isInfinite();
        // Whole output: sqrt((2 + 2 + 4 + 0 + 2) / (1 + 8 + 1)) = 1.
        assertThat(Fidelity.relativeError(A, B)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void agreementAndAccumulator() {
        assertThat(Fidelity.agreement(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        FidelityAccumulator acc = new FidelityAccumulator();
        acc.addTokens(new float[] {1, 0, 1, 1}, new float[] {1, 0, 2, 2}, 2);
        acc.addPredictions(new int[] {1, 2}, new int[] {1, 3});
        // Logits (2 channels, 2 pixels): argmax reduced = (1, 0), reference = (1, 1).
        acc.addLogits(new float[] {0, 5, 1, 2}, new float[] {0, 0, 1, 1}, 2);
        FidelityScores s = acc.result();
        assertThat(s.tokens()).isEqualTo(2);
        assertThat(s.meanCosine()).isCloseTo(1.0, within(1e-12));
        assertThat(s.minCosine()).isCloseTo(1.0, within(1e-12));
        assertThat(s.meanRelativeError()).isCloseTo(0.25, within(1e-12)); // (0 + 0.5) / 2
        assertThat(s.maxRelativeError()).isCloseTo(0.5, within(1e-12));
        assertThat(s.pooledRelativeError()).isCloseTo(Math.sqrt(2.0 / 9), within(1e-12));
        assertThat(s.predictions()).isEqualTo(4);
        assertThat(s.agreement()).isEqualTo(0.5);
        assertThat(new FidelityAccumulator().result().agreement()).isNaN();
    }

    @Test
    void ndArrayVersionsMatchArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            var a = m.randomNormal(new Shape(2, 3, 8));
            var b = m.randomNormal(new Shape(2, 3, 8));
            float[] fa = a.toFloatArray();
            float[] fb = b.toFloatArray();
            assertThat(Fidelity.cosinePerToken(a, b)).containsExactly(Fidelity.cosinePerToken(fa, fb, 8),
                    within(1e-9));
            assertThat(Fidelity.relativeErrorPerToken(a, b)).containsExactly(
                    Fidelity.relativeErrorPerToken(fa, fb, 8), within(1e-9));
            FidelityScores nd = new FidelityAccumulator().addTokens(a, b).result();
            FidelityScores arr = new FidelityAccumulator().addTokens(fa, fb, 8).result();
            assertThat(nd.pooledRelativeError()).isCloseTo(arr.pooledRelativeError(), within(1e-9));
            assertThat(nd.tokens()).isEqualTo(6);
            assertThatThrownBy(() -> Fidelity.cosinePerToken(a, m.zeros(new Shape(2, 2, 8))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("full layout");
        }
    }

    @Test
    void argmax() {
        // 3 channels x 2 pixels; pixel 0 ties between channels 1 and 2 -> 1.
        float[] chw = {0, 5, 3, 1, 3, 2};
        assertThat(Argmax.overChannels(chw, 3)).containsExactly(1, 0);
        assertThat(Argmax.overRows(new float[] {1, 3, 3, 9, 0, 0}, 3)).containsExactly(1, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            var logits = m.randomNormal(new Shape(1, 4, 3, 5));
            assertThat(Argmax.overChannels(logits)).containsExactly(Argmax.overChannels(logits.toFloatArray(), 4));
        }
        assertThatThrownBy(() -> Argmax.overChannels(new float[] {1, Float.NaN}, 2))
                .isInstanceOf(InvalidInputException.class);
    }
}
