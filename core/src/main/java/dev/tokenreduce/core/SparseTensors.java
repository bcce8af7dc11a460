package dev.tokenreduce.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Sparse COO tensors that own their memory.
 *
 * <p>Why not {@link NDManager#createCoo}: in DJL 0.36's PyTorch engine it wraps the index and value buffers as
 * tensors, builds the sparse tensor over them (libtorch aliases, it does not copy) and closes the wrappers on
 * return, so the tensor points at direct buffers the garbage collector may free at any moment: wrong results or an
 * "index out of bound" error some time later. Here the indices and values are first copied into tensors that own
 * their storage, and the COO tensor is built over those copies through the engine's own {@code createSparseCoo}
 * (looked up once by reflection, so the library keeps compiling against DJL's API alone). On another engine the
 * tensor is built through a dense array and {@link NDArray#toSparse}, which is always safe.
 */
public final class SparseTensors {

    private static final Method PYTORCH_CREATE_COO = findPyTorchCreateCoo();

    private SparseTensors() {}

    /**
     * A COO tensor with entries {@code values[e]} at {@code (indices[0][e], ..., indices[r-1][e])}; duplicate
     * positions add up (as libtorch's products treat uncoalesced tensors).
     *
     * @param indices r rows of equal length nnz, r = the shape's rank, each within its dimension
     * @return the tensor, in {@code manager}
     */
    public static NDArray coo(NDManager manager, long[][] indices, float[] values, Shape shape) {
        for (long[] row : indices) {
            if (row.length != values.length) {
                throw new IllegalArgumentException("COO index rows have " + row.length + " entries for "
                        + values.length + " values");
            }
        }
        return coo(manager, indices, values, values.length, shape);
    }

    /**
     * As {@link #coo(NDManager, long[][], float[], Shape)} with the first {@code nnz} entries of arrays that may be
     * longer (a builder's growing buffers, used without trimming them first).
     */
    public static NDArray coo(NDManager manager, long[][] indices, float[] values, int nnz, Shape shape) {
        int rank = shape.dimension();
        if (nnz < 0 || nnz > values.length) {
            throw new IllegalArgumentException("COO: " + nnz + " entries asked of " + values.length + " values");
        }
        if (indices.length != rank) {
            throw new IllegalArgumentException("COO indices need " + rank + " rows for shape " + shape + ", got "
                    + indices.length);
        }
        long[] flat = new long[rank * nnz];
        for (int r = 0; r < rank; r++) {
            if (indices[r].length < nnz) {
                throw new IllegalArgumentException("COO index row " + r + " has " + indices[r].length
                        + " entries for " + nnz + " values");
            }
            for (int e = 0; e < nnz; e++) {
                long v = indices[r][e];
                if (v < 0 || v >= shape.get(r)) {
                    throw new IllegalArgumentException("COO index " + v + " outside dimension " + r + " of " + shape);
                }
            }
            System.arraycopy(indices[r], 0, flat, r * nnz, nnz);
        }
        if (PYTORCH_CREATE_COO != null && "PyTorch".equals(manager.getEngine().getEngineName())) {
            try (NDManager wrappers = manager.newSubManager()) {
                // duplicate(): a libtorch-owned copy of each Java-backed wrapper, alive as long as the COO tensor
                NDArray ownedIndices = wrappers.create(flat, new Shape(rank, nnz)).duplicate();
                NDArray ownedValues = (nnz == values.length ? wrappers.create(values)
                        : wrappers.create(Arrays.copyOf(values, nnz))).duplicate();
                NDArray coo = (NDArray) PYTORCH_CREATE_COO.invoke(null, ownedIndices, ownedValues, shape);
                coo.attach(manager);
                return coo;
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("building a sparse COO tensor failed", e);
            }
        }
        float[] dense = new float[Math.toIntExact(shape.size())];
        long[] strides = new long[rank];
        long stride = 1;
        for (int r = rank - 1; r >= 0; r--) {
            strides[r] = stride;
            stride *= shape.get(r);
        }
        for (int e = 0; e < nnz; e++) {
            long at = 0;
            for (int r = 0; r < rank; r++) {
                at += indices[r][e] * strides[r];
            }
            dense[(int) at] += values[e];
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray coo = scratch.create(dense, shape).toSparse(SparseFormat.COO);
            coo.attach(manager);
            return coo;
        }
    }

    /**
     * A sparse (R, N) matrix applied to every entry of a (B, N, C) batch: (B, R, C), in the batch's manager. One 2-D
     * sparse × dense product whatever B (a batch is laid side by side as (N, B·C) columns; libtorch's batched sparse
     * product coalesces its input on every call). The result is attached to the batch's manager because DJL puts a
     * product in its left operand's, and a cached constant's manager is never closed (see {@link DeviceConstants}).
     */
    public static NDArray applyToBatch(NDArray sparse, NDArray batch) {
        Shape shape = batch.getShape();
        long b = shape.get(0);
        long n = shape.get(1);
        long c = shape.get(2);
        long r = sparse.getShape().get(0);
        // the intermediates are closed here: those of the product would otherwise stay in the constant's manager
        NDArray columns = b == 1 ? batch.reshape(n, c) : batch.transpose(1, 0, 2).reshape(n, b * c);
        NDArray product = sparse.matMul(columns);
        NDArray result;
        if (b == 1) {
            result = product.reshape(1, r, c);
        } else {
            NDArray perEntry = product.reshape(r, b, c);
            result = perEntry.transpose(1, 0, 2);
            perEntry.close();
        }
        product.close();
        columns.close();
        result.attach(batch.getManager());
        return result;
    }

    private static Method findPyTorchCreateCoo() {
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            Class<?> array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            return jni.getMethod("createSparseCoo", array, array, Shape.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // the PyTorch engine is not on the class path
        }
    }
}
