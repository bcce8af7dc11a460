package dev.tokenreduce.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/** Small NDArray helpers that DJL's API makes easy to get wrong (dtypes of arange, index types). */
public final class Tensors {

    private Tensors() {}

    /** [from, to) as int64 (DJL's arange overloads would give int32 or float32). */
    public static NDArray arangeLong(NDManager manager, long from, long to) {
        return manager.arange((int) from, (int) to).toType(DataType.INT64, false);
    }

    /**
     * Rows of a matrix: {@code matrix[index]}, libtorch's {@code index_select} through DJL's embedding op. On CPU it is
     * about 3x faster than the advanced indexing of {@code matrix.get(new NDIndex("{}", index))} (a 2 304-row
     * gather of 768 floats: 0.09 against 0.29 ms).
     *
     * @param matrix (R, C)
     * @param index int64 of any shape, entries in [0, R)
     * @return (index shape..., C), in the matrix's manager (as other DJL ops on {@code matrix})
     */
    public static NDArray selectRows(NDArray matrix, NDArray index) {
        if (matrix.getShape().dimension() != 2) {
            throw new IllegalArgumentException("selectRows needs a matrix, got shape " + matrix.getShape());
        }
        NDArray rows = matrix.getNDArrayInternal().embedding(index, matrix, SparseFormat.DENSE).singletonOrThrow();
        // The engine puts the result in the index's manager; a cached index table's manager is never closed.
        rows.attach(matrix.getManager());
        return rows;
    }

    /** The array as int64 (no copy when it already is). */
    public static NDArray asLong(NDArray array) {
        return array.getDataType() == DataType.INT64 ? array : array.toType(DataType.INT64, false);
    }
}
