/**
 * Spatial pooling of token grids: {@link dev.tokenreduce.clustering.pool.AdaptivePooling} (PyTorch's adaptive
 * average pooling bins and the nearest-cell map) and the {@code pool} baseline operator.
 */
package dev.tokenreduce.clustering.pool;
