package dev.tokenreduce.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Small NDArray helpers that DJL's API makes easy to get wrong (dtypes of arange, index types). */
public final class Tensors {

    private Tensors() {}

    /** [from, to) as int64 (DJL's arange overloads would give int32 or float32). */
    public static NDArray arangeLong(NDManager manager, long from, long to) {
        return manager.arange((int) from, (int) to).toType(DataType.INT64, false);
    }

    /** The array as int64 (no copy when it already is). */
    public static NDArray asLong(NDArray array) {
        return array.getDataType() == DataType.INT64 ? array : array.toType(DataType.INT64, false);
    }
}
