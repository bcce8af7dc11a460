package dev.tokenreduce.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseTensorsTest {

    @Test
    void cooTensorsKeepTheirEntriesAfterTheJavaBuffersAreCollected() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            int rows = 300;
            int cols = 200;
            Random rnd = new Random(5);
            List<NDArray> tensors = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int nnz = 2000;
                long[][] index = new long[2][nnz];
                float[] values = new float[nnz];
                float[] dense = new float[rows * cols];
                for (int e = 0; e < nnz; e++) {
                    index[0][e] = rnd.nextInt(rows);
                    index[1][e] = rnd.nextInt(cols);
                    values[e] = rnd.nextFloat();
                    dense[(int) (index[0][e] * cols + index[1][e])] += values[e]; // duplicates add up
                }
                tensors.add(SparseTensors.coo(manager, index, values, new Shape(rows, cols)));
                expected.add(dense);
            }
            // Direct buffers behind Java-backed wrappers are freed once collected: give the collector every chance.
            for (int i = 0; i < 5; i++) {
                byte[][] garbage = new byte[64][];
                for (int g = 0; g < garbage.length; g++) {
                    garbage[g] = new byte[1 << 20];
                }
                System.gc();
                Thread.sleep(20);
            }
            NDArray x = manager.ones(new Shape(cols, 1));
            for (int t = 0; t < tensors.size(); t++) {
                float[] dense = tensors.get(t).toDense().toFloatArray();
                for (int i = 0; i < dense.length; i++) {
                    assertThat(dense[i]).as("tensor %d entry %d", t, i).isCloseTo(expected.get(t)[i],
                            org.assertj.core.data.Offset.offset(1e-5f));
                }
                float[] product = tensors.get(t).matMul(x).toFloatArray();
                for (int r = 0; r < rows; r++) {
                    float sum = 0;
                    for (int c = 0; c < cols; c++) {
                        sum += expected.get(t)[r * cols + c];
                    }
                    assertThat(product[r]).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
        }
    }

    @Test
    void malformedIndicesAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(3, 4);
            assertThatThrownBy(() -> SparseTensors.coo(manager, new long[][] {{0}}, new float[] {1}, shape))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows");
            assertThatThrownBy(() -> SparseTensors.coo(manager, new long[][] {{0, 1}, {0}}, new float[] {1, 2},
                    shape)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entries");
            assertThatThrownBy(() -> SparseTensors.coo(manager, new long[][] {{3}, {0}}, new float[] {1}, shape))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside dimension 0");
        }
    }

    @Test
    void theFirstNnzEntriesOfLongerBuffersAreUsed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // buffers of 4 with 2 entries in use; the rest is garbage that must not count
            NDArray coo = SparseTensors.coo(manager, new long[][] {{0, 2, 1, 1}, {1, 3, 0, 0}},
                    new float[] {5f, 7f, 100f, 100f}, 2, new Shape(3, 4));
            assertThat(coo.toDense().toFloatArray()).containsExactly(0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7);
            assertThatThrownBy(() -> SparseTensors.coo(manager, new long[][] {{0}, {0}}, new float[] {1}, 2,
                    new Shape(3, 4))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 entries");
        }
    }

    @Test
    void applyToBatchMultipliesEveryEntryAndLeavesTheResultWithTheBatch() {
        try (NDManager constants = NDManager.newBaseManager(); NDManager caller = NDManager.newBaseManager()) {
            // (2, 3) sparse: row 0 = 1·x0 + 2·x2, row 1 = 3·x1
            NDArray sparse = SparseTensors.coo(constants, new long[][] {{0, 0, 1}, {0, 2, 1}},
                    new float[] {1f, 2f, 3f}, new Shape(2, 3));
            int held = constants.getManagedArrays().size();
            for (int b : new int[] {1, 3}) {
                float[] x = new float[b * 3 * 2];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                }
                NDArray result = SparseTensors.applyToBatch(sparse, caller.create(x, new Shape(b, 3, 2)));
                assertThat(result.getShape()).isEqualTo(new Shape(b, 2, 2));
                assertThat(result.getManager()).isSameAs(caller);
                float[] y = result.toFloatArray();
                for (int e = 0; e < b; e++) {
                    for (int c = 0; c < 2; c++) {
                        float x0 = x[e * 6 + c];
                        float x1 = x[e * 6 + 2 + c];
                        float x2 = x[e * 6 + 4 + c];
                        assertThat(y[e * 4 + c]).isEqualTo(x0 + 2 * x2);
                        assertThat(y[e * 4 + 2 + c]).isEqualTo(3 * x1);
                    }
                }
            }
            assertThat(constants.getManagedArrays()).hasSize(held);
        }
    }
}
