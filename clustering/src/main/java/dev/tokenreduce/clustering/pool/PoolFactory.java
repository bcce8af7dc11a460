package dev.tokenreduce.clustering.pool;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;

/** Creates {@code pool} steps. Parameter: {@code clusters} (h×w, required). */
public final class PoolFactory implements OperatorFactory {

    @Override
    public String id() {
        return PoolOperator.ID;
    }

    @Override
    public String description() {
        return "Spatial pooling baseline: adaptive average pooling of the patch grid to h x w (clusters),"
                + " nearest upsampling to restore";
    }

    @Override
    public TokenOperator create(Params params) {
        return new PoolOperator(params.requireGrid("clusters"));
    }
}
