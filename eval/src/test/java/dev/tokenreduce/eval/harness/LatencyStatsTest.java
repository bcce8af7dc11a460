package dev.tokenreduce.eval.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void percentilesInterpolateLinearly() {
        LatencyStats s = LatencyStats.ofMillis(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.medianMs()).isCloseTo(5.5, within(1e-12));
        assertThat(s.p90Ms()).isCloseTo(9.1, within(1e-12));
        assertThat(s.meanMs()).isCloseTo(5.5, within(1e-12));
        assertThat(s.minMs()).isEqualTo(1);
        assertThat(s.maxMs()).isEqualTo(10);
        assertThat(s.stdDevMs()).isCloseTo(Math.sqrt(82.5 / 9), within(1e-12));
    }

    @Test
    void oddCountsAndSingleSamples() {
        assertThat(LatencyStats.ofMillis(new double[] {3, 1, 2}).medianMs()).isEqualTo(2);
        LatencyStats one = LatencyStats.ofNanos(new long[] {2_500_000});
        assertThat(one.medianMs()).isEqualTo(2.5);
        assertThat(one.p90Ms()).isEqualTo(2.5);
        assertThat(one.stdDevMs()).isZero();
    }

    @Test
    void emptyOrBadQuantilesAreRejected() {
        assertThatThrownBy(() -> LatencyStats.ofMillis(new double[0])).hasMessageContaining("no samples");
        assertThatThrownBy(() -> LatencyStats.percentile(new double[] {1}, 1.5)).hasMessageContaining("quantile");
    }
}
