package dev.tokenreduce.core.token;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Each original token takes the value of one reduced token: naive unpooling, ToMe's unmerge, nearest kept
 * token. Holds a (B, original) int64 index into the reduced tokens.
 */
public final class IndexRestoration implements Restoration {

    private final NDArray sourceIndex;
    private final int reduced;

    /**
     * @param sourceIndex (B, original) int64, values in [0, reduced)
     * @param reduced number of reduced tokens the index points into
     */
    public IndexRestoration(NDArray sourceIndex, int reduced) {
        if (sourceIndex.getShape().dimension() != 2) {
            throw new InvalidInputException("restoration index must be (B, N), got " + sourceIndex.getShape());
        }
        this.sourceIndex = sourceIndex.getDataType() == DataType.INT64 ? sourceIndex : sourceIndex.toType(DataType.INT64, false);
        this.reduced = reduced;
    }

    /** The (B, original) index of the reduced token each original token takes. */
    public NDArray sourceIndex() {
        return sourceIndex;
    }

    @Override
    public int reducedTokens() {
        return reduced;
    }

    @Override
    public int originalTokens() {
        return (int) sourceIndex.getShape().get(1);
    }

    @Override
    public NDArray restore(NDArray aligned) {
        checkAligned(aligned);
        long b = aligned.getShape().get(0);
        long c = aligned.getShape().get(2);
        NDArray index = sourceIndex.expandDims(2).broadcast(new Shape(b, originalTokens(), c));
        return aligned.gather(index, 1);
    }

    @Override
    public Restoration compose(Restoration later) {
        if (later instanceof IndexRestoration inner && inner.originalTokens() == reduced) {
            // index of index: original -> intermediate -> newest, one gather instead of two per restore
            return new IndexRestoration(inner.sourceIndex.gather(sourceIndex, 1), inner.reduced);
        }
        return Restoration.super.compose(later);
    }
}
