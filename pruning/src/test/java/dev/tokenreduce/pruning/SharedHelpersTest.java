package dev.tokenreduce.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import org.junit.jupiter.api.Test;

class SharedHelpersTest {

    @Test
    void topKBreaksTiesByLowerIndexAndSorts() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(new float[] {1, 3, 2, 3, 3, 0, 2, 1, 2, 2}, new Shape(2, 5));
            assertThat(TopK.largest(s, 2).toLongArray()).containsExactly(1, 3, 1, 3);
            assertThat(TopK.largest(s, 3).toLongArray()).containsExactly(1, 3, 4, 1, 3, 4);
            assertThat(TopK.largest(s, 4).toLongArray()).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
            assertThat(TopK.largest(s, 5).toLongArray()).containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
            // All equal: the first k.
            assertThat(TopK.largest(m.zeros(new Shape(1, 6)), 4).toLongArray()).containsExactly(0, 1, 2, 3);
            assertThatThrownBy(() -> TopK.largest(s, 6)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("k must be in [1, 5]");
        }
    }

    @Test
    void surgeryKeepsOrRenumbersPositions() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState s = TokenState.of(m.arange(0f, 14f).reshape(2, 7, 1), TokenLayout.sequence(2, 3, 2));
            NDArray kept = m.create(new long[] {0, 2, 1, 2}, new Shape(2, 2));
            TokenState keep = SequenceSurgery.keep(s, kept, PositionIds.KEEP);
            assertThat(keep.tokens().toFloatArray()).containsExactly(0, 1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13);
            assertThat(keep.positionIds().toLongArray()).containsExactly(0, 1, 2, 4, 5, 6, 0, 1, 3, 4, 5, 6);
            assertThat(SequenceSurgery.keep(s, kept, PositionIds.RENUMBER).positionIds()).isNull();
            TokenState withIds = s.toBuilder().optPositionIds(Tensors.arangeLong(m, 10, 17).expandDims(0)).build();
            assertThat(SequenceSurgery.keep(withIds, kept, PositionIds.KEEP).positionIds().toLongArray())
                    .containsExactly(10, 11, 12, 14, 15, 16, 10, 11, 13, 14, 15, 16);
            assertThat(SequenceSurgery.keep(withIds, kept, PositionIds.RENUMBER).positionIds().toLongArray())
                    .containsExactly(0, 1, 2, 3, 4, 5);
            TokenState none = SequenceSurgery.dropVisual(s, PositionIds.KEEP);
            assertThat(none.layout()).isEqualTo(TokenLayout.sequence(2, 0, 2));
            assertThat(none.positionIds().toLongArray()).containsExactly(0, 1, 5, 6, 0, 1, 5, 6);
            assertThat(none.visualIndex().getShape()).isEqualTo(new Shape(2, 0));
        }
    }
}
