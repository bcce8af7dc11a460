package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.token.IndexRestoration;
import dev.tokenreduce.core.token.Restoration;

/**
 * Naive unpooling: every token takes the value of its hard-label cluster, {@code Y_i = X_hard(i)} (the alternative
 * the official DPT path ends up using).
 */
public final class NaiveUnpooling implements Restoration {

    private final IndexRestoration index;

    /**
     * @param hardLabels (B, N) integer cluster index of every token, values in [0, clusters)
     * @param clusters the number of clusters M the labels point into
     */
    public NaiveUnpooling(NDArray hardLabels, int clusters) {
        Inputs.requireRank(hardLabels, 2, ExpeditReconstruction.WHO, "hard labels");
        this.index = new IndexRestoration(hardLabels, clusters);
    }

    /** The (B, N) int64 hard labels. */
    public NDArray hardLabels() {
        return index.sourceIndex();
    }

    /**
     * @param x (B, M, C') aligned with the clusters
     * @return (B, N, C'): row i is row hard(i) of x
     */
    public NDArray apply(NDArray x) {
        checkAligned(x);
        long b = index.sourceIndex().getShape().get(0);
        if (x.getShape().get(0) != b) {
            throw new InvalidInputException(ExpeditReconstruction.WHO + ": the tensor to unpool has batch "
                    + x.getShape().get(0) + " but the clustering had " + b);
        }
        return index.restore(x);
    }

    @Override
    public NDArray restore(NDArray aligned) {
        return apply(aligned);
    }

    @Override
    public int reducedTokens() {
        return index.reducedTokens();
    }

    @Override
    public int originalTokens() {
        return index.originalTokens();
    }
}
