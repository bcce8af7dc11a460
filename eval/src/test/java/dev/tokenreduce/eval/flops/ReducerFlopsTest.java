package dev.tokenreduce.eval.flops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReducerFlopsTest {

    @Test
    void expeditClusteringIsLinearInIterationsAndWindowArea() {
        FlopCount k0 = ReducerFlops.expeditClustering(64, 16, 8, 0, 3);
        FlopCount k5 = ReducerFlops.expeditClustering(64, 16, 8, 5, 3);
        assertThat(k0.matmul()).isZero();
        assertThat(k0.other()).isEqualTo(64 * 8 + 16 * 8);
        assertThat(k5.matmul()).isEqualTo(5L * 4 * 64 * 9 * 8);
        long perIterationOther = 2L * (64 + 16) * 8 + 5L * 64 * 9 + 16 * 8;
        assertThat(k5.other()).isEqualTo(k0.other() + 5 * perIterationOther);
    }

    @Test
    void expeditClusteringWindowIsCappedByTheCentresAndZeroMeansGlobal() {
        assertThat(ReducerFlops.expeditClustering(64, 9, 8, 1, 5).matmul()).isEqualTo(4L * 64 * 9 * 8);
        assertThat(ReducerFlops.expeditClustering(64, 9, 8, 1, 0).matmul()).isEqualTo(4L * 64 * 9 * 8);
        assertThat(ReducerFlops.expeditClustering(64, 9, 8, 1, 1).matmul()).isEqualTo(4L * 64 * 1 * 8);
    }

    @Test
    void expeditReconstructionCountsDistancesAndTheWeightedSum() {
        FlopCount k3 = ReducerFlops.expeditReconstruction(64, 16, 8, 10, 3);
        assertThat(k3.matmul()).isEqualTo(2L * 64 * 16 * 8 + 2L * 64 * 3 * 10);
        FlopCount dense = ReducerFlops.expeditReconstruction(64, 16, 8, 10, -1);
        assertThat(dense.matmul()).isEqualTo(2L * 64 * 16 * 8 + 2L * 64 * 16 * 10);
        assertThat(ReducerFlops.expeditReconstruction(64, 16, 8, 10, 99)).isEqualTo(dense);
        assertThat(ReducerFlops.reconstructionApply(64, 3, 10).matmul()).isEqualTo(2L * 64 * 3 * 10);
    }

    @Test
    void tomeAndTodreAndSelections() {
        FlopCount tome = ReducerFlops.tomeMerge(65, 4, 16, 64);
        assertThat(tome.matmul()).isEqualTo(2L * 33 * 32 * 16);
        FlopCount todre = ReducerFlops.todreDiversity(576, 58, 32);
        assertThat(todre.matmul()).isEqualTo(2L * 58 * 576 * 32);
        assertThat(todre.other()).isEqualTo(3L * 576 * 32 + 2L * 58 * 576);
        assertThat(ReducerFlops.pool(64, 16, 8)).isEqualTo(FlopCount.other(64 * 8 + 16 * 8));
        assertThat(ReducerFlops.topK(576).other()).isEqualTo(576L * 10);
    }

    @Test
    void badSizesAreRejectedNamingTheOperator() {
        assertThatThrownBy(() -> ReducerFlops.expeditClustering(0, 1, 1, 1, 1)).hasMessageContaining("expedit-cluster");
        assertThatThrownBy(() -> ReducerFlops.expeditClustering(4, 1, 1, -1, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> ReducerFlops.todreDiversity(4, 0, 1)).hasMessageContaining("todre-diversity");
    }
}
