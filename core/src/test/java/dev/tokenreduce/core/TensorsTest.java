package dev.tokenreduce.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void selectRowsGathersRowsInTheIndexShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = manager.arange(0f, 12f).reshape(4, 3);
            NDManager indexOwner = manager.newSubManager();
            NDArray index = indexOwner.create(new long[] {3, 0, 0, 2, 1, 3}, new Shape(2, 3));
            NDArray rows = Tensors.selectRows(matrix, index);
            // the result belongs with the matrix, not with the (possibly cached) index
            assertThat(rows.getManager()).isSameAs(matrix.getManager());
            indexOwner.close();
            assertThat(rows.getShape()).isEqualTo(new Shape(2, 3, 3));
            assertThat(rows.toFloatArray()).containsExactly(
                    9, 10, 11, 0, 1, 2, 0, 1, 2,
                    6, 7, 8, 3, 4, 5, 9, 10, 11);
        }
    }

    @Test
    void selectRowsNeedsAMatrix() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray cube = manager.zeros(new Shape(2, 2, 2));
            assertThatThrownBy(() -> Tensors.selectRows(cube, manager.zeros(new Shape(1), DataType.INT64)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 2, 2)");
        }
    }
}
