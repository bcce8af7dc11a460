package dev.tokenreduce.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

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
        int rank = shape.dimension();
        int nnz = values.length;
        if (indices.length != rank) {
            throw new IllegalArgumentException("COO indices need " + rank + " rows for shape " + shape + ", got "
                    + indices.length);
        }
        long[] flat = new long[rank * nnz];
        for (int r = 0; r < rank; r++) {
            if (indices[r].length != nnz) {
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
                NDArray ownedValues = wrappers.create(values).duplicate();
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
